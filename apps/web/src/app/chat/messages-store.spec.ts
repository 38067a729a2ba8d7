import { TestBed } from '@angular/core/testing';
import { CommonErrorCode, type MessageChangeEvent, type MessageDto, UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';

import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { FakeSocket } from './chat-test-fixtures';
import { ChannelMessages, MessagesStore, mergeSent } from './messages-store';
import type { ChatMessage } from './message-groups';

const stored = (seq: number, clientMsgId = `k${seq}`): MessageDto => ({
  id: `m${seq}`,
  channelId: 'c',
  seq,
  senderId: 'ana',
  text: `t${seq}`,
  clientMsgId,
  createdAt: new Date(0).toISOString(),
  editedAt: null,
  deletedAt: null,
  threadRootId: null,
  ...UNTOUCHED_MESSAGE_FIELDS,
});

const edited = (changeSeq: number, seq: number, text: string): MessageChangeEvent => ({
  channelId: 'c',
  changeSeq,
  kind: 'edited',
  actorId: 'ana',
  message: { ...stored(seq), text, editedAt: new Date(changeSeq * 1000).toISOString() },
});
const deleted = (changeSeq: number, seq: number): MessageChangeEvent => ({
  channelId: 'c',
  changeSeq,
  kind: 'deleted',
  actorId: 'ana',
  message: { ...stored(seq), text: '', deletedAt: new Date(changeSeq * 1000).toISOString() },
});

describe('mergeSent', () => {
  const empty: ChannelMessages = { messages: [], outbox: [], hasOlder: false, lastSeq: 0, lastChangeSeq: 0 };

  it('keeps messages in seq order without duplicates, whatever order they arrive in', () => {
    let held = mergeSent(empty, [stored(3), stored(1)]);
    held = mergeSent(held, [stored(2), stored(3)]);
    expect(held.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(held.lastSeq).toBe(3);
  });

  it('takes a message out of the outbox when its stored copy arrives', () => {
    const pending: ChatMessage = { ...stored(Number.MAX_SAFE_INTEGER, 'mine'), id: 'mine', state: 'pending' };
    const held = mergeSent({ ...empty, outbox: [pending] }, [stored(7, 'mine')]);
    expect(held.outbox).toEqual([]);
    expect(held.messages).toEqual([{ ...stored(7, 'mine'), state: 'sent' }]);
  });
});

describe('MessagesStore', () => {
  let socket: FakeSocket;
  let history: ReturnType<typeof vi.fn>;
  let store: MessagesStore;

  beforeEach(() => {
    socket = new FakeSocket();
    history = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: { history, channel: () => Promise.resolve({ lastChangeSeq: 0 }) } },
      ],
    });
    store = TestBed.inject(MessagesStore);
  });

  it('opening a channel loads its newest page once, and older pages before the first message held', async () => {
    history.mockResolvedValueOnce({ items: [stored(51), stored(52)], hasMore: true });
    await store.openChannel('c');
    await store.openChannel('c');
    expect(history).toHaveBeenCalledTimes(1);
    expect(store.activeChannelId()).toBe('c');
    history.mockResolvedValueOnce({ items: [stored(50)], hasMore: false });
    expect(await store.loadOlder('c')).toBe(true);
    expect(history).toHaveBeenLastCalledWith('c', { before: 51, limit: 50 });
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([50, 51, 52]);
    expect(await store.loadOlder('c')).toBe(false);
  });

  it('a send is pending, then answered with the stored message; the same clientMsgId goes to the server', async () => {
    const pending = store.addPending('c', 'ana', 'hello');
    expect(store.messages()['c'].outbox).toEqual([pending]);
    socket.answer = (_event, payload) => ({ ok: true, data: { ...stored(1, (payload as { clientMsgId: string }).clientMsgId), text: 'hello' } });
    const answer = await store.deliver(pending);
    expect(socket.requests).toEqual([{ event: 'sendMessage', payload: { channelId: 'c', text: 'hello', clientMsgId: pending.clientMsgId } }]);
    expect(answer).toMatchObject({ seq: 1, clientMsgId: pending.clientMsgId });
  });

  it('a refused send is marked failed; one written offline stays pending and is not sent', async () => {
    const refused = store.addPending('c', 'ana', 'no');
    socket.answer = () => ({ ok: false, error: { code: CommonErrorCode.Forbidden, message: 'not a member', retryable: false } });
    expect(await store.deliver(refused)).toBeNull();
    socket.state.set('offline');
    const offline = store.addPending('c', 'ana', 'later');
    expect(await store.deliver(offline)).toBeNull();
    expect(socket.requests.length).toBe(1);
    expect(store.messages()['c'].outbox.map((m) => m.state)).toEqual(['failed', 'pending']);
    expect(store.pendingOutbox()).toEqual([offline]);
    store.discard(refused);
    expect(store.messages()['c'].outbox).toEqual([offline]);
  });

  it('a live message joins a channel held; one past a gap is held back for the sync; one not held is left for opening', async () => {
    history.mockResolvedValueOnce({ items: [stored(1)], hasMore: false });
    await store.openChannel('c');
    expect(store.receive(stored(2))).toBe(false);
    // Past a gap: held back, so the sync starts below the gap and brings 3, 4 and 5 together.
    expect(store.receive(stored(5))).toBe(true);
    expect(store.lastSeqOf('c')).toBe(2);
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(store.receive(stored(1, 'elsewhere'))).toBe(false);
    expect(store.receive({ ...stored(9), channelId: 'other' })).toBe(false);
    expect(store.messages()['other']).toBeUndefined();
  });

  it('sync asks from each cursor and merges; a truncated channel starts again from its newest page', async () => {
    history.mockResolvedValueOnce({ items: [stored(1)], hasMore: false });
    await store.openChannel('c');
    socket.answer = () => ({ ok: true, data: { messages: [stored(2), stored(3)], truncated: [] } });
    await store.sync();
    expect(socket.requests.at(-1)).toEqual({ event: 'sync', payload: { cursors: { c: 1 }, changeCursors: { c: 0 } } });
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    socket.answer = () => ({ ok: true, data: { messages: [], truncated: ['c'] } });
    history.mockResolvedValueOnce({ items: [stored(900)], hasMore: true });
    await store.sync(['c']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(history).toHaveBeenLastCalledWith('c', { limit: 50 });
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([900]);
  });

  describe('changes (edits and deletes)', () => {
    const texts = () => store.messages()['c'].messages.map((m) => [m.seq, m.text, m.deletedAt !== null]);
    const syncs = () => socket.requests.filter((r) => r.event === 'sync').map((r) => r.payload);

    beforeEach(async () => {
      history.mockResolvedValueOnce({ items: [stored(1), stored(2), stored(3)], hasMore: false });
      // The channel as listed: two changes were made before the page was loaded.
      await store.openChannel('c', 2);
    });

    it('the next change of a channel replaces its message in place and moves the cursor', () => {
      socket.emit('messageUpdated', edited(3, 1, 'fixed'));
      socket.emit('messageDeleted', deleted(4, 2));
      expect(texts()).toEqual([
        [1, 'fixed', false],
        [2, '', true],
        [3, 't3', false],
      ]);
      expect(store.messages()['c'].lastChangeSeq).toBe(4);
      expect(syncs()).toEqual([]);
    });

    it('a change applied already (delivered twice, or by live and sync both) is ignored', () => {
      socket.emit('messageUpdated', edited(3, 1, 'fixed'));
      socket.emit('messageUpdated', { ...edited(3, 1, 'again'), message: { ...stored(1), text: 'again' } });
      socket.emit('messageUpdated', edited(2, 1, 'from before the page'));
      expect(texts()[0]).toEqual([1, 'fixed', false]);
      expect(store.messages()['c'].lastChangeSeq).toBe(3);
    });

    it('a change past a gap is not applied: the channel syncs from its change cursor and applies what comes back in order', async () => {
      socket.answer = () => ({ ok: true, data: { messages: [], changes: [edited(4, 1, 'second'), edited(3, 1, 'first'), deleted(5, 3)], truncated: [] } });
      socket.emit('messageDeleted', deleted(5, 3));
      expect(texts()[2]).toEqual([3, 't3', false]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(syncs()).toEqual([{ cursors: { c: 3 }, changeCursors: { c: 2 } }]);
      expect(texts()).toEqual([
        [1, 'second', false],
        [2, 't2', false],
        [3, '', true],
      ]);
      expect(store.messages()['c'].lastChangeSeq).toBe(5);
      // The live copy of change 5, arriving late, is a duplicate now.
      socket.emit('messageDeleted', deleted(5, 3));
      expect(store.messages()['c'].lastChangeSeq).toBe(5);
    });

    it('sync (as after a reconnect) sends every held channel’s change cursor, adds the missed messages, then applies the missed changes', async () => {
      socket.answer = () => ({
        ok: true,
        data: { messages: [stored(4)], changes: [edited(3, 4, 'edited while away'), deleted(4, 1)], truncated: [] },
      });
      await store.sync();
      expect(syncs()).toEqual([{ cursors: { c: 3 }, changeCursors: { c: 2 } }]);
      expect(texts()).toEqual([
        [1, '', true],
        [2, 't2', false],
        [3, 't3', false],
        [4, 'edited while away', false],
      ]);
      expect(store.messages()['c'].lastChangeSeq).toBe(4);
    });

    it('a change to a message older than the pages held only moves the cursor; a channel not held ignores changes', () => {
      socket.emit('messageUpdated', edited(3, 0, 'not held'));
      expect(store.messages()['c'].lastChangeSeq).toBe(3);
      socket.emit('messageUpdated', { ...edited(1, 1, 'x'), channelId: 'other' });
      expect(store.messages()['other']).toBeUndefined();
    });

    it('an edit answered by the server shows at once; its change still comes and is applied in its turn', () => {
      store.replaceMessage({ ...stored(1), text: 'mine, edited' });
      expect(texts()[0]).toEqual([1, 'mine, edited', false]);
      expect(store.messages()['c'].lastChangeSeq).toBe(2);
      socket.emit('messageUpdated', edited(3, 1, 'mine, edited'));
      expect(store.messages()['c'].lastChangeSeq).toBe(3);
    });
  });

  it('opening a channel without its cursor fetches the channel first; changes that arrive while the page loads are applied after it', async () => {
    let historyCallsBeforeCursor = -1;
    let page!: (value: unknown) => void;
    TestBed.inject(ChatApi).channel = () => {
      historyCallsBeforeCursor = history.mock.calls.length;
      return Promise.resolve({ lastChangeSeq: 7 } as never);
    };
    history.mockReturnValueOnce(new Promise((resolve) => (page = resolve)));
    const opened = store.openChannel('c');
    await new Promise((resolve) => setTimeout(resolve, 0));
    socket.emit('messageUpdated', edited(8, 1, 'during the load'));
    page({ items: [stored(1)], hasMore: false });
    await opened;
    expect(historyCallsBeforeCursor).toBe(0);
    expect(store.messages()['c'].messages[0].text).toBe('during the load');
    expect(store.messages()['c'].lastChangeSeq).toBe(8);
  });

  it('↑ edits the newest own message that is not deleted', async () => {
    history.mockResolvedValueOnce({ items: [stored(1), stored(2, 'k2'), { ...stored(3), deletedAt: 'x' }, { ...stored(4), senderId: 'bo' }], hasMore: false });
    await store.openChannel('c', 0);
    expect(store.lastOwnMessage('c', 'ana')?.seq).toBe(2);
    expect(store.lastOwnMessage('c', 'cy')).toBeNull();
  });
});
