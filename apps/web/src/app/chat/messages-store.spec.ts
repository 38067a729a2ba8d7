import { TestBed } from '@angular/core/testing';
import { CommonErrorCode, type MessageDto } from '@parley/contracts';

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
});

describe('mergeSent', () => {
  const empty: ChannelMessages = { messages: [], outbox: [], hasOlder: false, lastSeq: 0 };

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
        { provide: ChatApi, useValue: { history } },
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
    expect(socket.requests.at(-1)).toEqual({ event: 'sync', payload: { cursors: { c: 1 } } });
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    socket.answer = () => ({ ok: true, data: { messages: [], truncated: ['c'] } });
    history.mockResolvedValueOnce({ items: [stored(900)], hasMore: true });
    await store.sync(['c']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(history).toHaveBeenLastCalledWith('c', { limit: 50 });
    expect(store.messages()['c'].messages.map((m) => m.seq)).toEqual([900]);
  });
});
