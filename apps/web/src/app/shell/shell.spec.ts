import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { UserDto } from '@parley/contracts';

import { componentTestProviders } from '@web/chat/chat-test-fixtures';
import { AuthSession } from '@web/core/auth/auth-session';
import { AuthStore } from '@web/core/auth/auth-store';
import { Shell } from './shell';

const ME: UserDto = {
  id: 'u1',
  email: 'ana@example.com',
  displayName: 'Ana Lima',
  avatarUrl: null,
  statusText: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readReceipts: true,
};

describe('Shell top bar', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<Shell>;
  let el: HTMLElement;
  const user = signal<UserDto | null>(ME);

  beforeEach(async () => {
    user.set(ME);
    TestBed.configureTestingModule({
      providers: [
        ...componentTestProviders(),
        { provide: AuthStore, useValue: { user, setUser: (u: UserDto) => user.set(u) } },
        { provide: AuthSession, useValue: { signOut: () => Promise.resolve() } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Shell);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  const avatar = () => el.querySelector('header app-avatar');
  const picture = () => avatar()?.querySelector('img') ?? null;
  const letters = () => avatar()?.querySelector('span[aria-hidden="true"]')?.textContent?.trim() ?? null;

  it("shows the signed-in person's initials while they have no picture, then their uploaded picture", async () => {
    http.expectOne({ method: 'GET', url: '/api/users/me' }).flush(ME);
    await fixture.whenStable();
    expect(picture()).toBeNull();
    expect(letters()).toBe('AL');
    expect(el.querySelector('header')?.textContent).toContain('Ana Lima');

    user.set({ ...ME, avatarUrl: '/api/files/avatars/u1/a1' });
    await fixture.whenStable();
    expect(picture()?.getAttribute('src')).toBe('/api/files/avatars/u1/a1?size=64');
    expect(picture()?.getAttribute('alt')).toBe('');
    expect(letters()).toBeNull();
  });

  it('shows the picture the server answers for who is signed in (a sign-in elsewhere may have changed it)', async () => {
    http.expectOne({ method: 'GET', url: '/api/users/me' }).flush({ ...ME, avatarUrl: '/api/files/avatars/u1/a2' });
    await fixture.whenStable();
    expect(picture()?.getAttribute('src')).toBe('/api/files/avatars/u1/a2?size=64');
  });
});
