import type { UserDto } from './users';

/** Sign-in codes are this many decimal digits. */
export const SIGN_IN_CODE_LENGTH = 6;
/** A sign-in code is valid this long after it was sent. */
export const SIGN_IN_CODE_TTL_SECONDS = 10 * 60;
/** A sign-in code is void after this many wrong tries. */
export const SIGN_IN_CODE_MAX_ATTEMPTS = 5;
/** Access tokens live this long; the client refreshes before then. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface RegisterRequest {
  email: string;
  displayName: string;
}

export interface LoginRequest {
  email: string;
}

/** The one answer to register and login, whether or not the email has an account. */
export interface CodeSentResponse {
  message: string;
}

export interface VerifyRequest {
  email: string;
  code: string;
}

export interface RefreshRequest {
  refreshToken: string;
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

export interface SessionDto {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}
