import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { PresenceDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { FakeSocket } from './chat-test-fixtures';
import { PresenceStore, TYPING_TTL_MS } from './presence-store';

describe('PresenceStore', () => {
  let socket: FakeSocket;
  let presence: ReturnType<typeof vi.fn>;
  let store: PresenceStore;
  let channels: ChannelsStore;

  beforeEach(() => {
    socket = new FakeSocket();
    presence = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: ChatApi, useValue: { presence } },
        { provide: AuthStore, useValue: { user: signal({ id: 'me' }) } },
      ],
    });
    store = TestBed.inject(PresenceStore);
    channels = TestBed.inject(ChannelsStore);
  });

  it('statusUpdate sets a person’s status; someone never heard of is offline', () => {
    expect(store.presenceOf('ana')).toBe('offline');
    socket.emit('statusUpdate', { userId: 'ana', status: 'dnd', lastSeenAt: null });
    expect(store.presenceOf('ana')).toBe('dnd');
    store.set('ana', 'away');
    expect(store.presenceOf('ana')).toBe('away');
  });

  it('userTyping shows others typing until the indicator lapses or they stop; never oneself', () => {
    socket.emit('userTyping', { userId: 'ana', channelId: 'c', typing: true });
    socket.emit('userTyping', { userId: 'me', channelId: 'c', typing: true });
    socket.emit('userTyping', { userId: 'bo', channelId: 'other', typing: true });
    expect(store.typingIn('c')).toEqual(['ana']);
    expect(store.typingIn('c', Date.now() + TYPING_TTL_MS + 1)).toEqual([]);
    socket.emit('userTyping', { userId: 'ana', channelId: 'c', typing: false });
    expect(store.typingIn('c')).toEqual([]);
    expect(store.typingIn('other')).toEqual(['bo']);
  });

  it('refresh loads the open workspace’s presence, and drops an answer that comes after another workspace opened', async () => {
    await store.refresh();
    expect(presence).not.toHaveBeenCalled();
    channels.select('w1');
    presence.mockResolvedValueOnce([{ userId: 'ana', status: 'online', lastSeenAt: null }] satisfies PresenceDto[]);
    await store.refresh();
    expect(presence).toHaveBeenCalledWith('w1');
    expect(store.presenceOf('ana')).toBe('online');
    let answer!: (list: PresenceDto[]) => void;
    presence.mockReturnValueOnce(new Promise<PresenceDto[]>((resolve) => (answer = resolve)));
    const late = store.refresh();
    channels.select('w2');
    answer([{ userId: 'ana', status: 'away', lastSeenAt: null }]);
    await late;
    expect(store.presenceOf('ana')).toBe('online');
  });
});
