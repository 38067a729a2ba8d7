import { createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthError, AuthException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthUser } from './current-user';
import { SessionsService } from './sessions.service';

/** The HMAC key for access tokens, as a KeyObject (much faster to verify with than a string). */
export function jwtKey(config: Pick<AppConfig, 'jwtSecret'>): KeyObject {
  return createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
}

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtKey(config) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** A signed, unexpired token still needs a live session: sign-out and revoke take effect at once. */
  async validate(payload: AccessTokenPayload): Promise<AuthUser> {
    // Signed by us, so well-formed in practice; checked anyway so a bad claim is a 401, not a database error.
    if (!isUUID(payload.sub) || !isUUID(payload.sid)) {
      throw new AuthException(AuthError.TokenInvalid, 'The access token is not valid');
    }
    const active = await this.sessions.isActive(payload.sid, payload.sub);
    if (!active) {
      throw new AuthException(AuthError.SessionRevoked, 'This session has ended; sign in again');
    }
    return { userId: payload.sub, sessionId: payload.sid };
  }
}
