import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole, MemberDto, Permission, permissionsOf, RoleCatalogue } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { WorkspaceError, WorkspaceException } from '../common/domain-errors';
import { EventBus } from '../events/event-bus';
import { Role } from '../rbac/entities/role.entity';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { WorkspaceAccess } from '../access/workspace-access';
import { WorkspaceMember } from './entities/workspace-member.entity';

interface MemberRow {
  user_id: string;
  email: string;
  display_name: string;
  avatar_url: string | null;
  role_id: string;
  role_name: string;
  built_in: BuiltInRole | null;
  deactivated_at: Date | null;
  joined_at: Date;
}

/** Membership changes: roles, removal, deactivation. The last active Owner always stays. */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventBus,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /** Everyone in the workspace; a guest sees only the people who share a channel with them. */
  async list(access: WorkspaceAccess): Promise<MemberDto[]> {
    const guestOnly = access.builtIn === 'guest';
    const rows: MemberRow[] = await this.dataSource.query(
      `SELECT m.user_id, u.email, u.display_name, u.avatar_url, m.role_id, r.name AS role_name, r.built_in,
              m.deactivated_at, m.joined_at
         FROM workspace_members m
         JOIN users u ON u.id = m.user_id
         JOIN roles r ON r.id = m.role_id
        WHERE m.workspace_id = $1
          AND (NOT $3 OR m.user_id = $2 OR EXISTS (
                SELECT 1 FROM channel_members mine
                  JOIN channel_members theirs ON theirs.channel_id = mine.channel_id AND theirs.user_id = m.user_id
                  JOIN channels c ON c.id = mine.channel_id AND c.workspace_id = $1
                 WHERE mine.user_id = $2))
        ORDER BY lower(u.display_name), u.email`,
      [access.workspaceId, access.userId, guestOnly],
    );
    return rows.map(toMemberDto);
  }

  async changeRole(access: WorkspaceAccess, userId: string, roleId: string): Promise<MemberDto> {
    await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      const [current, next] = await Promise.all([this.role(manager, access, member.roleId), this.role(manager, access, roleId)]);
      if (current.id === next.id) return;
      this.requireCovers(access, current, 'change the role of someone whose role is above yours');
      this.requireCovers(access, next, 'give a role with permissions you do not have');
      if (current.builtIn === 'owner' && next.builtIn !== 'owner') await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await manager.getRepository(WorkspaceMember).update({ workspaceId: access.workspaceId, userId }, { roleId: next.id });
      AuditContext.annotate({ details: { from: current.name, to: next.name } });
    });
    return this.get(access, userId);
  }

  /** Removes a member (or, for oneself, leaves); their channel memberships go with it. */
  async remove(access: WorkspaceAccess, userId: string): Promise<void> {
    if (userId !== access.userId) access.require(Permission.MemberRemove);
    await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      if (userId !== access.userId) {
        this.requireCovers(access, await this.role(manager, access, member.roleId), 'remove someone whose role is above yours');
      }
      const role = await this.role(manager, access, member.roleId);
      if (role.builtIn === 'owner' && member.deactivatedAt === null) await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await manager.getRepository(WorkspaceMember).delete({ workspaceId: access.workspaceId, userId });
      // Removal is final until someone invites them again: no invite from before still brings them back.
      await manager.query(
        `UPDATE invites SET revoked_at = now()
          WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
            AND lower(email) = (SELECT lower(email) FROM users WHERE id = $2)`,
        [access.workspaceId, userId],
      );
    });
    await this.events.emit('workspace.member.removed', { workspaceId: access.workspaceId, userId });
  }

  async setActive(access: WorkspaceAccess, userId: string, active: boolean): Promise<MemberDto> {
    if (userId === access.userId) {
      throw new WorkspaceException(WorkspaceError.SelfDeactivation, 'You cannot deactivate or reactivate yourself');
    }
    await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      const role = await this.role(manager, access, member.roleId);
      this.requireCovers(access, role, 'deactivate someone whose role is above yours');
      if (!active && role.builtIn === 'owner') await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await manager
        .getRepository(WorkspaceMember)
        .update({ workspaceId: access.workspaceId, userId }, { deactivatedAt: active ? null : (member.deactivatedAt ?? new Date()) });
    });
    await this.events.emit(active ? 'workspace.member.reactivated' : 'workspace.member.deactivated', { workspaceId: access.workspaceId, userId });
    return this.get(access, userId);
  }

  private async get(access: WorkspaceAccess, userId: string): Promise<MemberDto> {
    const rows: MemberRow[] = await this.dataSource.query(
      `SELECT m.user_id, u.email, u.display_name, u.avatar_url, m.role_id, r.name AS role_name, r.built_in,
              m.deactivated_at, m.joined_at
         FROM workspace_members m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
        WHERE m.workspace_id = $1 AND m.user_id = $2`,
      [access.workspaceId, userId],
    );
    if (!rows.length) throw AppException.notFound('Member');
    return toMemberDto(rows[0]);
  }

  private async lockMember(manager: EntityManager, workspaceId: string, userId: string): Promise<WorkspaceMember> {
    const member = await manager
      .getRepository(WorkspaceMember)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.workspace_id = :workspaceId AND m.user_id = :userId', { workspaceId, userId })
      .getOne();
    if (!member) throw AppException.notFound('Member');
    return member;
  }

  private async role(manager: EntityManager, access: WorkspaceAccess, roleId: string): Promise<Role> {
    const role = await manager.getRepository(Role).findOneBy({ id: roleId, workspaceId: access.workspaceId });
    if (!role) throw AppException.notFound('Role');
    return role;
  }

  private requireCovers(access: WorkspaceAccess, role: Role, doing: string): void {
    if (!access.covers(permissionsOf(role, this.catalogue))) {
      throw new WorkspaceException(WorkspaceError.RoleAboveYours, `You cannot ${doing}`);
    }
  }

  /** Locks the Owner memberships and refuses when `userId` is the last active one. */
  private async requireAnotherOwner(manager: EntityManager, workspaceId: string, userId: string): Promise<void> {
    const owners: { user_id: string }[] = await manager.query(
      `SELECT m.user_id FROM workspace_members m JOIN roles r ON r.id = m.role_id AND r.built_in = 'owner'
        WHERE m.workspace_id = $1 AND m.deactivated_at IS NULL
        FOR UPDATE OF m`,
      [workspaceId],
    );
    if (!owners.some((owner) => owner.user_id !== userId)) {
      throw new WorkspaceException(WorkspaceError.LastOwner, 'A workspace needs at least one active Owner: make someone else Owner first');
    }
  }
}

function toMemberDto(row: MemberRow): MemberDto {
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    role: { id: row.role_id, name: row.role_name, builtIn: row.built_in },
    state: row.deactivated_at ? 'deactivated' : 'active',
    joinedAt: new Date(row.joined_at).toISOString(),
  };
}
