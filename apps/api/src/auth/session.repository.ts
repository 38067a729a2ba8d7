import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';

export type NewSession = Pick<Session, 'userId' | 'userAgent' | 'ip' | 'lastUsedAt' | 'expiresAt'>;

/** Sessions and their refresh tokens (stored as hashes): the only place that queries `sessions` and `refresh_tokens`. */
@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(session: NewSession, manager: EntityManager = this.dataSource.manager): Promise<Session> {
    return manager.getRepository(Session).save({ ...session, revokedAt: null });
  }

  async findById(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<Session | null> {
    return manager.getRepository(Session).findOne({ where: { id: sessionId } });
  }

  /** The user's session, live or not, or null (also when it is someone else's). */
  async findOwn(userId: string, sessionId: string): Promise<Session | null> {
    return this.dataSource.getRepository(Session).findOne({ where: { id: sessionId, userId } });
  }

  /** When the user's session expires, if it is live at `now` (not revoked, not expired); else null. */
  async findLiveExpiry(sessionId: string, userId: string, now: Date): Promise<Date | null> {
    const session = await this.dataSource.getRepository(Session).findOne({
      select: { id: true, expiresAt: true },
      where: { id: sessionId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
    });
    return session?.expiresAt ?? null;
  }

  /** The user's sessions live at `now`, the most recently used first. */
  async listLive(userId: string, now: Date): Promise<Session[]> {
    return this.dataSource.getRepository(Session).find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { lastUsedAt: 'DESC' },
    });
  }

  async markUsed(
    sessionId: string,
    changes: Pick<Session, 'lastUsedAt' | 'ip' | 'expiresAt'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.getRepository(Session).update(sessionId, changes);
  }

  /** Ends the session now, unless it had ended already; answers its user when this call ended it. */
  async revoke(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const result = await manager
      .getRepository(Session)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
      .returning('user_id')
      .execute();
    return (result.raw as { user_id: string }[])[0]?.user_id ?? null;
  }

  async insertRefreshToken(sessionId: string, tokenHash: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(RefreshToken).insert({ sessionId, tokenHash });
  }

  /**
   * Marks the refresh token used, in one statement, so of two concurrent uses only one wins;
   * answers its session, or null when there is no such unused token.
   */
  async useRefreshToken(tokenHash: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const used = await manager
      .getRepository(RefreshToken)
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :tokenHash AND used_at IS NULL', { tokenHash })
      .returning('session_id')
      .execute();
    return (used.raw as { session_id: string }[])[0]?.session_id ?? null;
  }

  /** The session of a refresh token, used or not, or null when the token was never issued. */
  async findRefreshTokenSession(tokenHash: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const token = await manager.getRepository(RefreshToken).findOne({ where: { tokenHash } });
    return token?.sessionId ?? null;
  }
}
