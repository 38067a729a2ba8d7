import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { UserDto } from '@parley/contracts';

import { settle } from '@web/testing/dom';
import { AuthApi } from './auth-api';
import { authInterceptor } from './auth-interceptor';
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

function tokenError(code: string) {
  return [
    { statusCode: 401, error: 'Unauthorized', message: 'Bad token', code },
    { status: 401, statusText: 'Unauthorized' },
  ] as const;
}

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let store: AuthStore;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(), provideRouter([])],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    store = TestBed.inject(AuthStore);
    store.signIn({ accessToken: 'access-1', expiresIn: 900, user });
  });

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  it('adds the bearer token to /api calls', () => {
    http.get('/api/users/me').subscribe();
    const req = backend.expectOne('/api/users/me');
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    req.flush(user);
  });

  it('leaves other origins and public auth calls alone', () => {
    http.get('https://example.com/api/thing').subscribe();
    TestBed.inject(AuthApi).requestCode({ email: 'ada@example.com' }).subscribe();

    expect(backend.expectOne('https://example.com/api/thing').request.headers.has('Authorization')).toBe(false);
    expect(backend.expectOne('/api/auth/code').request.headers.has('Authorization')).toBe(false);
  });

  it('refreshes once on a 401 for an invalid token and retries with the new token', async () => {
    let result: UserDto | undefined;
    http.get<UserDto>('/api/users/me').subscribe((u) => (result = u));

    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_INVALID'));
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.method).toBe('POST');
    // No token in the body: the browser sends the HttpOnly refresh cookie.
    expect(refresh.request.body).toEqual({});
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush({ accessToken: 'access-2', expiresIn: 900 });
    await settle();

    const retry = backend.expectOne('/api/users/me');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
    retry.flush(user);

    expect(result).toEqual(user);
    expect(store.accessToken()).toBe('access-2');
    expect(JSON.stringify({ ...localStorage })).not.toContain('access-2');
  });

  it('refreshes on AUTH_TOKEN_MISSING too', async () => {
    http.get('/api/users/me').subscribe();
    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_MISSING'));
    backend.expectOne('/api/auth/refresh').flush({ accessToken: 'access-2', expiresIn: 900 });
    await settle();
    backend.expectOne('/api/users/me').flush(user);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const results: string[] = [];
    http.get('/api/a').subscribe(() => results.push('a'));
    http.get('/api/b').subscribe(() => results.push('b'));
    http.get('/api/c').subscribe(() => results.push('c'));

    backend.expectOne('/api/a').flush(...tokenError('AUTH_TOKEN_INVALID'));
    backend.expectOne('/api/b').flush(...tokenError('AUTH_TOKEN_INVALID'));
    const refresh = backend.expectOne('/api/auth/refresh'); // exactly one
    backend.expectOne('/api/c').flush(...tokenError('AUTH_TOKEN_INVALID'));
    backend.expectNone('/api/auth/refresh');
    refresh.flush({ accessToken: 'access-2', expiresIn: 900 });
    await settle();

    for (const url of ['/api/a', '/api/b', '/api/c']) {
      const retry = backend.expectOne(url);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
      retry.flush({});
    }
    expect(results.sort()).toEqual(['a', 'b', 'c']);
  });

  it('retries only once: a second 401 reaches the caller', async () => {
    let error: HttpErrorResponse | undefined;
    http.get('/api/users/me').subscribe({ error: (e: HttpErrorResponse) => (error = e) });

    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_INVALID'));
    backend.expectOne('/api/auth/refresh').flush({ accessToken: 'access-2', expiresIn: 900 });
    await settle();
    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_INVALID'));

    backend.expectNone('/api/auth/refresh');
    expect(error?.status).toBe(401);
  });

  it('does not refresh for other 401s', () => {
    let error: HttpErrorResponse | undefined;
    http.get('/api/users/me').subscribe({ error: (e: HttpErrorResponse) => (error = e) });
    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_SESSION_REVOKED'));
    backend.expectNone('/api/auth/refresh');
    expect(error?.status).toBe(401);
  });

  it('signs out locally and goes to /sign-in when the refresh is refused', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    let error: HttpErrorResponse | undefined;
    http.get('/api/users/me').subscribe({ error: (e: HttpErrorResponse) => (error = e) });

    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_INVALID'));
    backend
      .expectOne('/api/auth/refresh')
      .flush(
        { statusCode: 401, error: 'Unauthorized', message: 'Refresh token reused', code: 'AUTH_REFRESH_REUSED' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await settle();

    expect(error?.status).toBe(401);
    expect(store.isSignedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_HINT_KEY)).toBeNull();
    expect(navigate).toHaveBeenCalledWith('/sign-in');
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    let error: HttpErrorResponse | undefined;
    http.get('/api/users/me').subscribe({ error: (e: HttpErrorResponse) => (error = e) });

    backend.expectOne('/api/users/me').flush(...tokenError('AUTH_TOKEN_INVALID'));
    backend.expectOne('/api/auth/refresh').error(new ProgressEvent('error'));
    await settle();

    expect(error?.status).toBe(401);
    expect(store.isSignedIn()).toBe(true);
  });
});
