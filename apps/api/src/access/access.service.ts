import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Permission, permissionsOf, RoleCatalogue } from '@parley/contracts';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { noteChannelCheck, noteFileCheck, noteMessageCheck } from './access-declarations';
import { ChannelAction, enforceChannelRule, enforceMessageRule, FILE_VISIBLE, MAY_SEE, MessageAction, RuleContext } from './access.rules';
import { ChannelMembershipRow, MembershipRepository, MembershipRow } from './membership.repository';
import { ChannelAccess, FileAccess, MessageAccess, WorkspaceAccess } from './workspace-access';

/** Who is acting: the signed-in user (REST and sockets alike). */
export interface Actor {
  userId: string;
}

/**
 * The one access API. Every service method that acts in a workspace or on a channel starts
 * here: `requireWorkspace` for a workspace and a permission, `requireChannel` for a channel and
 * what is done to it (the rules are in access.rules.ts). What a role may do is resolved in
 * code from the catalogue: built-in roles follow the running version, custom roles their
 * stored list.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly memberships: MembershipRepository,
    @InjectRoleCatalogue() private readonly catalogue: RoleCatalogue,
  ) {}

  /** Null unless the user is an active member of a workspace that still exists. */
  async forWorkspace(userId: string, workspaceId: string): Promise<WorkspaceAccess | null> {
    const row = await this.memberships.findWorkspaceMembership(userId, workspaceId);
    return row ? this.toAccess(userId, row) : null;
  }

  /** The caller's membership of the workspace: 404 without one, 403 without `permission`. */
  async requireWorkspace(actor: Actor, workspaceId: string, permission?: Permission): Promise<WorkspaceAccess> {
    const access = await this.forWorkspace(actor.userId, workspaceId);
    if (!access) throw AppException.notFound('Workspace');
    if (permission) access.require(permission);
    return access;
  }

  /**
   * The caller may do `action` to the channel: 404 if they may not see it (or it does not
   * exist), else the answer of the rule's first failing check.
   */
  async requireChannel(actor: Actor, channelId: string, action: ChannelAction, context: RuleContext = {}): Promise<ChannelAccess> {
    if (!isUUID(channelId)) throw AppException.notFound('Channel');
    const row = await this.memberships.findChannelMembership(actor.userId, channelId);
    if (!row) throw AppException.notFound('Channel');
    const access = this.toChannelAccess(actor.userId, row);
    if (!MAY_SEE.holds(access)) throw AppException.notFound('Channel');
    enforceChannelRule(access, action, context);
    noteChannelCheck(channelId, action);
    return access;
  }

  /**
   * The caller may do `action` to the message: 404 if it does not exist or they may not see its
   * channel, else the answer of the rule's first failing check (access.rules.ts). The message and
   * its channel are found in one query; the facts found are returned.
   */
  async requireMessage(actor: Actor, messageId: string, action: MessageAction): Promise<MessageAccess> {
    if (!isUUID(messageId)) throw AppException.notFound('Message');
    const row = await this.memberships.findMessageMembership(actor.userId, messageId);
    if (!row) throw AppException.notFound('Message');
    const channel = this.toChannelAccess(actor.userId, row);
    if (!MAY_SEE.holds(channel)) throw AppException.notFound('Message');
    const access = new MessageAccess(channel, { id: row.message_id, channelId: row.channel_id, senderId: row.sender_id, deleted: row.deleted, threadRootId: row.thread_root_id });
    enforceMessageRule(access, action);
    noteMessageCheck(messageId, action);
    return access;
  }

  /**
   * The caller may do `action` to the channel of the file (its access is its channel's): 404 if
   * the file does not exist, is gone (removed, or its message deleted), is not yet sent and not
   * theirs, or they may not see its channel; else the answer of the channel rule's first failing check.
   */
  async requireFile(actor: Actor, fileId: string, action: ChannelAction): Promise<FileAccess> {
    if (!isUUID(fileId)) throw AppException.notFound('File');
    const row = await this.memberships.findFileMembership(actor.userId, fileId);
    if (!row) throw AppException.notFound('File');
    const channel = this.toChannelAccess(actor.userId, row);
    const access = new FileAccess(channel, { id: row.file_id, channelId: row.channel_id, uploaderId: row.uploader_id, messageId: row.message_id });
    if (!MAY_SEE.holds(channel) || row.gone || !FILE_VISIBLE.holds(access)) throw AppException.notFound('File');
    enforceChannelRule(channel, action);
    noteFileCheck(fileId, action);
    return access;
  }

  private toChannelAccess(userId: string, row: ChannelMembershipRow): ChannelAccess {
    // A member's request is logged in the workspace's audit chain, refused or not (a stranger's outside it).
    AuditContext.annotate({ workspaceId: row.workspace_id });
    return new ChannelAccess(this.toAccess(userId, row), {
      id: row.channel_id,
      type: row.channel_type,
      name: row.channel_name,
      createdBy: row.created_by,
      archived: row.archived,
      member: row.channel_member,
    });
  }

  private toAccess(userId: string, row: MembershipRow): WorkspaceAccess {
    const permissions = permissionsOf({ builtIn: row.built_in, permissions: row.permissions }, this.catalogue);
    return new WorkspaceAccess(userId, row.workspace_id, row.role_id, row.role_name, row.built_in, permissions);
  }
}
