import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ChannelDto, MessageChangeEvent, MessageDto, MessageMentions } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore, mayMoveMentions, readTo, withMessage } from './channels-store';
import { ChatApi } from './chat-api';
import { channel, FakeSocket, stored } from './chat-test-fixtures';

const ME = 'me';
const naming = (userIds: string[], broadcast: MessageMentions['broadcast'] = null): MessageMentions => ({ userIds, channelIds: [], broadcast });

describe('mention counts (withMessage, readTo)', () => {
  const c = (changes: Partial<ChannelDto> = {}) => channel('c', { lastSeq: 4, lastReadSeq: 4, ...changes });

  it('counts a new message that names one, or @channel / @here, past the read position', () => {
    expect(withMessage(c(), stored(5, { channelId: 'c', mentions: naming([ME]) }), ME).mentionCount).toBe(1);
    expect(withMessage(c(), stored(5, { channelId: 'c', mentions: naming([], 'here') }), ME).mentionCount).toBe(1);
    expect(withMessage(c({ mentionCount: 2 }), stored(5, { channelId: 'c', mentions: naming(['ana', ME]) }), ME)).toMatchObject({ mentionCount: 3, unreadCount: 1 });
  });

  it('does not count a message naming others, one already in the list, one already read, nor in a channel one is not in', () => {
    expect(withMessage(c(), stored(5, { channelId: 'c', mentions: naming(['ana']) }), ME).mentionCount).toBe(0);
    expect(withMessage(c({ lastSeq: 6, lastReadSeq: 2, mentionCount: 1 }), stored(5, { channelId: 'c', mentions: naming([ME]) }), ME).mentionCount).toBe(1);
    expect(withMessage(c({ lastSeq: 4, lastReadSeq: 6 }), stored(5, { channelId: 'c', mentions: naming([ME]) }), ME).mentionCount).toBe(0);
    expect(withMessage(c({ member: false }), stored(5, { channelId: 'c', mentions: naming([ME]) }), ME).mentionCount).toBe(0);
    // A message as it was made in the client (tokens in the text, no server list yet) mentions nobody.
    expect(withMessage(c(), stored(5, { channelId: 'c', text: `<@${ME}>` }), ME).mentionCount).toBe(0);
  });

  it('one’s own message reads the channel, so its mentions are gone; so does reading to the newest', () => {
    expect(withMessage(c({ lastSeq: 6, lastReadSeq: 4, mentionCount: 2 }), stored(7, { channelId: 'c', senderId: ME, mentions: naming([], 'channel') }), ME)).toMatchObject({
      lastReadSeq: 7,
      unreadCount: 0,
      mentionCount: 0,
    });
    expect(readTo(c({ lastSeq: 9, lastReadSeq: 4, unreadCount: 5, mentionCount: 2 }), 9)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    // Part read: which of the rest count (or mention one) only the server knows; the counts stay until its next list, never above the seqs left.
    expect(readTo(c({ lastSeq: 9, lastReadSeq: 4, unreadCount: 5, mentionCount: 2 }), 7)).toMatchObject({ unreadCount: 2, mentionCount: 2 });
    expect(readTo(c({ lastSeq: 9, lastReadSeq: 4, unreadCount: 1, mentionCount: 1 }), 7)).toMatchObject({ unreadCount: 1, mentionCount: 1 });
  });
});

const change = (kind: MessageChangeEvent['kind'], message: MessageDto): MessageChangeEvent => ({ channelId: 'c', changeSeq: 1, kind, actorId: message.senderId, message });

describe('mayMoveMentions (an edit or delete that may change the mention count)', () => {
  const c = (changes: Partial<ChannelDto> = {}) => channel('c', { lastSeq: 6, lastReadSeq: 4, unreadCount: 2, ...changes });

  it('is so for an unread message of someone else that mentions one now, or when the channel counts mentions', () => {
    expect(mayMoveMentions(c(), change('edited', stored(5, { channelId: 'c', mentions: naming([ME]) })), ME)).toBe(true);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('edited', stored(5, { channelId: 'c' })), ME)).toBe(true);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('deleted', stored(6, { channelId: 'c' })), ME)).toBe(true);
  });

  it('is not so for a read message, one’s own, a reaction or pin, a thread reply, a channel without mentions, or one one is not in', () => {
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('edited', stored(4, { channelId: 'c' })), ME)).toBe(false);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('edited', stored(5, { channelId: 'c', senderId: ME })), ME)).toBe(false);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('reacted', stored(5, { channelId: 'c' })), ME)).toBe(false);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('pinned', stored(5, { channelId: 'c' })), ME)).toBe(false);
    expect(mayMoveMentions(c({ mentionCount: 1 }), change('edited', stored(5, { channelId: 'c', threadRootId: 'r' })), ME)).toBe(false);
    expect(mayMoveMentions(c(), change('deleted', stored(5, { channelId: 'c' })), ME)).toBe(false);
    expect(mayMoveMentions(c({ member: false, mentionCount: 1 }), change('edited', stored(5, { channelId: 'c' })), ME)).toBe(false);
    expect(mayMoveMentions(undefined, change('edited', stored(5, { channelId: 'c', mentions: naming([ME]) })), ME)).toBe(false);
  });
});

