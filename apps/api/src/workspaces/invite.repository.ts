import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { User } from '../users/entities/user.entity';
import { Invite } from './entities/invite.entity';

export type NewInvite = Pick<Invite, 'workspaceId' | 'email' | 'roleId' | 'tokenHash' | 'invitedBy' | 'expiresAt'>;

/** An invite behind a link, with its workspace and the name of who sent it (null if they are gone). */
export interface InviteByToken {
  invite: Invite;
  inviterName: string | null;
}

/** Invites by email: the only place that queries `invites`. */
@Injectable()
export class InviteRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Revokes the pending invites (expired or not) for this address. */
  async revokePending(workspaceId: string, email: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager
      .getRepository(Invite)
      .update({ workspaceId, email, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes the pending invites for the address of user `userId`, whatever its case. */
  async revokePendingForUser(
    workspaceId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE invites SET revoked_at = now()
        WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
          AND lower(email) = (SELECT lower(email) FROM users WHERE id = $2)`,
      [workspaceId, userId],
    );
  }

  async insert(invite: NewInvite, manager: EntityManager = this.dataSource.manager): Promise<Invite> {
    return manager.getRepository(Invite).save({ ...invite, acceptedAt: null, revokedAt: null });
  }

  /** The workspace's invites neither used, revoked nor expired, newest first, with their role. */
  async listPending(workspaceId: string): Promise<Invite[]> {
    return this.dataSource.getRepository(Invite).find({
      where: { workspaceId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      relations: { role: true },
      order: { createdAt: 'DESC' },
    });
  }

  /** Invite `inviteId` if it belongs to the workspace, else null. */
  async findInWorkspace(
    workspaceId: string,
    inviteId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Invite | null> {
    return manager.getRepository(Invite).findOneBy({ id: inviteId, workspaceId });
  }

  /** An invite known to exist, as it is now. */
  async get(inviteId: string, manager: EntityManager = this.dataSource.manager): Promise<Invite> {
    return manager.getRepository(Invite).findOneByOrFail({ id: inviteId });
  }

  /** Revokes the invite if it is still neither accepted nor revoked; whether it did. */
  async revoke(inviteId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(Invite)
      .update({ id: inviteId, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
    return Boolean(result.affected);
  }

  /** Marks the invite accepted if it is still usable (not used, revoked or expired); whether it did. */
  async claim(inviteId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(Invite)
      .update(
        { id: inviteId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { acceptedAt: new Date() },
      );
    return Boolean(result.affected);
  }

  /** The invite with this token hash, whatever its state, with its workspace and its sender's name; null if none. */
  async findByTokenHash(tokenHash: string): Promise<InviteByToken | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(Invite)
      .createQueryBuilder('invite')
      .leftJoinAndSelect('invite.workspace', 'workspace')
      .leftJoin(User, 'inviter', 'inviter.id = invite.invitedBy')
      .addSelect('inviter.displayName', 'inviter_name')
      .where('invite.tokenHash = :tokenHash', { tokenHash })
      .getRawAndEntities<{ inviter_name: string | null }>();
    return entities.length ? { invite: entities[0], inviterName: raw[0].inviter_name } : null;
  }
}
