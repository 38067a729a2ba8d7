import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { ACCESS_TOKEN_TTL_SECONDS, AuthTokens, SessionDto } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AppException } from '../common/app-exception';
import { AuthError, AuthException } from '../common/domain-errors';
import { EventBus } from '../events/event-bus';
import { ClientInfo } from './current-user';
import { Session } from './entities/session.entity';
import { SessionRepository } from './session.repository';

/** A session ends this long after it was last refreshed. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** How long a session seen live is taken as live without asking the database again. */
export const LIVE_SESSION_RECHECK_MS = 10_000;
const LIVE_SESSIONS_KEPT = 100_000;

type RefreshOutcome =
  | { kind: 'rotated'; tokens: AuthTokens }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'ended' }
  | { kind: 'invalid' };

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Sessions and their tokens. The access token is a short-lived JWT naming the session;
 * the refresh token is an opaque random string used once: each refresh replaces it, and
 * presenting one that was already used ends the whole session (someone has a copy).
 */
@Injectable()
export class SessionsService {
  /** Sessions recently seen live, and until when that answer holds. */
  private readonly live = new Map<string, { userId: string; until: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionRepository,
    private readonly jwt: JwtService,
    private readonly events: EventBus,
  ) {}

  async start(userId: string, client: ClientInfo): Promise<AuthTokens> {
    return auditedTransaction(this.dataSource, async (manager) => {
      const now = new Date();
      const session = await this.sessions.insert(
        { userId, userAgent: client.userAgent, ip: client.ip, lastUsedAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
        manager,
      );
      return this.issue(manager, session.id, userId);
    });
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<AuthTokens> {
    const tokenHash = sha256(refreshToken);
    // Only a rotation is the request's success; the other outcomes end in a refusal, which the filter records.
    const outcome = await auditedTransaction(this.dataSource, async (manager): Promise<RefreshOutcome> => {
      const sessionId = await this.sessions.useRefreshToken(tokenHash, manager);
      if (!sessionId) {
        const knownSessionId = await this.sessions.findRefreshTokenSession(tokenHash, manager);
        return knownSessionId ? { kind: 'reused', sessionId: knownSessionId } : { kind: 'invalid' };
      }
      const session = await this.sessions.findById(sessionId, manager);
      if (!session || !isLive(session)) return { kind: 'ended' };
      await this.sessions.markUsed(
        session.id,
        { lastUsedAt: new Date(), ip: client.ip, expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
        manager,
      );
      return { kind: 'rotated', tokens: await this.issue(manager, session.id, session.userId) };
    }, (result) => result.kind === 'rotated');

    if (outcome.kind === 'rotated') return outcome.tokens;
    if (outcome.kind === 'reused') {
      await this.revoke(outcome.sessionId, false);
      throw new AuthException(AuthError.RefreshReused, 'This refresh token was already used; the session has been ended for safety');
    }
    if (outcome.kind === 'ended') {
      throw new AuthException(AuthError.SessionRevoked, 'This session has ended; sign in again');
    }
    throw new AuthException(AuthError.RefreshInvalid, 'The refresh token is not valid');
  }

  /**
   * Whether the session is live. Every authenticated request asks, so a live answer is kept
   * for a few seconds; ending a session forgets it here at once and, through the Socket.IO
   * adapter, on the other instances (`forget`).
   */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.live.get(sessionId);
    if (known && known.userId === userId && known.until > now) return true;
    const expiresAt = await this.sessions.findLiveExpiry(sessionId, userId, new Date(now));
    if (!expiresAt) return false;
    if (this.live.size >= LIVE_SESSIONS_KEPT) this.live.delete(this.live.keys().next().value!);
    this.live.set(sessionId, { userId, until: Math.min(now + LIVE_SESSION_RECHECK_MS, expiresAt.getTime()) });
    return true;
  }

  /** Drops what this instance remembers of a session (it was ended, here or elsewhere). */
  forget(sessionId: string): void {
    this.live.delete(sessionId);
  }

  async list(userId: string, currentSessionId: string): Promise<SessionDto[]> {
    const sessions = await this.sessions.listLive(userId, new Date());
    return sessions.map((session) => ({
      id: session.id,
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      current: session.id === currentSessionId,
    }));
  }

  /** Ends one of the caller's own sessions; someone else's is "not found". */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.findOwn(userId, sessionId);
    if (!session || !isLive(session)) throw AppException.notFound('Session');
    await this.revoke(session.id);
  }

  /** Ends a session; `audited`: as the current request's change (false when the request itself is refused). */
  async revoke(sessionId: string, audited = true): Promise<void> {
    const end = (manager: EntityManager) => this.sessions.revoke(sessionId, manager);
    const userId = audited ? await auditedTransaction(this.dataSource, end) : await this.dataSource.transaction(end);
    this.forget(sessionId);
    if (userId) await this.events.emit('session.revoked', { sessionId, userId });
  }

  private async issue(manager: EntityManager, sessionId: string, userId: string): Promise<AuthTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.insertRefreshToken(sessionId, sha256(refreshToken), manager);
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: sessionId }, { expiresIn: ACCESS_TOKEN_TTL_SECONDS });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}

function isLive(session: Session): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > Date.now();
}
