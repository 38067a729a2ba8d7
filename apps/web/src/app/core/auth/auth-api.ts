import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CodeRequest,
  CodeSentResponse,
  CookieAuthResponse,
  CookieAuthTokens,
  RefreshRequest,
  SessionDto,
  VerifyRequest,
} from '@parley/contracts';
import type { Observable } from 'rxjs';

import { authMode } from './auth-context';

/** What the sign-in page sends to verify: the refresh token always goes to the cookie. */
export type WebVerifyRequest = Omit<VerifyRequest, 'refreshTokenIn'>;

/**
 * The `/api/auth` endpoints, one method per call. The refresh token never reaches this code:
 * verify and refresh ask for it in the HttpOnly cookie, which the browser sends to /api/auth.
 */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  /** "Continue with email": a code is sent whether or not the email has an account. */
  requestCode(body: CodeRequest): Observable<CodeSentResponse> {
    return this.http.post<CodeSentResponse>('/api/auth/code', body, { context: authMode('public') });
  }

  verify(body: WebVerifyRequest): Observable<CookieAuthResponse> {
    const request: VerifyRequest = { ...body, refreshTokenIn: 'cookie' };
    return this.http.post<CookieAuthResponse>('/api/auth/verify', request, { context: authMode('public') });
  }

  /** Rotates the refresh cookie and answers a new access token. */
  refresh(): Observable<CookieAuthTokens> {
    const body: RefreshRequest = {};
    return this.http.post<CookieAuthTokens>('/api/auth/refresh', body, { context: authMode('public') });
  }

  /** Ends the session and clears the cookie. An expired access token is refreshed first, so the cookie's session really ends. */
  logout(): Observable<unknown> {
    return this.http.post('/api/auth/logout', {}, { context: authMode('bearer') });
  }

  sessions(): Observable<SessionDto[]> {
    return this.http.get<SessionDto[]>('/api/auth/sessions');
  }

  revokeSession(id: string): Observable<unknown> {
    return this.http.delete(`/api/auth/sessions/${encodeURIComponent(id)}`);
  }
}
