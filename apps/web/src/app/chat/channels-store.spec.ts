import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { type ChannelDto, CommonErrorCode } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { channel, FakeSocket, stored } from './chat-test-fixtures';
import { MessagesStore } from './messages-store';

const ME = 'me';

describe('ChannelsStore', () => {
  let socket: FakeSocket;
  let api: { channels: ReturnType<typeof vi.fn>; history: ReturnType<typeof vi.fn> };
  let store: ChannelsStore;

  async function open(list: ChannelDto[]): Promise<void> {
    store.select('w1');
    api.channels.mockResolvedValueOnce(list);
    await store.refreshChannels();
  }

  beforeEach(() => {
    socket = new FakeSocket();
    api = { channels: vi.fn(), history: vi.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: api },
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me Myself' }) } },
      ],
    });
    store = TestBed.inject(ChannelsStore);
  });

  it('sorts the list into channels, DMs and browsable ones, and sums the unread of channels one is in', async () => {
    await open([
      channel('general', { lastSeq: 5, lastReadSeq: 3, unreadCount: 2 }),
      channel('dm', { type: 'dm', name: null, dmUserIds: [ME, 'ana'], lastSeq: 1, unreadCount: 1 }),
      channel('random', { member: false, lastSeq: 5 }),
      channel('old', { member: false, archivedAt: new Date(0).toISOString() }),
    ]);
    expect(store.joinedChannels().map((c) => c.id)).toEqual(['general']);
    expect(store.directMessages().map((c) => c.id)).toEqual(['dm']);
    expect(store.browsableChannels().map((c) => c.id)).toEqual(['random']);
    expect(store.channels().map((c) => c.unreadCount)).toEqual([2, 1, 0, 0]);
    expect(store.totalUnread()).toBe(3);
  });

  it('a fetched list keeps the newest seq and read position either side knows, and the counts kept live when they are newer', async () => {
    await open([channel('general', { lastSeq: 4, lastReadSeq: 4 })]);
    // Messages held run ahead of the list, one came live, and a read moved on meanwhile.
    api.history.mockResolvedValueOnce({ items: [stored(9, { channelId: 'general' })], hasMore: false });
    await TestBed.inject(MessagesStore).openChannel('general', 0);
    store.noteMessage(stored(8, { channelId: 'general', senderId: 'ana' }));
    socket.emit('readUpdate', { channelId: 'general', userId: ME, seq: 6 });
    api.channels.mockResolvedValueOnce([channel('general', { lastSeq: 5, lastReadSeq: 5, unreadCount: 0 })]);
    await store.refreshChannels();
    expect(store.channels()[0]).toMatchObject({ lastSeq: 9, lastReadSeq: 6, unreadCount: 1 });
    // A list as new as what is known is the truth (thread replies, deleted and one's own messages are not counted there).
    api.channels.mockResolvedValueOnce([channel('general', { lastSeq: 9, lastReadSeq: 6, unreadCount: 2 })]);
    await store.refreshChannels();
    expect(store.channels()[0]).toMatchObject({ lastSeq: 9, lastReadSeq: 6, unreadCount: 2 });
  });

  it('counts only what the history shows: a thread reply (not sent to the channel) moves the seq but is not unread; a deleted unread message counts no more', async () => {
    await open([channel('c', { lastSeq: 1, lastReadSeq: 1 })]);
    store.noteMessage(stored(2, { senderId: 'ana', threadRootId: 'r' }));
    expect(store.channels()[0]).toMatchObject({ lastSeq: 2, unreadCount: 0 });
    store.noteMessage(stored(3, { senderId: 'ana', threadRootId: 'r', alsoInChannel: true }));
    store.noteMessage(stored(4, { senderId: 'ana' }));
    expect(store.channels()[0]).toMatchObject({ lastSeq: 4, unreadCount: 2 });
    socket.emit('messageDeleted', { channelId: 'c', changeSeq: 1, kind: 'deleted', actorId: 'ana', message: stored(4, { senderId: 'ana', deletedAt: new Date(0).toISOString(), text: '' }) });
    expect(store.channels()[0].unreadCount).toBe(1);
    // A deleted thread reply was never counted.
    socket.emit('messageDeleted', { channelId: 'c', changeSeq: 2, kind: 'deleted', actorId: 'ana', message: stored(2, { senderId: 'ana', threadRootId: 'r', deletedAt: new Date(0).toISOString() }) });
    expect(store.channels()[0].unreadCount).toBe(1);
    // Reading to the newest seq reads everything.
    store.markRead('c');
    expect(store.channels()[0]).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
  });

  it('a stored message moves the channel’s seq: one’s own is read, anyone else’s is unread', async () => {
    await open([channel('c', { lastSeq: 1, lastReadSeq: 1 })]);
    store.noteMessage(stored(2, { senderId: 'ana' }));
    expect(store.channels()[0]).toMatchObject({ lastSeq: 2, lastReadSeq: 1, unreadCount: 1 });
    store.noteMessage(stored(3, { senderId: ME }));
    expect(store.channels()[0]).toMatchObject({ lastSeq: 3, lastReadSeq: 3, unreadCount: 0 });
  });

  it('readUpdate from another of one’s tabs moves the read position; someone else’s read does not', async () => {
    await open([channel('c', { lastSeq: 8, lastReadSeq: 2, unreadCount: 6 })]);
    socket.emit('readUpdate', { channelId: 'c', userId: 'ana', seq: 8 });
    expect(store.channels()[0].unreadCount).toBe(6);
    socket.emit('readUpdate', { channelId: 'c', userId: ME, seq: 5 });
    expect(store.channels()[0]).toMatchObject({ lastReadSeq: 5, unreadCount: 3 });
    // An older position never moves it back.
    socket.emit('readUpdate', { channelId: 'c', userId: ME, seq: 1 });
    expect(store.channels()[0]).toMatchObject({ lastReadSeq: 5, unreadCount: 3 });
  });

  it('markRead tells the server once, up to the newest seq, and only for a channel one is in', async () => {
    await open([channel('c', { lastSeq: 4, lastReadSeq: 1, unreadCount: 3 }), channel('random', { member: false, lastSeq: 7 })]);
    store.markRead('c');
    store.markRead('c');
    store.markRead('random');
    expect(socket.requests).toEqual([{ event: 'markRead', payload: { channelId: 'c', seq: 4 } }]);
    expect(store.channels()[0]).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
  });

  it('forget drops a workspace from the list, and closes it when it is the open one', async () => {
    store.workspaces.set([{ id: 'w1' }, { id: 'w2' }] as never);
    await open([channel('c')]);
    expect(store.forget('w2')).toBe(false);
    expect(store.workspaceId()).toBe('w1');
    expect(store.forget('w1')).toBe(true);
    expect(store.workspaces()).toEqual([]);
    expect(store.workspaceId()).toBeNull();
    expect(store.channels()).toEqual([]);
  });

  it('names: one’s own from the account, others from the members, a DM after the other people', () => {
    store.members.set({ ana: { userId: 'ana', displayName: 'Ana' } } as never);
    expect(store.displayName(ME)).toBe('Me Myself');
    expect(store.displayName('ana')).toBe('Ana');
    expect(store.displayName('gone')).toBe('Someone');
    expect(store.channelLabel(channel('dm', { type: 'dm', name: null, dmUserIds: [ME, 'ana'] }))).toBe('Ana');
    expect(store.channelLabel(channel('self', { type: 'dm', name: null, dmUserIds: [ME] }))).toBe('Just you');
    expect(store.channelLabel(channel('general'))).toBe('general');
  });

  it('a read the server could not take (still connecting after a reload) is sent on the next connection', async () => {
    await open([channel('general', { lastSeq: 5, lastReadSeq: 2 })]);
    socket.answer = () => ({ ok: false, error: { code: CommonErrorCode.ServiceUnavailable, message: 'Not connected', retryable: true } });
    store.markRead('general');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.channels()[0]).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
    socket.answer = () => ({ ok: true, data: null });
    socket.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.requests.filter((r) => r.event === 'markRead').map((r) => r.payload)).toEqual([
      { channelId: 'general', seq: 5 },
      { channelId: 'general', seq: 5 },
    ]);
    socket.connect();
    expect(socket.requests.filter((r) => r.event === 'markRead')).toHaveLength(2);
  });
});
