import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { type ChannelReadsDto, READ_RECEIPTS_MAX_MEMBERS, type UserDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { channel, FakeSocket, stored } from './chat-test-fixtures';
import type { ChatMessage } from './message-groups';
import { MessagesStore } from './messages-store';
import { readByLabel, readersOf, ReadReceiptsStore, receiptsKind, seenLabel, seenUnder } from './read-receipts';

const ME = 'me';
const sent = (seq: number, senderId: string, changes: Partial<ChatMessage> = {}): ChatMessage => ({ ...stored(seq, { senderId }), state: 'sent', ...changes });

describe('read receipts: who is shown where', () => {
  it('DMs and group DMs always show receipts; channels up to the limit, on hover', () => {
    expect(receiptsKind({ type: 'dm', memberCount: 2 })).toBe('dm');
    expect(receiptsKind({ type: 'group_dm', memberCount: 8 })).toBe('group_dm');
    expect(receiptsKind({ type: 'private', memberCount: READ_RECEIPTS_MAX_MEMBERS })).toBe('channel');
    expect(receiptsKind({ type: 'public', memberCount: READ_RECEIPTS_MAX_MEMBERS + 1 })).toBeNull();
  });

  it('"Seen" goes under the newest of my messages each person has read, not under theirs', () => {
    const messages = [sent(1, ME), sent(2, ME), sent(3, 'ana'), sent(4, ME), sent(5, 'bruno'), sent(6, ME)];
    const placed = seenUnder(messages, { ana: 3, bruno: 5, carla: 6, dora: 0 }, ME);
    expect([...placed.entries()]).toEqual([
      [2, ['ana']],
      [4, ['bruno']],
      [6, ['carla']],
    ]);
  });

  it('pending, failed and deleted messages carry no "Seen"', () => {
    const messages = [sent(1, ME), sent(2, ME, { deletedAt: new Date(0).toISOString() }), sent(3, ME, { state: 'pending' })];
    expect([...seenUnder(messages, { ana: 3 }, ME).entries()]).toEqual([[1, ['ana']]]);
    expect(seenUnder([sent(1, 'ana')], { ana: 1 }, ME).size).toBe(0);
  });

  it('who has read a message in a channel: whoever reached it, never its sender', () => {
    expect(readersOf({ seq: 4, senderId: 'ana' }, { ana: 9, bruno: 4, carla: 3, dora: 7 })).toEqual(['bruno', 'dora']);
  });

  it('labels', () => {
    expect(seenLabel('dm', ['Ana'])).toBe('Seen');
    expect(seenLabel('group_dm', ['Ana', 'Bruno'])).toBe('Seen by Ana, Bruno');
    expect(readByLabel(['Ana'])).toBe('Read by Ana');
    expect(readByLabel(['Ana', 'Bruno'])).toBe('Read by Ana and Bruno');
    expect(readByLabel(['Ana', 'Bruno', 'Carla'])).toBe('Read by Ana, Bruno and Carla');
    expect(readByLabel(['Ana', 'Bruno', 'Carla', 'Dora', 'Eli'])).toBe('Read by Ana, Bruno and 3 others');
  });
});

describe('ReadReceiptsStore', () => {
  let socket: FakeSocket;
  let api: { reads: ReturnType<typeof vi.fn> };
  let user: ReturnType<typeof signal<Partial<UserDto>>>;
  let store: ReadReceiptsStore;
  const messages = signal<Record<string, { messages: ChatMessage[] }>>({});
  const available = (reads: ChannelReadsDto['reads']): ChannelReadsDto => ({ available: true, unavailableReason: null, reads });

  beforeEach(() => {
    socket = new FakeSocket();
    api = { reads: vi.fn() };
    user = signal<Partial<UserDto>>({ id: ME, readReceipts: true });
    messages.set({ dm: { messages: [sent(1, ME), sent(2, 'ana'), sent(3, ME)] } });
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: api },
        { provide: AuthStore, useValue: { user } },
        { provide: MessagesStore, useValue: { messages } },
      ],
    });
    store = TestBed.inject(ReadReceiptsStore);
  });

  it('loads a DM’s receipts on open and moves "Seen" live', async () => {
    api.reads.mockResolvedValueOnce(available([{ userId: 'ana', lastReadSeq: 2 }]));
    store.follow(channel('dm', { type: 'dm', memberCount: 2 }));
    await vi.waitFor(() => expect([...store.seen().entries()]).toEqual([[1, ['ana']]]));
    socket.emit('readUpdate', { channelId: 'dm', userId: 'ana', seq: 3 });
    expect([...store.seen().entries()]).toEqual([[3, ['ana']]]);
    // Another channel's read, an older one, or my own (from another device) changes nothing here.
    socket.emit('readUpdate', { channelId: 'other', userId: 'ana', seq: 9 });
    socket.emit('readUpdate', { channelId: 'dm', userId: 'ana', seq: 1 });
    socket.emit('readUpdate', { channelId: 'dm', userId: ME, seq: 3 });
    expect(store.receipts()?.positions).toEqual({ ana: 3 });
  });

  it('someone who turns receipts off is no longer "Seen", at once; the others stay', async () => {
    api.reads.mockResolvedValueOnce(available([{ userId: 'ana', lastReadSeq: 3 }, { userId: 'bruno', lastReadSeq: 1 }]));
    store.follow(channel('dm', { type: 'group_dm', memberCount: 3 }));
    await vi.waitFor(() => expect([...store.seen().entries()]).toEqual([[3, ['ana']], [1, ['bruno']]]));
    socket.emit('readReceiptsWithdrawn', { userId: 'ana' });
    expect([...store.seen().entries()]).toEqual([[1, ['bruno']]]);
    expect(store.receipts()?.positions).toEqual({ bruno: 1 });
    // Someone not shown changes nothing.
    socket.emit('readReceiptsWithdrawn', { userId: 'carla' });
    expect(store.receipts()?.positions).toEqual({ bruno: 1 });
  });

  it('an event that arrives while loading is kept', async () => {
    let answer!: (reads: ChannelReadsDto) => void;
    api.reads.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    store.follow(channel('dm', { type: 'dm', memberCount: 2 }));
    socket.emit('readUpdate', { channelId: 'dm', userId: 'ana', seq: 3 });
    answer(available([{ userId: 'ana', lastReadSeq: 1 }]));
    await vi.waitFor(() => expect(store.receipts()?.positions).toEqual({ ana: 3 }));
  });

  it('loads once per channel, again when its size or my switch changes; none for a big channel', async () => {
    api.reads.mockResolvedValue(available([]));
    const small = channel('c', { memberCount: 3 });
    store.follow(small);
    store.follow({ ...small });
    expect(api.reads).toHaveBeenCalledTimes(1);
    store.follow({ ...small, memberCount: READ_RECEIPTS_MAX_MEMBERS + 1 });
    expect(store.receipts()).toBeNull();
    expect(api.reads).toHaveBeenCalledTimes(1);
    store.follow(small);
    user.set({ id: ME, readReceipts: false });
    store.follow(small);
    expect(api.reads).toHaveBeenCalledTimes(3);
  });

  it('shows nothing when the server says receipts are not available, or when the channel closes', async () => {
    api.reads.mockResolvedValueOnce({ available: false, unavailableReason: 'you', reads: [] } satisfies ChannelReadsDto);
    store.follow(channel('dm', { type: 'dm', memberCount: 2 }));
    await vi.waitFor(() => expect(store.receipts()).toBeNull());
    api.reads.mockResolvedValueOnce(available([{ userId: 'ana', lastReadSeq: 2 }]));
    store.follow(channel('c', { memberCount: 3 }));
    await vi.waitFor(() => expect(store.receipts()?.positions).toEqual({ ana: 2 }));
    expect(store.seen().size).toBe(0); // a channel shows who read on hover, not "Seen" lines
    store.follow(null);
    expect(store.receipts()).toBeNull();
  });

  it('loads again after a reconnection (events were missed meanwhile)', async () => {
    api.reads.mockResolvedValueOnce(available([{ userId: 'ana', lastReadSeq: 1 }]));
    store.follow(channel('dm', { type: 'dm', memberCount: 2 }));
    await vi.waitFor(() => expect(store.receipts()?.positions).toEqual({ ana: 1 }));
    api.reads.mockResolvedValueOnce(available([{ userId: 'ana', lastReadSeq: 3 }]));
    socket.connect();
    await vi.waitFor(() => expect(store.receipts()?.positions).toEqual({ ana: 3 }));
  });
});
