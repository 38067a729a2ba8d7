import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelDto, ChannelMemberDto, Permission } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { ChannelError, ChannelException } from '../common/domain-errors';
import { isUniqueViolation } from '../common/db-errors';
import { EventBus } from '../events/event-bus';
import { WorkspaceAccess } from '../rbac/workspace-access';
import { CHANNEL_ROW_SELECT, ChannelRow, isDm, toChannelDto } from './channel-rows';
import { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { ChannelMember } from './entities/channel-member.entity';
import { Channel } from './entities/channel.entity';

/**
 * Public and private channels. Every method starts with the visibility check: a private
 * channel or DM is "not found" to anyone outside it, and a public one to anyone who may
 * not browse channels (guests) unless they were added to it.
 */
@Injectable()
export class ChannelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  async create(access: WorkspaceAccess, dto: CreateChannelDto): Promise<ChannelDto> {
    access.require(dto.visibility === 'public' ? Permission.ChannelCreatePublic : Permission.ChannelCreatePrivate);
    try {
      const id = await auditedTransaction(this.dataSource, async (manager) => {
        const channel = await manager.getRepository(Channel).save({
          workspaceId: access.workspaceId,
          type: dto.visibility,
          name: dto.name,
          topic: dto.topic || null,
          dmKey: null,
          createdBy: access.userId,
          archivedAt: null,
        });
        await manager.getRepository(ChannelMember).insert({ channelId: channel.id, userId: access.userId });
        AuditContext.annotate({ targetId: channel.id, details: { channelId: channel.id, channelName: channel.name } });
        return channel.id;
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
    const rows: ChannelRow[] = await this.dataSource.query(
      `${CHANNEL_ROW_SELECT}
        WHERE c.workspace_id = $2
          AND (EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $1)
               OR (c.type = 'public' AND $3))
        ORDER BY c.type IN ('dm', 'group_dm'), c.name, c.created_at`,
      [access.userId, access.workspaceId, access.can(Permission.ChannelBrowse)],
    );
    return rows.map(toChannelDto);
  }

  async get(access: WorkspaceAccess, channelId: string): Promise<ChannelDto> {
    return toChannelDto(await this.visible(access, channelId));
  }

  async update(access: WorkspaceAccess, channelId: string, dto: UpdateChannelDto): Promise<ChannelDto> {
    const row = await this.visible(access, channelId);
    this.requireConversation(row);
    this.requireActive(row);
    this.requireManager(access, row, Permission.ChannelManage);
    const changes: Partial<Channel> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.topic !== undefined) changes.topic = dto.topic || null;
    annotateChannel(row, dto.name !== undefined && dto.name !== row.name ? { channelName: dto.name, previousName: row.name } : {});
    try {
      await auditedTransaction(this.dataSource, async (manager) => {
        if (Object.keys(changes).length) await manager.getRepository(Channel).update({ id: row.id }, changes);
      });
      await this.updated(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(dto.name ?? '');
      throw error;
    }
    return this.get(access, channelId);
  }

  async setArchived(access: WorkspaceAccess, channelId: string, archived: boolean): Promise<ChannelDto> {
    const row = await this.visible(access, channelId);
    this.requireConversation(row);
    this.requireManager(access, row, Permission.ChannelArchive);
    annotateChannel(row);
    await auditedTransaction(this.dataSource, (manager) =>
      manager.getRepository(Channel).update({ id: row.id }, { archivedAt: archived ? (row.archived_at ?? new Date()) : null }),
    );
    await this.updated(row);
    return this.get(access, channelId);
  }

  /** Joins a public channel; joining one you are in already is fine. */
  async join(access: WorkspaceAccess, channelId: string): Promise<ChannelDto> {
    const row = await this.visible(access, channelId);
    annotateChannel(row);
    if (row.member) return toChannelDto(row);
    if (row.type !== 'public') {
      throw new ChannelException(ChannelError.NotJoinable, 'Only public channels can be joined');
    }
    this.requireActive(row);
    await auditedTransaction(this.dataSource, (manager) =>
      manager.getRepository(ChannelMember).upsert({ channelId: row.id, userId: access.userId }, ['channelId', 'userId']),
    );
    await this.membersAdded(row.workspace_id, row.id, [access.userId]);
    return this.get(access, channelId);
  }

  async leave(access: WorkspaceAccess, channelId: string): Promise<void> {
    const row = await this.visible(access, channelId);
    this.requireConversation(row);
    annotateChannel(row);
    const result = await auditedTransaction(this.dataSource, (manager) =>
      manager.getRepository(ChannelMember).delete({ channelId: row.id, userId: access.userId }),
    );
    if (result.affected) await this.membersRemoved(row.workspace_id, row.id, [access.userId]);
  }

  async members(access: WorkspaceAccess, channelId: string): Promise<ChannelMemberDto[]> {
    const row = await this.visible(access, channelId);
    const rows: { user_id: string; display_name: string; avatar_url: string | null; joined_at: Date }[] = await this.dataSource.query(
      `SELECT cm.user_id, u.display_name, u.avatar_url, cm.joined_at
         FROM channel_members cm JOIN users u ON u.id = cm.user_id
        WHERE cm.channel_id = $1 ORDER BY lower(u.display_name)`,
      [row.id],
    );
    return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, avatarUrl: r.avatar_url, joinedAt: new Date(r.joined_at).toISOString() }));
  }

  /**
   * Adds workspace members. In a public channel any member who may browse channels can add
   * people; in a private one only its creator or a member whose role holds channel.manage.
   */
  async addMembers(access: WorkspaceAccess, channelId: string, userIds: string[]): Promise<ChannelDto> {
    const row = await this.visible(access, channelId);
    this.requireConversation(row);
    this.requireActive(row);
    const mayAdd =
      row.created_by === access.userId ||
      access.can(Permission.ChannelManage) ||
      (row.type === 'public' && row.member && access.can(Permission.ChannelBrowse));
    if (!mayAdd) throw AppException.forbidden('You may not add people to this channel');
    await this.requireActiveMembers(access.workspaceId, userIds);
    annotateChannel(row, { userIds });
    await auditedTransaction(this.dataSource, (manager) =>
      manager
        .getRepository(ChannelMember)
        .upsert(userIds.map((userId) => ({ channelId: row.id, userId })), { conflictPaths: ['channelId', 'userId'], skipUpdateIfNoValuesChanged: true }),
    );
    await this.membersAdded(row.workspace_id, row.id, userIds);
    return this.get(access, channelId);
  }

  async removeMember(access: WorkspaceAccess, channelId: string, userId: string): Promise<void> {
    const row = await this.visible(access, channelId);
    this.requireConversation(row);
    if (userId !== access.userId) this.requireManager(access, row, Permission.ChannelManage);
    annotateChannel(row);
    await auditedTransaction(this.dataSource, async (manager) => {
      const result = await manager.getRepository(ChannelMember).delete({ channelId: row.id, userId });
      if (!result.affected) throw AppException.notFound('Channel member');
    });
    await this.membersRemoved(row.workspace_id, row.id, [userId]);
  }

  /** True when the user is in the channel and an active member of its (existing) workspace. */
  async isActiveMember(userId: string, channelId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM channel_members cm
         JOIN channels c ON c.id = cm.channel_id
         JOIN workspace_members wm ON wm.workspace_id = c.workspace_id AND wm.user_id = cm.user_id AND wm.deactivated_at IS NULL
         JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
        WHERE cm.channel_id = $1 AND cm.user_id = $2`,
      [channelId, userId],
    );
    return rows.length > 0;
  }

  /** The channel as `access` may see it, or 404. */
  async visible(access: WorkspaceAccess, channelId: string): Promise<ChannelRow> {
    const rows: ChannelRow[] = await this.dataSource.query(`${CHANNEL_ROW_SELECT} WHERE c.id = $2 AND c.workspace_id = $3`, [
      access.userId,
      channelId,
      access.workspaceId,
    ]);
    const row = rows[0];
    if (!row || !access.canRead(row)) {
      throw AppException.notFound('Channel');
    }
    return row;
  }

  /** Channel changes need the permission, or to be its creator (and, for a private one, still in it). */
  private requireManager(access: WorkspaceAccess, row: ChannelRow, permission: Permission): void {
    const isCreator = row.created_by === access.userId && (row.type === 'public' || row.member);
    if (!isCreator && !access.can(permission)) {
      throw AppException.forbidden(`You need the permission ${permission}, or to have created the channel`);
    }
  }

  /** How many people are in the channel (for the header). */
  async memberCount(channelId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM channel_members WHERE channel_id = $1`, [channelId]);
    return rows[0]?.n ?? 0;
  }

  async membersAdded(workspaceId: string, channelId: string, userIds: string[]): Promise<void> {
    await this.events.emit('channel.members.added', { workspaceId, channelId, userIds });
  }

  private async membersRemoved(workspaceId: string, channelId: string, userIds: string[]): Promise<void> {
    await this.events.emit('channel.members.removed', { workspaceId, channelId, userIds });
  }

  private async updated(row: ChannelRow): Promise<void> {
    await this.events.emit('channel.updated', { workspaceId: row.workspace_id, channelId: row.id });
  }

  private requireConversation(row: ChannelRow): void {
    if (isDm(row.type)) {
      throw new ChannelException(ChannelError.DmImmutable, 'Direct messages cannot be renamed, archived, left or joined');
    }
  }

  private requireActive(row: ChannelRow): void {
    if (row.archived_at) throw new ChannelException(ChannelError.Archived, 'The channel is archived');
  }

  private async requireActiveMembers(workspaceId: string, userIds: string[]): Promise<void> {
    const found: { user_id: string }[] = await this.dataSource.query(
      `SELECT user_id FROM workspace_members WHERE workspace_id = $1 AND user_id = ANY($2::uuid[]) AND deactivated_at IS NULL`,
      [workspaceId, userIds],
    );
    if (found.length !== new Set(userIds).size) {
      const missing = userIds.filter((id) => !found.some((row) => row.user_id === id));
      throw new ChannelException(ChannelError.NotInWorkspace, `Not active members of this workspace: ${missing.join(', ')}`);
    }
  }
}

/** The audit event names the channel as it is at the time (the log page shows names, not ids). */
function annotateChannel(row: ChannelRow, extra: Record<string, unknown> = {}): void {
  AuditContext.annotate({ details: { channelId: row.id, channelName: row.name, ...extra } });
}

function nameTaken(name: string): ChannelException {
  return new ChannelException(ChannelError.NameTaken, `There is already a channel called #${name}`);
}
