import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * How the auth interceptor treats a request to `/api`:
 * - `bearer`: add the access token; on a 401 for a bad/missing token, refresh once and retry.
 * - `bearer-no-refresh`: add the access token, never refresh (sign-out must not loop).
 * - `public`: no token at all (code, verify, refresh: the refresh token is the HttpOnly cookie).
 */
export type AuthMode = 'bearer' | 'bearer-no-refresh' | 'public';

export const AUTH_MODE = new HttpContextToken<AuthMode>(() => 'bearer');

export function authMode(mode: AuthMode): HttpContext {
  return new HttpContext().set(AUTH_MODE, mode);
}
