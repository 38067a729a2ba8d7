import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { FILES_COOKIE } from '@parley/contracts';
import type { Request } from 'express';
import passport from 'passport';
import { ExtractJwt } from 'passport-jwt';
import { AppConfig } from '../config/config';
import { AccessTokenVerifier } from './access-tokens';
import { AuthUser } from './current-user';
import { readCookie } from './refresh-cookie';

/** The HMAC key for access tokens, as a KeyObject (much faster to verify with than a string). */
export function jwtKey(config: Pick<AppConfig, 'jwtSecret'>): KeyObject {
  return createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
}

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Hands the bearer token to the verify callback (passport-jwt would check the signature itself,
 * apart from the socket handshake's check). No token is passport's failure "No auth token", which
 * the guard answers AUTH_TOKEN_MISSING; a refusal of the token is passed on as the error it is.
 */
class BearerTokenStrategy extends passport.Strategy {
  override readonly name = 'jwt';

  constructor(private readonly verify: (token: string, done: (error: unknown, user: AuthUser | null) => void) => void) {
    super();
  }

  override authenticate(request: Request & { acceptsFilesCookie?: boolean }): void {
    // A route marked @AcceptsFilesCookie() (a file's bytes) also takes the browser's files cookie.
    const token = bearerToken(request) ?? (request.acceptsFilesCookie ? readCookie(request.headers.cookie, FILES_COOKIE) : null);
    if (!token) return this.fail(new Error('No auth token'), 401);
    this.verify(token, (error, user) => (user ? this.success(user) : this.error(error)));
  }
}

/** REST authentication: the access token checked by AccessTokenVerifier, as for the socket handshake. */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy) {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super();
  }

  validate(token: string): Promise<AuthUser> {
    return this.verifier.verify(token);
  }
}
