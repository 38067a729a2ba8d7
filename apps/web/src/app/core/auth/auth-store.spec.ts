import { TestBed } from '@angular/core/testing';
import type { CookieAuthResponse, UserDto } from '@parley/contracts';

import { AuthStore, SESSION_HINT_KEY } from './auth-store';

const user: UserDto = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  avatarUrl: null,
  statusText: null,
  readReceipts: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const response: CookieAuthResponse = { accessToken: 'access-1', expiresIn: 900, user };

/** Everything the page's scripts could read from storage. */
function everythingStored(): string {
  return JSON.stringify({ ...localStorage, ...sessionStorage });
}

describe('AuthStore', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('starts signed out: the access token is never restored from storage', () => {
    localStorage.setItem(SESSION_HINT_KEY, '1');
    const store = TestBed.inject(AuthStore);
    expect(store.isSignedIn()).toBe(false);
    expect(store.accessToken()).toBeNull();
    expect(store.user()).toBeNull();
    // ... but it knows a session may be restored from the cookie.
    expect(store.hasSessionHint()).toBe(true);
  });

  it('keeps the access token in memory only, and leaves just a hint in localStorage', () => {
    const before = Date.now();
    const store = TestBed.inject(AuthStore);

    store.signIn(response);

    expect(store.isSignedIn()).toBe(true);
    expect(store.accessToken()).toBe('access-1');
    expect(store.user()).toEqual(user);
    expect(store.expiresAt()).toBeGreaterThanOrEqual(before + 900_000);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBe('1');
    expect(everythingStored()).not.toContain('access-1');
  });

  it('removes the session an earlier version kept in localStorage (refresh token included)', () => {
    localStorage.setItem('parley.auth', JSON.stringify({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 60_000, user }));
    const store = TestBed.inject(AuthStore);
    expect(store.isSignedIn()).toBe(false);
    expect(localStorage.getItem('parley.auth')).toBeNull();
  });

  it('keeps the user when tokens are refreshed', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    store.updateTokens({ accessToken: 'access-2', expiresIn: 900 });

    expect(store.accessToken()).toBe('access-2');
    expect(store.user()).toEqual(user);
    expect(everythingStored()).not.toContain('access-2');
  });

  it('clears memory and the hint on sign-out', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    store.clear();

    expect(store.isSignedIn()).toBe(false);
    expect(store.accessToken()).toBeNull();
    expect(store.user()).toBeNull();
    expect(store.hasSessionHint()).toBe(false);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });

  it('forgetHere drops the memory session but keeps the hint for the next load', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);
    store.forgetHere();
    expect(store.isSignedIn()).toBe(false);
    expect(store.hasSessionHint()).toBe(true);
  });

  it('follows a sign-out made in another tab', () => {
    const store = TestBed.inject(AuthStore);
    store.signIn(response);

    localStorage.removeItem(SESSION_HINT_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_HINT_KEY }));

    expect(store.isSignedIn()).toBe(false);
    expect(store.hasSessionHint()).toBe(false);
  });

  it('notices a sign-in made in another tab (AuthSession then restores from the cookie)', () => {
    const store = TestBed.inject(AuthStore);
    localStorage.setItem(SESSION_HINT_KEY, '1');
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_HINT_KEY }));
    expect(store.hasSessionHint()).toBe(true);
    expect(store.isSignedIn()).toBe(false);
  });
});