describe('ChannelsStore mention counts', () => {
  let socket: FakeSocket;
  let api: { channels: ReturnType<typeof vi.fn>; channel: ReturnType<typeof vi.fn> };
  let store: ChannelsStore;

  beforeEach(async () => {
    socket = new FakeSocket();
    api = { channels: vi.fn(), channel: vi.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: api },
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me Myself' }) } },
      ],
    });
    store = TestBed.inject(ChannelsStore);
    store.select('w1');
    api.channels.mockResolvedValueOnce([channel('c', { lastSeq: 3, lastReadSeq: 1, unreadCount: 2, mentionCount: 1 })]);
    await store.refreshChannels();
  });

  it('counts live mentions, and clears them when the channel is read here or on another device', () => {
    store.noteMessage(stored(4, { channelId: 'c', mentions: naming([ME]) }));
    expect(store.find('c')).toMatchObject({ unreadCount: 3, mentionCount: 2 });
    store.markRead('c');
    expect(store.find('c')).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    store.noteMessage(stored(5, { channelId: 'c', mentions: naming([], 'here') }));
    expect(store.find('c')?.mentionCount).toBe(1);
    socket.emit('readUpdate', { channelId: 'c', userId: ME, seq: 5 });
    expect(store.find('c')?.mentionCount).toBe(0);
  });

  it('a list fetched again keeps a live count it does not hold yet, and has none once all is read', async () => {
    store.noteMessage(stored(4, { channelId: 'c', mentions: naming([ME]) }));
    api.channels.mockResolvedValueOnce([channel('c', { lastSeq: 3, lastReadSeq: 1, unreadCount: 2, mentionCount: 1 })]);
    await store.refreshChannels();
    expect(store.find('c')).toMatchObject({ lastSeq: 4, mentionCount: 2 });
    store.markRead('c');
    api.channels.mockResolvedValueOnce([channel('c', { lastSeq: 4, lastReadSeq: 1, unreadCount: 3, mentionCount: 2 })]);
    await store.refreshChannels();
    expect(store.find('c')).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });

  it('an edit that mentions one, or a delete of a mention, fetches the channel once for its count', async () => {
    vi.useFakeTimers();
    try {
      api.channel.mockResolvedValue(channel('c', { lastSeq: 3, lastReadSeq: 1, unreadCount: 2, mentionCount: 2 }));
      socket.emit('messageUpdated', change('edited', stored(2, { channelId: 'c', mentions: naming([ME]) })));
      socket.emit('messageUpdated', change('edited', stored(3, { channelId: 'c', mentions: naming([ME]) })));
      await vi.advanceTimersByTimeAsync(400);
      expect(api.channel).toHaveBeenCalledTimes(1);
      expect(store.find('c')).toMatchObject({ unreadCount: 2, mentionCount: 2 });

      api.channel.mockResolvedValue(channel('c', { lastSeq: 3, lastReadSeq: 1, unreadCount: 2, mentionCount: 0 }));
      socket.emit('messageDeleted', change('deleted', stored(3, { channelId: 'c' })));
      await vi.advanceTimersByTimeAsync(400);
      expect(api.channel).toHaveBeenCalledTimes(2);
      expect(store.find('c')?.mentionCount).toBe(0);

      // A reaction, or an edit of a message already read, asks nothing.
      socket.emit('reactionUpdated', change('reacted', stored(2, { channelId: 'c', mentions: naming([ME]) })));
      socket.emit('messageUpdated', change('edited', stored(1, { channelId: 'c', mentions: naming([ME]) })));
      await vi.advanceTimersByTimeAsync(400);
      expect(api.channel).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('highlights by the server’s list (mentionsMe), never for one’s own message', () => {
    expect(store.mentionsMe(stored(1, { mentions: naming([ME]) }))).toBe(true);
    expect(store.mentionsMe(stored(1, { mentions: naming([], 'channel') }))).toBe(true);
    expect(store.mentionsMe(stored(1, { senderId: ME, mentions: naming([], 'channel') }))).toBe(false);
    expect(store.mentionsMe(stored(1, { text: '@Me Myself' }))).toBe(false);
  });

  it('names for tokens: people and channels it knows, null for the rest', () => {
    store.members.set({ ana: { userId: 'ana', displayName: 'Ana' } } as never);
    expect(store.userName('ana')).toBe('Ana');
    expect(store.userName(ME)).toBe('Me Myself');
    expect(store.userName('gone')).toBeNull();
    expect(store.channelName('c')).toBe('c');
    expect(store.channelPath('c')).toBe('/w/w1/c/c');
    expect(store.channelName('gone')).toBeNull();
    expect(store.plainText('<@00000000-0000-4000-8000-000000000000> hi')).toBe('@unknown hi');
  });
});
