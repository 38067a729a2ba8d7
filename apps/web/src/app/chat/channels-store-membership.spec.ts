import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { ChannelDto, MemberDto, WorkspaceDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { channel, FakeSocket } from './chat-test-fixtures';

/**
 * The store reacting to the server's membership events (issue 10, section 5): a new member sees
 * the workspace and its channels, browse lists and member counts follow, without a reload. The
 * socket is a stand-in that replays server events; HTTP goes to Angular's testing backend.
 */
const ME = 'u-me';

function workspace(id: string, name = id): WorkspaceDto {
  return {
    id,
    name,
    description: null,
    settings: {},
    createdAt: new Date(0).toISOString(),
    role: { id: 'r-member', name: 'Member', builtIn: 'member' },
    permissions: ['channel.browse'],
  } as WorkspaceDto;
}

function member(userId: string, displayName: string): MemberDto {
  return {
    userId,
    email: `${userId}@example.com`,
    displayName,
    avatarUrl: null,
    role: { id: 'r-member', name: 'Member', builtIn: 'member' },
    state: 'active',
    joinedAt: new Date(0).toISOString(),
  };
}

async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('ChannelsStore and membership events', () => {
  let http: HttpTestingController;
  let socket: FakeSocket;
  let chat: ChatStore;
  let store: ChannelsStore;
  const setUser = vi.fn();

  async function expectRequest(url: string): Promise<TestRequest> {
    for (let i = 0; i < 20; i++) {
      const found = http.match((req) => req.method === 'GET' && req.url === url);
      if (found.length === 1) return found[0];
      if (found.length > 1) throw new Error(`${found.length} requests to ${url}`);
      await settle(1);
    }
    return http.expectOne({ method: 'GET', url });
  }

  /** Opens w1 as the chat does, answering its requests. */
  async function openW1(channels: ChannelDto[], members: MemberDto[] = [member(ME, 'Me')]): Promise<void> {
    const opening = chat.openWorkspace('w1');
    (await expectRequest('/api/workspaces')).flush([workspace('w1')]);
    (await expectRequest('/api/workspaces/w1/channels')).flush(channels);
    (await expectRequest('/api/workspaces/w1/members')).flush(members);
    (await expectRequest('/api/workspaces/w1/presence')).flush([]);
    await opening;
  }

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: SocketService, useValue: socket },
        { provide: AuthStore, useValue: { user: signal({ id: ME }), setUser } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    // ChatStore opens workspaces and hears workspaceLeft; the channel list is ChannelsStore's.
    chat = TestBed.inject(ChatStore);
    store = TestBed.inject(ChannelsStore);
  });

  afterEach(() => http.verify());

  it('workspaceJoined (an invite accepted in this or another tab): the workspace list is fetched again and shows it', async () => {
    await openW1([channel('general')]);
    socket.emit('workspaceJoined', { workspaceId: 'w2' });
    (await expectRequest('/api/workspaces')).flush([workspace('w1'), workspace('w2', 'New place')]);
    await settle();
    expect(store.workspaces().map((w) => w.name)).toEqual(['w1', 'New place']);
  });

  it('memberJoined for me (added to a private channel): the channel list is fetched again and lists it', async () => {
    await openW1([channel('general')]);
    socket.emit('memberJoined', { channelId: 'secret', userId: ME, memberCount: 2 });
    (await expectRequest('/api/workspaces/w1/channels')).flush([channel('general'), channel('secret', { type: 'private', memberCount: 2 })]);
    await settle();
    expect(store.joinedChannels().map((c) => c.id)).toEqual(['general', 'secret']);
  });

  it('memberJoined for someone else: the header count follows, and a newcomer is looked up once', async () => {
    await openW1([channel('general', { memberCount: 1 })]);
    socket.emit('memberJoined', { channelId: 'general', userId: 'u-new', memberCount: 2 });
    expect(store.channels()[0].memberCount).toBe(2);
    (await expectRequest('/api/workspaces/w1/members')).flush([member(ME, 'Me'), member('u-new', 'Newcomer')]);
    await settle();
    expect(store.displayName('u-new')).toBe('Newcomer');
    // Someone already known joining another channel costs no request (verify() checks none is left open).
    socket.emit('memberJoined', { channelId: 'general', userId: 'u-new', memberCount: 2 });
    await settle();
  });

  it('userUpdated: a member\'s new name and picture replace the old ones at once; my own go to my account (another device changed them)', async () => {
    await openW1([channel('general')], [member(ME, 'Me'), member('u-ana', 'Ana')]);
    socket.emit('userUpdated', { userId: 'u-ana', displayName: 'Ana Lima', avatarUrl: '/api/files/avatars/u-ana/a1', statusText: null });
    expect(store.displayName('u-ana')).toBe('Ana Lima');
    expect(store.members()['u-ana'].avatarUrl).toBe('/api/files/avatars/u-ana/a1');
    socket.emit('userUpdated', { userId: ME, displayName: 'Me Again', avatarUrl: null, statusText: 'away today' });
    expect(setUser).toHaveBeenCalledWith(expect.objectContaining({ id: ME, displayName: 'Me Again', avatarUrl: null, statusText: 'away today' }));
    // Someone this workspace does not know changes nothing here.
    socket.emit('userUpdated', { userId: 'u-stranger', displayName: 'X', avatarUrl: null, statusText: null });
    expect(store.members()['u-stranger']).toBeUndefined();
  });

  it('memberLeft: the count drops; when it is me, a public channel becomes browsable and a private one goes', async () => {
    await openW1([channel('general', { memberCount: 3 }), channel('secret', { type: 'private', memberCount: 2 })]);
    socket.emit('memberLeft', { channelId: 'general', userId: 'u-other', memberCount: 2 });
    expect(store.channels().find((c) => c.id === 'general')?.memberCount).toBe(2);
    socket.emit('memberLeft', { channelId: 'general', userId: ME, memberCount: 1 });
    socket.emit('memberLeft', { channelId: 'secret', userId: ME, memberCount: 1 });
    expect(store.joinedChannels()).toEqual([]);
    expect(store.browsableChannels().map((c) => [c.id, c.memberCount])).toEqual([['general', 1]]);
  });

  it('channelsChanged (a public channel was created): "Browse channels" lists it', async () => {
    await openW1([channel('general')]);
    expect(store.browsableChannels()).toEqual([]);
    socket.emit('channelsChanged', { workspaceId: 'w1' });
    (await expectRequest('/api/workspaces/w1/channels')).flush([channel('general'), channel('random', { member: false })]);
    await settle();
    expect(store.browsableChannels().map((c) => c.id)).toEqual(['random']);
    // Another workspace's list changing is not fetched.
    socket.emit('channelsChanged', { workspaceId: 'w9' });
    await settle();
  });

  it('channelUpdated carries the member count with the name and topic', async () => {
    await openW1([channel('general')]);
    socket.emit('channelUpdated', channel('general', { name: 'town-square', topic: 'Hi', memberCount: 4 }));
    expect(store.channels()[0]).toMatchObject({ name: 'town-square', topic: 'Hi', memberCount: 4 });
  });

  it('workspaceLeft for the open workspace: it goes from the list and the chat leaves it', async () => {
    await openW1([channel('general')]);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    socket.emit('workspaceLeft', { workspaceId: 'w1' });
    expect(store.workspaces()).toEqual([]);
    expect(store.workspaceId()).toBeNull();
    expect(store.channels()).toEqual([]);
    expect(navigate).toHaveBeenCalledWith(['/']);
  });

  it('a channel list of the previous workspace that answers late does not replace the one now open', async () => {
    await openW1([channel('general')]);
    socket.emit('memberJoined', { channelId: 'general', userId: ME, memberCount: 1 });
    const late = await expectRequest('/api/workspaces/w1/channels');
    const opening = chat.openWorkspace('w2');
    (await expectRequest('/api/workspaces')).flush([workspace('w1'), workspace('w2')]);
    (await expectRequest('/api/workspaces/w2/channels')).flush([channel('general-2', { workspaceId: 'w2' })]);
    (await expectRequest('/api/workspaces/w2/members')).flush([member(ME, 'Me')]);
    (await expectRequest('/api/workspaces/w2/presence')).flush([]);
    await opening;
    late.flush([channel('general')]);
    await settle();
    expect(store.channels().map((c) => c.id)).toEqual(['general-2']);
  });
});
