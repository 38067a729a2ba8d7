import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CreatedInviteDto, InviteDto, InvitePreviewDto, permissionsOf, RoleCatalogue, WorkspaceDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { enforceWorkspaceRule, enforceWorkspaceRuleOnTarget, WorkspaceAction } from '../access/access.rules';
import { MembershipRepository } from '../access/membership.repository';
import { WorkspaceAccess } from '../access/workspace-access';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { WorkspaceError, WorkspaceException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EventBus } from '../events/event-bus';
import { MailService } from '../mail/mail.service';
import { Role } from '../rbac/entities/role.entity';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { RoleRepository } from '../rbac/role.repository';
import { UsersService } from '../users/users.service';
import { CreateInviteDto } from './dto/invite.dto';
import { Invite } from './entities/invite.entity';
import { InviteByToken, InviteRepository } from './invite.repository';
import { WorkspaceRepository } from './workspace.repository';
import { WorkspacesService } from './workspaces.service';

const DEFAULT_INVITE_DAYS = 7;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Invites by email: a single-use link that adds the person whose email it names. */
@Injectable()
export class InvitesService {
  private readonly logger = new Logger('Invites');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invites: InviteRepository,
    private readonly workspaceRows: WorkspaceRepository,
    private readonly roles: RoleRepository,
    private readonly memberships: MembershipRepository,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailService,
    private readonly events: EventBus,
    private readonly workspaces: WorkspacesService,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  async create(access: WorkspaceAccess, dto: CreateInviteDto): Promise<CreatedInviteDto> {
    enforceWorkspaceRule(access, WorkspaceAction.Invite);
    const role = dto.roleId
      ? await this.roles.findInWorkspace(access.workspaceId, dto.roleId)
      : await this.roles.findBuiltIn(access.workspaceId, 'member');
    if (!role) throw AppException.notFound('Role');
    enforceWorkspaceRuleOnTarget(access, WorkspaceAction.Invite, { granted: permissionsOf(role, this.catalogue) });
    if (await this.memberships.hasMemberWithEmail(access.workspaceId, dto.email)) {
      throw new WorkspaceException(WorkspaceError.AlreadyMember, `${dto.email} is already a member of this workspace`);
    }

    const workspace = await this.workspaceRows.get(access.workspaceId);
    const inviter = await this.users.get(access.userId);
    const token = randomBytes(24).toString('base64url');
    const days = workspace.settings.inviteExpiryDays ?? DEFAULT_INVITE_DAYS;
    const invite = await auditedTransaction(this.dataSource, async (manager) => {
      // A new invite replaces any pending one for the same address.
      await this.invites.revokePending(access.workspaceId, dto.email, manager);
      AuditContext.annotate({ details: { email: dto.email, role: role.name } });
      const saved = await this.invites.insert(
        {
          workspaceId: access.workspaceId,
          email: dto.email,
          roleId: role.id,
          tokenHash: sha256(token),
          invitedBy: access.userId,
          expiresAt: new Date(Date.now() + days * 24 * 3600 * 1000),
        },
        manager,
      );
      AuditContext.annotate({ targetId: saved.id });
      return saved;
    });

    const acceptUrl = `${this.config.publicUrl}/invite/${token}`;
    this.mail
      .send(
        {
          to: dto.email,
          subject: `${inviter.displayName} invited you to ${workspace.name} on Parley`,
          text: `${inviter.displayName} invited you to join ${workspace.name} on Parley.\n\nAccept the invitation: ${acceptUrl}\n\nSign in with this email address (${dto.email}). The link works until ${invite.expiresAt.toUTCString()}.\n`,
        },
        `Invite for ${dto.email} to ${workspace.name}: ${acceptUrl}`,
      )
      .catch((error: Error) => this.logger.error(`Could not email the invite to ${dto.email}: ${error.message}`));

    return { ...toInviteDto(invite, role), acceptUrl, token };
  }

  async listPending(access: WorkspaceAccess): Promise<InviteDto[]> {
    const invites = await this.invites.listPending(access.workspaceId);
    return invites.map((invite) => toInviteDto(invite, invite.role!));
  }

