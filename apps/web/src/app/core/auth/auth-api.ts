import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuthResponse,
  AuthTokens,
  CodeSentResponse,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  SessionDto,
  UserDto,
  VerifyRequest,
} from '@parley/contracts';
import type { Observable } from 'rxjs';

import { authMode } from './auth-context';

/** A refresh answers new tokens; the user rides along if the server sends it. */
export type RefreshResponse = AuthTokens & { user?: UserDto };

/** The `/api/auth` endpoints, one method per call. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  register(body: RegisterRequest): Observable<CodeSentResponse> {
    return this.http.post<CodeSentResponse>('/api/auth/register', body, { context: authMode('public') });
  }

  login(body: LoginRequest): Observable<CodeSentResponse> {
    return this.http.post<CodeSentResponse>('/api/auth/login', body, { context: authMode('public') });
  }

  verify(body: VerifyRequest): Observable<AuthResponse> {
    return this.http.post<AuthResponse>('/api/auth/verify', body, { context: authMode('public') });
  }

  refresh(refreshToken: string): Observable<RefreshResponse> {
    const body: RefreshRequest = { refreshToken };
    return this.http.post<RefreshResponse>('/api/auth/refresh', body, { context: authMode('public') });
  }

  logout(): Observable<unknown> {
    return this.http.post('/api/auth/logout', {}, { context: authMode('bearer-no-refresh') });
  }

  sessions(): Observable<SessionDto[]> {
    return this.http.get<SessionDto[]>('/api/auth/sessions');
  }

  revokeSession(id: string): Observable<unknown> {
    return this.http.delete(`/api/auth/sessions/${encodeURIComponent(id)}`);
  }
}
