import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { UserDto } from '@parley/contracts';

import { settle } from '@web/testing/dom';
import { authInterceptor } from './auth-interceptor';
import { AuthSession } from './auth-session';
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

/** As after a reload of a browser that had signed in: only the hint is left (the cookie is the browser's). */
function markSignedInBefore(): void {
  localStorage.setItem(SESSION_HINT_KEY, '1');
  window.dispatchEvent(new StorageEvent('storage', { key: SESSION_HINT_KEY }));
}

describe('AuthSession', () => {
  let backend: HttpTestingController;
  let store: AuthStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
  });

  afterEach(() => {
    vi.useRealTimers();
    backend.verify();
    localStorage.clear();
  });

  it('refreshes silently shortly before the access token expires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    store.signIn({ accessToken: 'access-1', expiresIn: 900, user });
    TestBed.inject(AuthSession);
    TestBed.tick(); // runs the effect that arms the timer

    vi.advanceTimersByTime(13 * 60_000);
    backend.expectNone('/api/auth/refresh');

    vi.advanceTimersByTime(60_000 + 1); // one minute before expiry
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({});
    refresh.flush({ accessToken: 'access-2', expiresIn: 900 });
    vi.useRealTimers();
    await settle();

    expect(store.accessToken()).toBe('access-2');
  });

  it('restores the session after a reload from the refresh cookie, then asks who is signed in', async () => {
    markSignedInBefore();
    const restored = TestBed.inject(AuthSession).restore();

    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({});
    refresh.flush({ accessToken: 'access-9', expiresIn: 900 });
    await settle();
    const me = backend.expectOne('/api/users/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer access-9');
    me.flush(user);
    await restored;

    expect(store.isSignedIn()).toBe(true);
    expect(store.user()).toEqual(user);
  });

  it('does not try to restore when this browser never signed in', async () => {
    await TestBed.inject(AuthSession).restore();
    backend.expectNone('/api/auth/refresh');
    expect(store.isSignedIn()).toBe(false);
  });

  it('drops the hint when the server refuses the cookie', async () => {
    markSignedInBefore();
    const restored = TestBed.inject(AuthSession).restore();
    backend
      .expectOne('/api/auth/refresh')
      .flush({ statusCode: 401, error: 'Unauthorized', message: 'x', code: 'AUTH_REFRESH_INVALID' }, { status: 401, statusText: 'Unauthorized' });
    await restored;

    expect(store.isSignedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
  });

  it('signs out on the server, then locally, even if the server call fails', async () => {
    store.signIn({ accessToken: 'access-1', expiresIn: 900, user });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);

    const done = TestBed.inject(AuthSession).signOut();
    const logout = backend.expectOne('/api/auth/logout');
    expect(logout.request.method).toBe('POST');
    expect(logout.request.headers.get('Authorization')).toBe('Bearer access-1');
    logout.flush(null, { status: 500, statusText: 'Server Error' });
    await done;

    expect(store.isSignedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith('/sign-in');
  });
});