  /**
   * Revokes a pending (or expired) invite; revoking one twice is harmless. An accepted invite
   * cannot be revoked: it is used up already, and the person is taken out by removing them.
   */
  async revoke(access: WorkspaceAccess, inviteId: string): Promise<void> {
    await auditedTransaction(this.dataSource, async (manager) => {
      const invite = await this.invites.findInWorkspace(access.workspaceId, inviteId, manager);
      if (!invite) throw AppException.notFound('Invite');
      AuditContext.annotate({ details: { email: invite.email } });
      if (invite.acceptedAt) throw acceptedAlready();
      if (invite.revokedAt) return;
      // Accepted between the read and the update.
      if (!(await this.invites.revoke(invite.id, manager)) && (await this.invites.get(invite.id, manager)).acceptedAt) {
        throw acceptedAlready();
      }
    });
  }

  /** What the link is for, shown before signing in: whoever holds the mailed link may see it. */
  async preview(token: string): Promise<InvitePreviewDto> {
    const { invite, inviterName } = await this.find(token);
    requireUsable(invite);
    return {
      workspaceName: invite.workspace!.name,
      invitedByName: inviterName ?? 'Someone',
      email: invite.email,
      expiresAt: invite.expiresAt.toISOString(),
    };
  }

  /**
   * Adds the signed-in person to the workspace. An invite works once: it is claimed in the
   * transaction that adds the member, so of two accepts racing one wins, and a link used
   * before (by someone removed since, say) is refused with INVITE_USED and audited as such.
   */
  async accept(userId: string, token: string): Promise<WorkspaceDto> {
    const { invite } = await this.find(token);
    // Before any check, so that a refused attempt is recorded in the workspace's own log.
    AuditContext.annotate({ workspaceId: invite.workspaceId, targetId: invite.workspaceId, details: { inviteId: invite.id } });
    requireUsable(invite);
    await this.requireAddressee(userId, invite);
    const joined = await auditedTransaction(this.dataSource, async (manager) => {
      if (!(await this.invites.claim(invite.id, manager))) {
        // Used, revoked or expired since it was read: explain with the row as it is now.
        requireUsable({ ...(await this.invites.get(invite.id, manager)), workspace: invite.workspace });
        throw inviteUsed();
      }
      const existing = await this.memberships.findMembership(invite.workspaceId, userId, manager);
      if (existing?.deactivatedAt) {
        throw new WorkspaceException(WorkspaceError.MembershipDeactivated, 'Your membership of this workspace is deactivated');
      }
      if (!existing) await this.memberships.addMember(invite.workspaceId, userId, invite.roleId, manager);
      return !existing;
    });
    if (joined) {
      await this.events.emit('workspace.member.joined', { workspaceId: invite.workspaceId, userId });
    }
    return (await this.workspaces.listForUser(userId)).find((workspace) => workspace.id === invite.workspaceId)!;
  }

  /** The invite behind a link (of a workspace that still exists), whatever its state. */
  private async find(token: string): Promise<InviteByToken> {
    const found = await this.invites.findByTokenHash(sha256(token));
    if (!found || found.invite.workspace?.deletedAt) throw AppException.notFound('Invite');
    return found;
  }

  private async requireAddressee(userId: string, invite: Invite): Promise<void> {
    const user = await this.users.get(userId);
    if (user.email !== invite.email) {
      throw new WorkspaceException(WorkspaceError.InviteEmailMismatch, `This invite is for another email address; sign in as the person it was sent to`);
    }
  }
}

/**
 * Refuses an invite that cannot be used, expiry first: a revoked one is gone ("not found"),
 * an expired one says so whether or not it was used, and a used one says it was used.
 */
function requireUsable(invite: Invite): void {
  if (invite.revokedAt) throw AppException.notFound('Invite');
  if (invite.expiresAt.getTime() <= Date.now()) {
    throw new WorkspaceException(WorkspaceError.InviteExpired, 'This invite has expired; ask for a new one');
  }
  if (invite.acceptedAt) throw inviteUsed();
}

function inviteUsed(): WorkspaceException {
  return new WorkspaceException(WorkspaceError.InviteUsed, 'This invite was used already; ask for a new one');
}

/** Revoking an accepted invite: a conflict with its state, not a missing invite. */
function acceptedAlready(): WorkspaceException {
  return new WorkspaceException(WorkspaceError.InviteAcceptedAlready, 'This invite was accepted already; remove the member to take them out');
}

function toInviteDto(invite: Invite, role: Role): InviteDto {
  return {
    id: invite.id,
    workspaceId: invite.workspaceId,
    email: invite.email,
    role: { id: role.id, name: role.name, builtIn: role.builtIn },
    invitedBy: invite.invitedBy,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
  };
}
