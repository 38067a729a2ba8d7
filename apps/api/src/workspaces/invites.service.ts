import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CreatedInviteDto, InviteDto, InvitePreviewDto, permissionsOf, RoleCatalogue, WorkspaceDto } from '@parley/contracts';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { WorkspaceError, WorkspaceException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EventBus } from '../events/event-bus';
import { MailService } from '../mail/mail.service';
import { Role } from '../rbac/entities/role.entity';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { WorkspaceAccess } from '../access/workspace-access';
import { User } from '../users/entities/user.entity';
import { CreateInviteDto } from './dto/invite.dto';
import { Invite } from './entities/invite.entity';
import { WorkspaceMember } from './entities/workspace-member.entity';
import { Workspace } from './entities/workspace.entity';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailService,
    private readonly events: EventBus,
    private readonly workspaces: WorkspacesService,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  async create(access: WorkspaceAccess, dto: CreateInviteDto): Promise<CreatedInviteDto> {
    const roles = this.dataSource.getRepository(Role);
    const role = dto.roleId
      ? await roles.findOneBy({ id: dto.roleId, workspaceId: access.workspaceId })
      : await roles.findOneBy({ workspaceId: access.workspaceId, builtIn: 'member' });
    if (!role) throw AppException.notFound('Role');
    if (!access.covers(permissionsOf(role, this.catalogue))) {
      throw new WorkspaceException(WorkspaceError.RoleAboveYours, 'You cannot invite someone into a role above yours');
    }
    const already: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2`,
      [access.workspaceId, dto.email],
    );
    if (already.length) {
      throw new WorkspaceException(WorkspaceError.AlreadyMember, `${dto.email} is already a member of this workspace`);
    }

    const workspace = await this.dataSource.getRepository(Workspace).findOneByOrFail({ id: access.workspaceId });
    const inviter = await this.dataSource.getRepository(User).findOneByOrFail({ id: access.userId });
    const token = randomBytes(24).toString('base64url');
    const days = workspace.settings.inviteExpiryDays ?? DEFAULT_INVITE_DAYS;
    const invite = await auditedTransaction(this.dataSource, async (manager) => {
      const invites = manager.getRepository(Invite);
      // A new invite replaces any pending one for the same address.
      await invites.update({ workspaceId: access.workspaceId, email: dto.email, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
      AuditContext.annotate({ details: { email: dto.email, role: role.name } });
      const saved = await invites.save({
        workspaceId: access.workspaceId,
        email: dto.email,
        roleId: role.id,
        tokenHash: sha256(token),
        invitedBy: access.userId,
        expiresAt: new Date(Date.now() + days * 24 * 3600 * 1000),
        acceptedAt: null,
        revokedAt: null,
      });
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
    const invites = await this.dataSource.getRepository(Invite).find({
      where: { workspaceId: access.workspaceId, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      relations: { role: true },
      order: { createdAt: 'DESC' },
    });
    return invites.map((invite) => toInviteDto(invite, invite.role!));
  }

  /**
   * Revokes a pending (or expired) invite; revoking one twice is harmless. An accepted invite
   * cannot be revoked: it is used up already, and the person is taken out by removing them.
   */
  async revoke(access: WorkspaceAccess, inviteId: string): Promise<void> {
    await auditedTransaction(this.dataSource, async (manager) => {
      const invites = manager.getRepository(Invite);
      const invite = await invites.findOneBy({ id: inviteId, workspaceId: access.workspaceId });
      if (!invite) throw AppException.notFound('Invite');
      AuditContext.annotate({ details: { email: invite.email } });
      if (invite.acceptedAt) throw acceptedAlready();
      if (invite.revokedAt) return;
      const result = await invites.update({ id: invite.id, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: new Date() });
      // Accepted between the read and the update.
      if (!result.affected && (await invites.findOneByOrFail({ id: invite.id })).acceptedAt) {
        throw acceptedAlready();
      }
    });
  }

  /** What the link is for, shown before signing in: whoever holds the mailed link may see it. */
  async preview(token: string): Promise<InvitePreviewDto> {
    const invite = await this.find(token);
    requireUsable(invite);
    const [workspace, inviter] = await Promise.all([
      this.dataSource.getRepository(Workspace).findOneByOrFail({ id: invite.workspaceId }),
      this.dataSource.getRepository(User).findOneBy({ id: invite.invitedBy }),
    ]);
    return {
      workspaceName: workspace.name,
      invitedByName: inviter?.displayName ?? 'Someone',
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
    const invite = await this.find(token);
    // Before any check, so that a refused attempt is recorded in the workspace's own log.
    AuditContext.annotate({ workspaceId: invite.workspaceId, targetId: invite.workspaceId, details: { inviteId: invite.id } });
    requireUsable(invite);
    await this.requireAddressee(userId, invite);
    const joined = await auditedTransaction(this.dataSource, async (manager) => {
      const invites = manager.getRepository(Invite);
      const claimed = await invites.update(
        { id: invite.id, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { acceptedAt: new Date() },
      );
      if (!claimed.affected) {
        // Used, revoked or expired since it was read: explain with the row as it is now.
        requireUsable({ ...(await invites.findOneByOrFail({ id: invite.id })), workspace: invite.workspace });
        throw inviteUsed();
      }
      const members = manager.getRepository(WorkspaceMember);
      const existing = await members.findOneBy({ workspaceId: invite.workspaceId, userId });
      if (existing?.deactivatedAt) {
        throw new WorkspaceException(WorkspaceError.MembershipDeactivated, 'Your membership of this workspace is deactivated');
      }
      if (!existing) await members.insert({ workspaceId: invite.workspaceId, userId, roleId: invite.roleId });
      return !existing;
    });
    if (joined) {
      await this.events.emit('workspace.member.joined', { workspaceId: invite.workspaceId, userId });
    }
    return (await this.workspaces.listForUser(userId)).find((workspace) => workspace.id === invite.workspaceId)!;
  }

  /** The invite behind a link (of a workspace that still exists), whatever its state. */
  private async find(token: string): Promise<Invite> {
    const invite = await this.dataSource.getRepository(Invite).findOne({ where: { tokenHash: sha256(token) }, relations: { workspace: true } });
    if (!invite || invite.workspace?.deletedAt) throw AppException.notFound('Invite');
    return invite;
  }

  private async requireAddressee(userId: string, invite: Invite): Promise<void> {
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: userId });
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
