import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MessageChangeEvent, MessageDto, MessagePage, ThreadDto, ThreadFollowState } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { FakeSocket, stored } from './chat-test-fixtures';
import { MessagesStore, showsInChannel } from './messages-store';
import { ThreadStore, THREADS_REFRESH_MS } from './thread-store';

const ME = 'me';
/** A reply in m1's thread. */
const reply = (seq: number, changes: Partial<MessageDto> = {}): MessageDto => stored(seq, { threadRootId: 'm1', senderId: 'bruno', ...changes });
const change = (changeSeq: number, message: MessageDto, kind: MessageChangeEvent['kind'] = 'edited', actorId = 'bruno'): MessageChangeEvent => ({
  channelId: 'c',
  changeSeq,
  kind,
  actorId,
  message,
});
const page = (items: MessageDto[], hasMore = false): MessagePage => ({ items, hasMore });
const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('ThreadStore (and the channel it lives in)', () => {
  let socket: FakeSocket;
  let messages: MessagesStore;
  let threads: ThreadStore;
  let api: {
    history: ReturnType<typeof vi.fn>;
    channel: ReturnType<typeof vi.fn>;
    replies: ReturnType<typeof vi.fn>;
    readThread: ReturnType<typeof vi.fn>;
    follow: ReturnType<typeof vi.fn>;
    threads: ReturnType<typeof vi.fn>;
    message: ReturnType<typeof vi.fn>;
  };
  const listed = () => messages.messages()['c'].messages.map((m) => m.seq);
  const replies = () => threads.threads()['m1'].replies.map((m) => [m.seq, m.text]);
  const state = (changes: Partial<ThreadFollowState> = {}): ThreadFollowState => ({ rootId: 'm1', following: true, lastReadSeq: 0, unreadReplies: 0, ...changes });

  beforeEach(async () => {
    socket = new FakeSocket();
    api = {
      history: vi.fn().mockResolvedValue(page([stored(1, { replyCount: 0 })])),
      channel: vi.fn().mockResolvedValue({ lastChangeSeq: 0 }),
      replies: vi.fn().mockResolvedValue(page([])),
      readThread: vi.fn((rootId: string, seq: number) => Promise.resolve(state({ rootId, lastReadSeq: seq }))),
      follow: vi.fn((rootId: string, following: boolean) => Promise.resolve(state({ rootId, following }))),
      threads: vi.fn().mockResolvedValue([]),
      message: vi.fn().mockRejectedValue(new Error('not asked for in this test')),
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: api },
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } },
      ],
    });
    messages = TestBed.inject(MessagesStore);
    threads = TestBed.inject(ThreadStore);
    TestBed.inject(ChannelsStore).workspaceId.set('w1');
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    await messages.openChannel('c');
  });

  afterEach(() => vi.useRealTimers());

  it('a thread opened for a root not in the loaded history (a link) fetches the root on its own; one held is not fetched', async () => {
    const far = stored(40, { id: 'm40', replyCount: 1, text: 'the root, far up' });
    api.message.mockResolvedValue(far);
    api.replies.mockResolvedValue(page([stored(41, { threadRootId: 'm40', senderId: 'bruno' })]));
    await threads.open('m40', 'c');
    expect(api.message).toHaveBeenCalledWith('m40');
    expect(threads.rootOf('m40', 'c')?.text).toBe('the root, far up');
    expect(threads.threads()['m40'].state).toBe('loaded');

    api.message.mockClear();
    await threads.open('m1', 'c');
    expect(api.message).not.toHaveBeenCalled();
    expect(threads.rootOf('m1', 'c')?.id).toBe('m1');
  });

  it('a root that cannot be fetched (gone, or not readable) leaves the thread without one; its replies still load', async () => {
    api.message.mockRejectedValue(new Error('404'));
    api.replies.mockResolvedValue(page([stored(51, { threadRootId: 'm50', senderId: 'bruno' })]));
    await threads.open('m50', 'c');
    expect(threads.rootOf('m50', 'c')).toBeNull();
    expect(threads.threads()['m50'].replies.map((m) => m.seq)).toEqual([51]);
    expect(threads.threads()['m50'].state).toBe('loaded');
  });

  it('a reply is not listed in its channel but moves the seq cursor: the next message is not taken for one after a gap', () => {
    expect(messages.receive(reply(2))).toBe(false);
    expect(listed()).toEqual([1]);
    expect(messages.lastSeqOf('c')).toBe(2);
    expect(messages.receive(stored(3))).toBe(false);
    expect(listed()).toEqual([1, 3]);
    // A reply past a real gap is held back like any message, for the sync.
    expect(messages.receive(reply(5))).toBe(true);
    expect(messages.lastSeqOf('c')).toBe(3);
  });

  it('sync brings replies with the messages: the cursor counts them, the list shows only what belongs to the channel (and replies also sent to it)', async () => {
    socket.answer = () => ({ ok: true, data: { messages: [reply(2), stored(3), reply(4, { alsoInChannel: true }), reply(5)], changes: [], truncated: [] } });
    await messages.sync(['c']);
    expect(listed()).toEqual([1, 3, 4]);
    expect(messages.lastSeqOf('c')).toBe(5);
    expect(socket.requests.at(-1)).toEqual({ event: 'sync', payload: { cursors: { c: 1 }, changeCursors: { c: 0 } } });
    expect([reply(2), reply(2, { alsoInChannel: true }), stored(3)].map(showsInChannel)).toEqual([false, true, true]);
  });

  it('opening a thread loads its replies page by page, then live and synced replies join it in seq order, each once', async () => {
    api.replies.mockResolvedValueOnce(page([reply(2), reply(3)], true)).mockResolvedValueOnce(page([reply(4)]));
    await threads.open('m1', 'c');
    expect(api.replies.mock.calls.map((call) => call[1])).toEqual([
      { after: 0, limit: 100 },
      { after: 3, limit: 100 },
    ]);
    expect(replies()).toEqual([
      [2, 't2'],
      [3, 't3'],
      [4, 't4'],
    ]);
    // Live: m5 arrives, then (by sync) m6 with m5 again.
    messages.receive(reply(5));
    socket.answer = () => ({ ok: true, data: { messages: [reply(5), reply(6)], changes: [], truncated: [] } });
    await messages.sync(['c']);
    expect(replies().map(([seq]) => seq)).toEqual([2, 3, 4, 5, 6]);
    expect(listed()).toEqual([1]);
    // Another thread's reply stays out of this one.
    messages.receive(stored(7, { threadRootId: 'other' }));
    expect(replies().map(([seq]) => seq)).toEqual([2, 3, 4, 5, 6]);
  });

  it('what arrives while the thread loads is applied after the page, so the page never hides a newer state', async () => {
    let answer!: (value: MessagePage) => void;
    api.replies.mockReturnValueOnce(new Promise<MessagePage>((resolve) => (answer = resolve)));
    const opening = threads.open('m1', 'c');
    messages.receive(reply(2));
    socket.emit('messageUpdated', change(1, { ...reply(2), text: 'fixed', editedAt: new Date(1000).toISOString() }));
    answer(page([reply(2)]));
    await opening;
    expect(replies()).toEqual([[2, 'fixed']]);
  });

  it("a 'replied' change updates the root's summary in the channel and in the thread; a reply's edit and delete reach the thread", async () => {
    await threads.open('m1', 'c');
    const root = { ...stored(1), replyCount: 1, lastReplyAt: new Date(2000).toISOString(), replierIds: ['bruno'] };
    messages.receive(reply(2));
    socket.emit('messageUpdated', change(1, root, 'replied'));
    expect(messages.messages()['c'].messages[0]).toMatchObject({ replyCount: 1, replierIds: ['bruno'] });
    expect(threads.threads()['m1'].root).toMatchObject({ replyCount: 1 });
    expect(threads.rootOf('m1', 'c')).toMatchObject({ replyCount: 1 });
    socket.emit('messageUpdated', change(2, { ...reply(2), text: 'better', editedAt: new Date(3000).toISOString() }));
    socket.emit('messageDeleted', change(3, { ...reply(2), text: '', deletedAt: new Date(4000).toISOString() }, 'deleted'));
    expect(threads.threads()['m1'].replies[0]).toMatchObject({ text: '', deletedAt: new Date(4000).toISOString() });
    // Someone else's reaction keeps the reader's own `me`.
    socket.emit('messageUpdated', change(4, { ...reply(2), reactions: [{ emoji: '👍', count: 2, userIds: ['bruno', ME], me: false }] }, 'reacted'));
    expect(threads.threads()['m1'].replies[0].reactions).toEqual([{ emoji: '👍', count: 2, userIds: ['bruno', ME], me: false }]);
  });

  it('a reply written here waits in the channel outbox (not listed there), goes out with its thread, and leaves the outbox when stored', async () => {
    await threads.open('m1', 'c');
    const pending = messages.addPending('c', ME, 'my reply', { rootId: 'm1', alsoInChannel: true });
    expect(pending).toMatchObject({ threadRootId: 'm1', alsoInChannel: true, state: 'pending' });
    socket.answer = () => ({ ok: true, data: { ...reply(2, { senderId: ME, alsoInChannel: true, clientMsgId: pending.clientMsgId }), text: 'my reply' } });
    const answer = await messages.deliver(pending);
    expect(socket.requests.at(-1)).toEqual({
      event: 'sendMessage',
      payload: { channelId: 'c', text: 'my reply', clientMsgId: pending.clientMsgId, threadRootId: 'm1', alsoSendToChannel: true },
    });
    messages.receive(answer!);
    expect(messages.messages()['c'].outbox).toEqual([]);
    expect(replies()).toEqual([[2, 'my reply']]);
    // Also sent to the channel: listed there too. Writing in a thread follows it.
    expect(listed()).toEqual([1, 2]);
    expect(threads.threads()['m1'].follow).toMatchObject({ following: true, lastReadSeq: 2 });
    expect(threads.lastOwnReply('m1', ME)?.id).toBe('m2');
  });

  it('opening marks the thread read up to its newest reply; a reply arriving while it is open is read too, each seq once', async () => {
    // The channel has taken them already (the thread was not open then).
    messages.receive(reply(2));
    messages.receive(reply(3));
    api.replies.mockResolvedValueOnce(page([reply(2), reply(3)]));
    await threads.open('m1', 'c');
    expect(api.readThread).toHaveBeenCalledExactlyOnceWith('m1', 3);
    messages.receive(reply(4));
    await settle();
    expect(api.readThread).toHaveBeenLastCalledWith('m1', 4);
    await threads.markRead('m1');
    expect(api.readThread).toHaveBeenCalledTimes(2);
    // Closed: replies are no longer read.
    threads.close();
    messages.receive(reply(5));
    await settle();
    expect(api.readThread).toHaveBeenCalledTimes(2);
  });

  it('the threads list counts followed threads with unread replies; reading and unfollowing update it', async () => {
    const entry = (id: string, unreadReplies: number): ThreadDto => ({ root: stored(1, { id, replyCount: 3 }), unreadReplies, following: true, lastReadSeq: 0 });
    api.threads.mockResolvedValueOnce([entry('m1', 2), entry('m9', 1), entry('m8', 0)]);
    await threads.refreshList();
    expect(api.threads).toHaveBeenCalledWith('w1');
    expect(threads.unreadThreads()).toBe(2);
    api.replies.mockResolvedValueOnce(page([reply(2), reply(3)]));
    api.readThread.mockResolvedValueOnce(state({ lastReadSeq: 3, unreadReplies: 0 }));
    await threads.open('m1', 'c');
    expect(threads.unreadThreads()).toBe(1);
    expect(threads.followed().find((t) => t.root.id === 'm1')?.unreadReplies).toBe(0);
    await threads.setFollowing('m1', false);
    expect(api.follow).toHaveBeenCalledWith('m1', false);
    expect(threads.followed().map((t) => t.root.id)).toEqual(['m9', 'm8']);
    expect(threads.threads()['m1'].follow?.following).toBe(false);
  });

  it('a live reply to a followed thread fetches the list again once the burst settles; one to a thread nobody here follows does not', async () => {
    api.threads.mockResolvedValue([{ root: stored(9, { id: 'm9' }), unreadReplies: 0, following: true, lastReadSeq: 0 }]);
    await threads.refreshList();
    vi.useFakeTimers();
    threads.noteMessage(stored(10, { threadRootId: 'm9', senderId: 'bruno' }));
    threads.noteMessage(stored(11, { threadRootId: 'm9', senderId: 'bruno' }));
    threads.noteMessage(stored(12, { threadRootId: 'm7', senderId: 'bruno' }));
    threads.noteMessage(stored(13));
    expect(api.threads).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(THREADS_REFRESH_MS);
    expect(api.threads).toHaveBeenCalledTimes(2);
    // One's own reply follows the thread: the list changes too.
    threads.noteMessage(stored(14, { threadRootId: 'm7', senderId: ME }));
    vi.advanceTimersByTime(THREADS_REFRESH_MS);
    expect(api.threads).toHaveBeenCalledTimes(3);
  });
});
