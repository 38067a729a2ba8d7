import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MemberDto, permissionsOf, RoleCatalogue } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { enforceWorkspaceRule, enforceWorkspaceRuleOnTarget, PEOPLE_SEEN, WorkspaceAction } from '../access/access.rules';
import { MemberRow, MembershipRepository } from '../access/membership.repository';
import { WorkspaceAccess } from '../access/workspace-access';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { WorkspaceError, WorkspaceException } from '../common/domain-errors';
import { EventBus } from '../events/event-bus';
import { Role } from '../rbac/entities/role.entity';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { RoleRepository } from '../rbac/role.repository';
import { WorkspaceMember } from './entities/workspace-member.entity';
import { InviteRepository } from './invite.repository';

/**
 * Membership changes: roles, removal, deactivation. Who may do which to whom is the rule of
 * each WorkspaceAction (access.rules.ts); what holds whoever asks stays here: the last active
 * Owner always stays.
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipRepository,
    private readonly roles: RoleRepository,
    private readonly invites: InviteRepository,
    private readonly events: EventBus,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /** Everyone in the workspace, as far as the caller may see them (PEOPLE_SEEN). */
  async list(access: WorkspaceAccess): Promise<MemberDto[]> {
    const rows = await this.memberships.listMembers(access.workspaceId, PEOPLE_SEEN.onlyChannelPeers(access) ? access.userId : null);
    return rows.map(toMemberDto);
  }

  async changeRole(access: WorkspaceAccess, userId: string, roleId: string): Promise<MemberDto> {
    enforceWorkspaceRule(access, WorkspaceAction.ChangeMemberRole);
    const changed = await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      const [current, next] = await Promise.all([this.role(manager, access, member.roleId), this.role(manager, access, roleId)]);
      if (current.id === next.id) return false;
      enforceWorkspaceRuleOnTarget(access, WorkspaceAction.ChangeMemberRole, {
        targetUserId: userId,
        targetPermissions: this.permissionsOf(current),
        granted: this.permissionsOf(next),
      });
      if (current.builtIn === 'owner' && next.builtIn !== 'owner') await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await this.memberships.setRole(access.workspaceId, userId, next.id, manager);
      AuditContext.annotate({ details: { from: current.name, to: next.name } });
      return true;
    });
    if (changed) await this.events.emit('workspace.member.role.changed', { workspaceId: access.workspaceId, userId });
    return this.get(access, userId);
  }

  /** Removes a member (or, for oneself, leaves); their channel memberships go with it. */
  async remove(access: WorkspaceAccess, userId: string): Promise<void> {
    enforceWorkspaceRule(access, WorkspaceAction.RemoveMember, { targetUserId: userId });
    await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      const role = await this.role(manager, access, member.roleId);
      enforceWorkspaceRuleOnTarget(access, WorkspaceAction.RemoveMember, { targetUserId: userId, targetPermissions: this.permissionsOf(role) });
      if (role.builtIn === 'owner' && member.deactivatedAt === null) await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await this.memberships.removeMember(access.workspaceId, userId, manager);
      // Removal is final until someone invites them again: no invite from before still brings them back.
      await this.invites.revokePendingForUser(access.workspaceId, userId, manager);
    });
    await this.events.emit('workspace.member.removed', { workspaceId: access.workspaceId, userId });
  }

  async setActive(access: WorkspaceAccess, userId: string, active: boolean): Promise<MemberDto> {
    enforceWorkspaceRule(access, WorkspaceAction.SetMemberActive, { targetUserId: userId });
    await auditedTransaction(this.dataSource, async (manager) => {
      const member = await this.lockMember(manager, access.workspaceId, userId);
      const role = await this.role(manager, access, member.roleId);
      enforceWorkspaceRuleOnTarget(access, WorkspaceAction.SetMemberActive, { targetUserId: userId, targetPermissions: this.permissionsOf(role) });
      if (!active && role.builtIn === 'owner') await this.requireAnotherOwner(manager, access.workspaceId, userId);
      await this.memberships.setDeactivatedAt(access.workspaceId, userId, active ? null : (member.deactivatedAt ?? new Date()), manager);
    });
    await this.events.emit(active ? 'workspace.member.reactivated' : 'workspace.member.deactivated', { workspaceId: access.workspaceId, userId });
    return this.get(access, userId);
  }

  private async get(access: WorkspaceAccess, userId: string): Promise<MemberDto> {
    const row = await this.memberships.findMember(access.workspaceId, userId);
    if (!row) throw AppException.notFound('Member');
    return toMemberDto(row);
  }

  private async lockMember(manager: EntityManager, workspaceId: string, userId: string): Promise<WorkspaceMember> {
    const member = await this.memberships.lockMember(workspaceId, userId, manager);
    if (!member) throw AppException.notFound('Member');
    return member;
  }

  private async role(manager: EntityManager, access: WorkspaceAccess, roleId: string): Promise<Role> {
    const role = await this.roles.findInWorkspace(access.workspaceId, roleId, manager);
    if (!role) throw AppException.notFound('Role');
    return role;
  }

  private permissionsOf(role: Role) {
    return permissionsOf(role, this.catalogue);
  }

  /** Locks the Owner memberships and refuses when `userId` is the last active one. */
  private async requireAnotherOwner(manager: EntityManager, workspaceId: string, userId: string): Promise<void> {
    const owners = await this.memberships.lockActiveOwnerIds(workspaceId, manager);
    if (!owners.some((owner) => owner !== userId)) {
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
