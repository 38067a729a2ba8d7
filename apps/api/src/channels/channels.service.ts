import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelDto, ChannelMemberDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { ChannelAction, CHANNELS_LISTED, enforceWorkspaceRule, WorkspaceAction } from '../access/access.rules';
import { AccessService, Actor } from '../access/access.service';
import { MembershipRepository } from '../access/membership.repository';
import { ChannelAccess, ChannelFacts, WorkspaceAccess } from '../access/workspace-access';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { ChannelError, ChannelException } from '../common/domain-errors';
import { isUniqueViolation } from '../common/db-errors';
import { EventBus } from '../events/event-bus';
import { ChannelRepository } from './channel.repository';
import { toChannelDto } from './channel-rows';
import { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';

/**
 * Public and private channels. Every method on a channel starts with its access rule
 * (`AccessService.requireChannel`, rules in access/access.rules.ts): a private channel or DM is
 * "not found" to anyone outside it, and a public one to anyone who may not browse channels
 * (guests) unless they were added to it.
 */
@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly events: EventBus,
  ) {}

  async create(access: WorkspaceAccess, dto: CreateChannelDto): Promise<ChannelDto> {
    enforceWorkspaceRule(access, WorkspaceAction.CreateChannel, { visibility: dto.visibility });
    try {
      const id = await auditedTransaction(this.dataSource, async (manager) => {
        const channelId = await this.channels.insert(
          { workspaceId: access.workspaceId, type: dto.visibility, name: dto.name, topic: dto.topic || null, createdBy: access.userId },
          [access.userId],
          manager,
        );
        AuditContext.annotate({ targetId: channelId, details: { channelId, channelName: dto.name } });
        return channelId;
      });
      await this.membersAdded(access.workspaceId, id, [access.userId]);
      await this.events.emit('channel.created', { workspaceId: access.workspaceId, channelId: id });
      return this.get(access, id);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(dto.name);
      throw error;
    }
  }

  /** The caller's channels and DMs, plus the public channels they may browse (with `member: false`). */
  async list(access: WorkspaceAccess): Promise<ChannelDto[]> {
    const rows = await this.channels.listForViewer(access.userId, access.workspaceId, CHANNELS_LISTED.withPublic(access));
    return rows.map(toChannelDto);
  }

  async get(actor: Actor, channelId: string): Promise<ChannelDto> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    return this.dto(actor, channelId);
  }

  async update(actor: Actor, channelId: string, dto: UpdateChannelDto): Promise<ChannelDto> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.Manage);
    const { channel } = access;
    const changes: { name?: string; topic?: string | null } = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.topic !== undefined) changes.topic = dto.topic || null;
    annotateChannel(channel, dto.name !== undefined && dto.name !== channel.name ? { channelName: dto.name, previousName: channel.name } : {});
    try {
      await auditedTransaction(this.dataSource, (manager) => this.channels.update(channel.id, changes, manager));
      await this.updated(access);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(dto.name ?? '');
      throw error;
    }
    return this.get(actor, channelId);
  }

  async setArchived(actor: Actor, channelId: string, archived: boolean): Promise<ChannelDto> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.Archive);
    annotateChannel(access.channel);
    // Archiving an archived channel keeps the date it was archived.
    const changes = archived === access.channel.archived ? {} : { archivedAt: archived ? new Date() : null };
    await auditedTransaction(this.dataSource, (manager) => this.channels.update(channelId, changes, manager));
    await this.updated(access);
    return this.get(actor, channelId);
  }

  /** Joins a public channel; joining one you are in already is fine. */
  async join(actor: Actor, channelId: string): Promise<ChannelDto> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.Join);
    const { channel } = access;
    annotateChannel(channel);
    if (channel.member) return this.dto(actor, channelId);
    await auditedTransaction(this.dataSource, (manager) => this.channels.addMembers(channel.id, [actor.userId], manager));
    await this.membersAdded(access.workspaceId, channel.id, [actor.userId]);
    return this.get(actor, channelId);
  }

  async leave(actor: Actor, channelId: string): Promise<void> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.Leave);
    annotateChannel(access.channel);
    const left = await auditedTransaction(this.dataSource, (manager) => this.channels.removeMember(channelId, actor.userId, manager));
    if (left) await this.membersRemoved(access.workspaceId, channelId, [actor.userId]);
  }

  async members(actor: Actor, channelId: string): Promise<ChannelMemberDto[]> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    return this.channels.listMembers(channelId);
  }

  /** Adds active members of the workspace (who may add whom: ChannelAction.AddMembers). */
  async addMembers(actor: Actor, channelId: string, userIds: string[]): Promise<ChannelDto> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.AddMembers);
    await this.requireActiveMembers(access.workspaceId, userIds);
    annotateChannel(access.channel, { userIds });
    await auditedTransaction(this.dataSource, (manager) => this.channels.addMembers(channelId, userIds, manager));
    await this.membersAdded(access.workspaceId, channelId, userIds);
    return this.get(actor, channelId);
  }

  async removeMember(actor: Actor, channelId: string, userId: string): Promise<void> {
    const access = await this.access.requireChannel(actor, channelId, ChannelAction.RemoveMember, { targetUserId: userId });
    annotateChannel(access.channel);
    await auditedTransaction(this.dataSource, async (manager) => {
      if (!(await this.channels.removeMember(channelId, userId, manager))) throw AppException.notFound('Channel member');
    });
    await this.membersRemoved(access.workspaceId, channelId, [userId]);
  }

  /** How many people are in the channel (for the header). */
  memberCount(channelId: string): Promise<number> {
    return this.channels.memberCount(channelId);
  }

  /** The channel as its members see it, for telling them it changed; null once it is gone. */
  async findForBroadcast(channelId: string): Promise<ChannelDto | null> {
    const row = await this.channels.findRow(null, channelId);
    return row ? { ...toChannelDto(row), member: true } : null;
  }

  /** Every channel of a workspace (for closing its rooms when it is deleted). */
  idsInWorkspace(workspaceId: string): Promise<string[]> {
    return this.channels.idsInWorkspace(workspaceId);
  }

  /** The channels of a workspace the user is in (for the rooms their sockets join or leave). */
  idsOfMember(workspaceId: string, userId: string): Promise<string[]> {
    return this.channels.idsOfMember(workspaceId, userId);
  }

  async membersAdded(workspaceId: string, channelId: string, userIds: string[]): Promise<void> {
    await this.events.emit('channel.members.added', { workspaceId, channelId, userIds });
  }

  /** The channel as the caller sees it, once its rule has been checked. */
  private async dto(actor: Actor, channelId: string): Promise<ChannelDto> {
    const row = await this.channels.findRow(actor.userId, channelId);
    if (!row) throw AppException.notFound('Channel');
    return toChannelDto(row);
  }

  private async membersRemoved(workspaceId: string, channelId: string, userIds: string[]): Promise<void> {
    await this.events.emit('channel.members.removed', { workspaceId, channelId, userIds });
  }

  private async updated(access: ChannelAccess): Promise<void> {
    await this.events.emit('channel.updated', { workspaceId: access.workspaceId, channelId: access.channel.id });
  }

  private async requireActiveMembers(workspaceId: string, userIds: string[]): Promise<void> {
    const found = await this.memberships.activeMemberIds(workspaceId, userIds);
    if (found.length !== new Set(userIds).size) {
      const missing = userIds.filter((id) => !found.includes(id));
      throw new ChannelException(ChannelError.NotInWorkspace, `Not active members of this workspace: ${missing.join(', ')}`);
    }
  }
}

/** The audit event names the channel as it is at the time (the log page shows names, not ids). */
function annotateChannel(channel: ChannelFacts, extra: Record<string, unknown> = {}): void {
  AuditContext.annotate({ details: { channelId: channel.id, channelName: channel.name, ...extra } });
}

function nameTaken(name: string): ChannelException {
  return new ChannelException(ChannelError.NameTaken, `There is already a channel called #${name}`);
}
