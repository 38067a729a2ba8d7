import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isUUID } from 'class-validator';
import { AuthError, AuthException } from '../common/domain-errors';
import { AuthUser } from './current-user';
import { SessionsService } from './sessions.service';

/** The claims of an access token: the user and the session it was issued for. */
export interface AccessTokenPayload {
  sub: string;
  sid: string;
}

/**
 * The one token check, for the HTTP strategy and the socket handshake alike: a signed,
 * unexpired access token naming a live session (sign-out and revoke take effect at once).
 * Refusals are AuthExceptions (TokenInvalid, SessionRevoked), which each transport words its
 * own way; a failure to reach the sessions is thrown as it is.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsService,
  ) {}

  async verify(token: string): Promise<AuthUser> {
    let payload: AccessTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessTokenPayload>(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new AuthException(AuthError.TokenInvalid, expired ? 'The access token has expired; refresh it' : 'The access token is not valid');
    }
    // Signed by us, so well-formed in practice; checked anyway so a bad claim is refused, not a database error.
    if (!isUUID(payload.sub) || !isUUID(payload.sid)) {
      throw new AuthException(AuthError.TokenInvalid, 'The access token is not valid');
    }
    if (!(await this.sessions.isActive(payload.sid, payload.sub))) {
      throw new AuthException(AuthError.SessionRevoked, 'This session has ended; sign in again');
    }
    return { userId: payload.sub, sessionId: payload.sid };
  }
}
