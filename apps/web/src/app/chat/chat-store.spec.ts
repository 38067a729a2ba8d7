import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { ChannelDto, MessageDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { ChatStore } from './chat-store';
import { channel, FakeSocket, stored } from './chat-test-fixtures';
import { MessagesStore } from './messages-store';
import { Notifier } from './notifier';
import { PresenceStore } from './presence-store';

const ME = 'me';

/** ChatStore ties the stores together: what one stored message does to each of them. */
describe('ChatStore', () => {
  let socket: FakeSocket;
  let notify: ReturnType<typeof vi.fn>;
  let chat: ChatStore;
  let channels: ChannelsStore;
  let messages: MessagesStore;
  let presence: PresenceStore;

  async function open(): Promise<void> {
    await chat.openWorkspace('w1');
    await messages.openChannel('c');
  }

  beforeEach(() => {
    socket = new FakeSocket();
    socket.answer = (event) => (event === 'sync' ? { ok: true, data: { messages: [], truncated: [] } } : { ok: true, data: null });
    notify = vi.fn();
    const list: ChannelDto[] = [channel('c', { lastSeq: 1, lastReadSeq: 1 }), channel('dm', { type: 'dm', name: null, dmUserIds: [ME, 'ana'] })];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: SocketService, useValue: socket },
        { provide: Notifier, useValue: { notify } },
        { provide: AuthStore, useValue: { user: signal({ id: ME, displayName: 'Me' }) } },
        {
          provide: ChatApi,
          useValue: {
            workspaces: () => Promise.resolve([{ id: 'w1', name: 'W' }]),
            channels: () => Promise.resolve(list),
            members: () => Promise.resolve([{ userId: 'ana', displayName: 'Ana', state: 'active' }]),
            presence: () => Promise.resolve([]),
            channel: (id: string) => Promise.resolve(list.find((c) => c.id === id)),
            history: () => Promise.resolve({ items: [stored(1)], hasMore: false }),
          },
        },
      ],
    });
    chat = TestBed.inject(ChatStore);
    channels = TestBed.inject(ChannelsStore);
    messages = TestBed.inject(MessagesStore);
    presence = TestBed.inject(PresenceStore);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
  });

  afterEach(() => vi.restoreAllMocks());

  it('a message in a channel one is not looking at: held, unread, the sender stops typing, and a DM notifies', async () => {
    await open();
    messages.activeChannelId.set(null);
    socket.emit('userTyping', { userId: 'ana', channelId: 'c', typing: true });
    socket.emit('newMessage', stored(2, { senderId: 'ana' }));
    expect(messages.messages()['c'].messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(channels.find('c')).toMatchObject({ lastSeq: 2, unreadCount: 1 });
    expect(presence.typingIn('c')).toEqual([]);
    expect(socket.requests.filter((r) => r.event === 'markRead')).toEqual([]);
    // A plain channel message without a mention does not ring; a DM does.
    expect(notify).not.toHaveBeenCalled();
    socket.emit('newMessage', stored(1, { channelId: 'dm', senderId: 'ana', text: 'hi', id: 'dm1' }));
    expect(notify).toHaveBeenCalledWith('Ana', 'hi', expect.any(Function));
  });

  it('a message in the channel one is looking at is marked read at once, and does not notify', async () => {
    await open();
    socket.emit('newMessage', stored(2, { senderId: 'ana' }));
    expect(socket.requests.filter((r) => r.event === 'markRead')).toEqual([{ event: 'markRead', payload: { channelId: 'c', seq: 2 } }]);
    expect(channels.find('c')).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });
    expect(notify).not.toHaveBeenCalled();
  });

  it('a send shows as pending, becomes the stored message on the ack, and leaves the channel read', async () => {
    await open();
    let answer!: (message: MessageDto) => void;
    socket.answer = (event, payload) =>
      event === 'sendMessage'
        ? new Promise((resolve) => (answer = (message) => resolve({ ok: true, data: { ...message, clientMsgId: (payload as { clientMsgId: string }).clientMsgId } })))
        : { ok: true, data: null };
    chat.send('c', 'hello');
    expect(messages.messages()['c'].outbox.map((m) => [m.text, m.state])).toEqual([['hello', 'pending']]);
    answer(stored(2, { senderId: ME, text: 'hello' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(messages.messages()['c'].outbox).toEqual([]);
    expect(messages.messages()['c'].messages.map((m) => [m.seq, m.text, m.state])).toEqual([
      [1, 't1', 'sent'],
      [2, 'hello', 'sent'],
    ]);
    expect(channels.find('c')).toMatchObject({ lastSeq: 2, lastReadSeq: 2, unreadCount: 0 });
  });

  it('a live message past a gap syncs that channel (and only that one)', async () => {
    await open();
    socket.emit('newMessage', stored(2, { senderId: 'ana' }));
    expect(socket.requests.filter((r) => r.event === 'sync')).toEqual([]);
    socket.emit('newMessage', stored(5, { senderId: 'ana' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const syncs = socket.requests.filter((r) => r.event === 'sync');
    // From the last seq before the gap, so the missing 3 and 4 are fetched.
    expect(syncs.map((r) => r.payload)).toEqual([{ cursors: { c: 2 }, changeCursors: { c: 0 } }]);
  });

  it('a reconnection syncs each channel held from its seq and its change cursor, and applies the changes it missed', async () => {
    await open();
    socket.answer = (event) =>
      event === 'sync'
        ? {
            ok: true,
            data: {
              messages: [],
              changes: [{ channelId: 'c', changeSeq: 1, kind: 'edited', message: stored(1, { text: 'edited while away', editedAt: new Date(5).toISOString() }) }],
              truncated: [],
            },
          }
        : { ok: true, data: null };
    socket.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.requests.filter((r) => r.event === 'sync').map((r) => r.payload)).toEqual([{ cursors: { c: 1 }, changeCursors: { c: 0 } }]);
    expect(messages.messages()['c'].messages.map((m) => m.text)).toEqual(['edited while away']);
    expect(messages.messages()['c'].lastChangeSeq).toBe(1);
  });

  it('workspaceLeft for the open workspace: its messages are dropped and the chat goes home', async () => {
    await open();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    socket.emit('workspaceLeft', { workspaceId: 'w1' });
    expect(messages.messages()).toEqual({});
    expect(messages.activeChannelId()).toBeNull();
    expect(channels.workspaceId()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/']);
  });
});
