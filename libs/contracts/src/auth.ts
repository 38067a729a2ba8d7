import type { UserDto } from './users';

/** Sign-in codes are this many decimal digits. */
export const SIGN_IN_CODE_LENGTH = 6;
/** A sign-in code is valid this long after it was sent. */
export const SIGN_IN_CODE_TTL_SECONDS = 10 * 60;
/** A sign-in code is void after this many wrong tries. */
export const SIGN_IN_CODE_MAX_ATTEMPTS = 5;
/** Asking for a new code leaves this many of the latest codes of an email valid (using one voids the rest). */
export const SIGN_IN_CODES_KEPT = 3;
/** Access tokens live this long; the client refreshes before then. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/**
 * The browser keeps its refresh token in this HttpOnly cookie, sent only to `REFRESH_COOKIE_PATH`
 * (the web app never sees the token; integrators use the JSON body instead).
 */
export const REFRESH_COOKIE_NAME = 'parley_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

/**
 * "Continue with email" (`POST /api/auth/code`): a code is sent to any address, known or not;
 * verifying it signs in, or creates the account the first time.
 */
export interface CodeRequest {
  email: string;
}

/** `POST /api/auth/register`: an alias of the code request that also names a new account. */
export interface RegisterRequest extends CodeRequest {
  displayName: string;
}

/** `POST /api/auth/login`: an alias of the code request. */
export type LoginRequest = CodeRequest;

/** The one answer to every code request, whether or not the email has an account. */
export interface CodeSentResponse {
  message: string;
}

/** Where verify and refresh put the refresh token: the JSON body (the default) or the HttpOnly cookie (the web app). */
export type RefreshTokenTransport = 'body' | 'cookie';

export interface VerifyRequest {
  email: string;
  code: string;
  /**
   * The name of a new account. Needed the first time an email signs in unless it was given to
   * `register`; without it that verify answers 400 `AUTH_DISPLAY_NAME_REQUIRED` and the code stays valid.
   */
  displayName?: string;
  /** `cookie`: the refresh token is set as the HttpOnly cookie and left out of the body. Default `body`. */
  refreshTokenIn?: RefreshTokenTransport;
}

/** Without `refreshToken` the refresh token is read from the cookie (and the new one goes there too). */
export interface RefreshRequest {
  refreshToken?: string;
}

export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface AuthResponse extends AuthTokens {
  user: UserDto;
}

/** The answers of verify and refresh when the refresh token travels in the cookie. */
export type CookieAuthTokens = Omit<AuthTokens, 'refreshToken'>;
export type CookieAuthResponse = Omit<AuthResponse, 'refreshToken'>;

export interface SessionDto {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}
