import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { MemberDto, UserDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { avatarSize, avatarSrc } from '../core/users/avatar-picture';
import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { FakeSocket } from './chat-test-fixtures';

const ME: UserDto = {
  id: 'me',
  email: 'ana@example.com',
  displayName: 'Ana Lima',
  avatarUrl: '/api/files/avatars/me/a1',
  statusText: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readReceipts: true,
};

function member(userId: string, displayName: string, avatarUrl: string | null): MemberDto {
  return {
    userId,
    email: `${userId}@example.com`,
    displayName,
    avatarUrl,
    role: { id: 'r', name: 'Member', builtIn: null },
    state: 'active',
    joinedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('avatarSize and avatarSrc', () => {
  it('pick the smallest stored size that is sharp at the shown size on this screen', () => {
    expect(avatarSize(20)).toBe(64);
    expect(avatarSize(64)).toBe(64);
    expect(avatarSize(36, 2)).toBe(128);
    expect(avatarSize(65)).toBe(128);
    expect(avatarSize(80, 3)).toBe(256);
    expect(avatarSize(300, 2)).toBe(256);
    expect(avatarSize(32, 0)).toBe(64);
  });

  it('add the size to an uploaded picture, and refuse anything else (a picture from another site included)', () => {
    expect(avatarSrc('/api/files/avatars/u/a', 36, 2)).toBe('/api/files/avatars/u/a?size=128');
    expect(avatarSrc('https://tracker.example/me.png', 36, 2)).toBeNull();
    expect(avatarSrc('//tracker.example/me.png', 36, 2)).toBeNull();
    expect(avatarSrc(null, 36)).toBeNull();
    expect(avatarSrc('', 36)).toBeNull();
    expect(avatarSrc('javascript:alert(1)', 36)).toBeNull();
  });
});

describe('Avatar', () => {
  let fixture: ComponentFixture<Avatar>;
  let el: HTMLElement;
  const user = signal<UserDto | null>(ME);

  async function show(inputs: { name: string; userId?: string; size?: number; presence?: 'online' | null }): Promise<void> {
    fixture = TestBed.createComponent(Avatar);
    for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  }

  const img = () => el.querySelector('img');
  const letters = () => el.querySelector('span[aria-hidden="true"]')?.textContent?.trim() ?? null;

  beforeEach(() => {
    user.set(ME);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: SocketService, useValue: new FakeSocket() }, { provide: AuthStore, useValue: { user } }],
    });
    TestBed.inject(ChannelsStore).members.set({
      bruno: member('bruno', 'Bruno Costa', '/api/files/avatars/bruno/b1'),
      carla: member('carla', 'Carla Dias', null),
      // Someone's stale copy of one's own entry: the account's picture wins.
      me: member('me', 'Ana Lima', '/api/files/avatars/me/old'),
    });
  });

  afterEach(() => vi.restoreAllMocks());

  it("shows a member's picture from the workspace's members, in the size that fits, with no alt text (the name is beside it)", async () => {
    await show({ name: 'Bruno Costa', userId: 'bruno', size: 36 });
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/bruno/b1?size=64');
    expect(img()?.getAttribute('alt')).toBe('');
    expect(img()?.getAttribute('loading')).toBe('lazy');
    expect(img()?.style.width).toBe('36px');
    expect(img()?.classList).toContain('rounded-md');
    expect(letters()).toBeNull();
  });

  it("shows one's own picture from the account (a new one shows at once)", async () => {
    await show({ name: 'Ana Lima', userId: 'me', size: 28 });
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/me/a1?size=64');
    user.set({ ...ME, avatarUrl: '/api/files/avatars/me/a2' });
    await fixture.whenStable();
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/me/a2?size=64');
    user.set({ ...ME, avatarUrl: null });
    await fixture.whenStable();
    expect(img()).toBeNull();
    expect(letters()).toBe('AL');
  });

  it('asks for a larger picture on a high-density screen', async () => {
    vi.spyOn(window, 'devicePixelRatio', 'get').mockReturnValue(2);
    await show({ name: 'Bruno Costa', userId: 'bruno', size: 36 });
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/bruno/b1?size=128');
    fixture.componentRef.setInput('size', 20);
    await fixture.whenStable();
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/bruno/b1?size=64');
    fixture.componentRef.setInput('size', 200);
    await fixture.whenStable();
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/bruno/b1?size=256');
  });

  it('shows the initials for someone without a picture, an unknown person, or no id', async () => {
    await show({ name: 'Carla Dias', userId: 'carla' });
    expect(img()).toBeNull();
    expect(letters()).toBe('CD');
    await show({ name: 'Dora', userId: 'nobody' });
    expect(img()).toBeNull();
    expect(letters()).toBe('D');
    await show({ name: 'Bruno Costa' });
    expect(img()).toBeNull();
    expect(letters()).toBe('BC');
  });

  it('falls back to the initials when the picture fails to load, and tries a new picture', async () => {
    await show({ name: 'Ana Lima', userId: 'me', size: 32 });
    img()!.dispatchEvent(new Event('error'));
    await fixture.whenStable();
    expect(img()).toBeNull();
    expect(letters()).toBe('AL');
    user.set({ ...ME, avatarUrl: '/api/files/avatars/me/a2' });
    await fixture.whenStable();
    expect(img()?.getAttribute('src')).toBe('/api/files/avatars/me/a2?size=64');
  });

  it('keeps the presence dot over the picture', async () => {
    await show({ name: 'Bruno Costa', userId: 'bruno', presence: 'online' });
    expect(img()).not.toBeNull();
    const dot = el.querySelector('[data-presence]');
    expect(dot?.getAttribute('data-presence')).toBe('online');
    expect(dot?.getAttribute('aria-label')).toBe('online');
  });
});
