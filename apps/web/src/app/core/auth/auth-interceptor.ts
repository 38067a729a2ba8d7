import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { AuthErrorCode } from '@parley/contracts';
import { catchError, of, switchMap, throwError } from 'rxjs';

import { AUTH_MODE } from './auth-context';
import { AuthSession } from './auth-session';
import { AuthStore } from './auth-store';

function isApiRequest(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function withBearer<T>(req: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
}

/** A 401 that a fresh access token can cure (as opposed to e.g. a revoked session). */
function isTokenRejection(error: unknown): boolean {
  if (!(error instanceof HttpErrorResponse) || error.status !== 401) return false;
  const code: unknown = (error.error as { code?: unknown } | null)?.code;
  return code === AuthErrorCode.TokenInvalid || code === AuthErrorCode.TokenMissing;
}

/**
 * Adds `Authorization: Bearer <accessToken>` to `/api` calls. On a 401 for a bad or
 * missing token it refreshes once (one refresh shared by every request that needs it)
 * and retries; if the refresh fails the original 401 reaches the caller, and a refused
 * refresh has already ended the session (AuthSession).
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const mode = req.context.get(AUTH_MODE);
  if (mode === 'public' || !isApiRequest(req.url)) return next(req);

  const store = inject(AuthStore);
  const session = inject(AuthSession);
  const sentToken = store.accessToken();

  return next(withBearer(req, sentToken)).pipe(
    catchError((error: unknown) => {
      if (mode !== 'bearer' || !isTokenRejection(error) || !store.isSignedIn()) {
        return throwError(() => error);
      }
      // If the token was refreshed while this request was in flight, just use the new one.
      const current = store.accessToken();
      const token$ = current && current !== sentToken ? of(current) : session.refresh();
      return token$.pipe(
        catchError(() => throwError(() => error)),
        switchMap((token) => next(withBearer(req, token))),
      );
    }),
  );
};
