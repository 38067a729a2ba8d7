import { TestBed } from '@angular/core/testing';
import type { AuthResponse, UserDto } from '@parley/contracts';

import { AUTH_STORAGE_KEY, AuthStore, StoredSession } from './auth-store';

const user: UserDto = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  avatarUrl: null,
  statusText: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const response: AuthResponse = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, user };

function stored(): StoredSession | null {
  const raw = localStorage.getItem(AUTH_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as StoredSession) : null;
}

describe('AuthStore', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('starts signed out when nothing is stored', () => {
    const store = TestBed.inject(AuthStore);
    expect(store.isSignedIn()).toBe(false);
    expect(store.accessToken()).toBeNull();
    expect(store.user()).toBeNull();
  });

  it('persists the tokens and user on sign-in', () => {
    const before = Date.now();
    const store = TestBed.inject(AuthStore);

    store.signIn(response);

    expect(store.isSignedIn()).toBe(true);
    expect(store.accessToken()).toBe('access-1');
    expect(store.user()).toEqual(user);
    const saved = stored();
    expect(saved).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1', user });
    expect(saved!.expiresAt).toBeGreaterThanOrEqual(before + 900_000);
    expect(saved!.expiresAt).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('restores the session from localStorage (a reload keeps you signed in)', () => {
    const session: StoredSession = { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 60_000, user };
    localStorage.setItem(AUTH_STORAGE_KEY, JSON.stringify(session));

    const store = TestBed.inject(AuthStore);

    expect(store.isSignedIn()).toBe(true);
    expect(store.accessToken()).toBe('a');
    expect(store.refreshToken()).toBe('r');
    expect(store.expiresAt()).toBe(session.expiresAt);
    expect(store.user()?.displayName).toBe('Ada');
  });

  it('ignores a corrupt stored value', () => {
    localStorage.setItem(AUTH_STORAGE_KEY, '{"accessToken": 42');
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(false);
  });

  it('keeps the user when tokens are refreshed', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    store.updateTokens({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });

    expect(store.accessToken()).toBe('access-2');
    expect(store.user()).toEqual(user);
    expect(stored()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', user });
  });

  it('clears memory and storage on sign-out', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    store.clear();

    expect(store.isSignedIn()).toBe(false);
    expect(store.accessToken()).toBeNull();
    expect(store.user()).toBeNull();
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull();
  });

  it('follows a sign-out made in another tab', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    localStorage.removeItem(AUTH_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: AUTH_STORAGE_KEY }));

    expect(store.isSignedIn()).toBe(false);
  });
});
