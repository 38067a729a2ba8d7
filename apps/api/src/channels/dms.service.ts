import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelDto, GROUP_DM_MAX_PEOPLE, Permission } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { auditedTransaction } from '../audit/audited-transaction';
import { AuditContext } from '../audit/audit-context';
import { AppException } from '../common/app-exception';
import { ChannelError, ChannelException } from '../common/domain-errors';
import { WorkspaceAccess } from '../rbac/workspace-access';
import { ChannelsService } from './channels.service';

/**
 * Direct messages: one conversation per set of people (2 for a DM, 3–8 for a group DM),
 * found or made on request. Without dm.create (guests) one may only message people who
 * share a channel with them.
 */
@Injectable()
export class DmsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
  ) {}

  async open(access: WorkspaceAccess, otherUserIds: string[]): Promise<ChannelDto> {
    const people = [...new Set([access.userId, ...otherUserIds])].sort();
    if (people.length < 2 || people.length > GROUP_DM_MAX_PEOPLE) {
      throw new ChannelException(ChannelError.ConversationSize, `A conversation has 2 to ${GROUP_DM_MAX_PEOPLE} people, you included`);
    }
    const others = people.filter((id) => id !== access.userId);
    await this.requireReachable(access, others);

    const type = people.length === 2 ? 'dm' : 'group_dm';
    const dmKey = people.join(',');
    const id = await auditedTransaction(this.dataSource, async (manager) => {
      // A concurrent request for the same people waits on the unique index, then finds this one.
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO channels (workspace_id, type, dm_key, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, dm_key) WHERE dm_key IS NOT NULL DO NOTHING RETURNING id`,
        [access.workspaceId, type, dmKey, access.userId],
      );
      if (inserted.length) {
        await manager.query(`INSERT INTO channel_members (channel_id, user_id) SELECT $1, unnest($2::uuid[])`, [inserted[0].id, people]);
        AuditContext.annotate({ targetId: inserted[0].id, details: { channelId: inserted[0].id, created: true } });
        return { id: inserted[0].id, created: true };
      }
      const [existing]: { id: string }[] = await manager.query(`SELECT id FROM channels WHERE workspace_id = $1 AND dm_key = $2`, [
        access.workspaceId,
        dmKey,
      ]);
      AuditContext.annotate({ targetId: existing.id, details: { channelId: existing.id, created: false } });
      return { id: existing.id, created: false };
    });
    if (id.created) await this.channels.membersAdded(access.workspaceId, id.id, people);
    return this.channels.get(access, id.id);
  }

  private async requireReachable(access: WorkspaceAccess, others: string[]): Promise<void> {
    const rows: { user_id: string; shares_channel: boolean }[] = await this.dataSource.query(
      `SELECT m.user_id,
              EXISTS (SELECT 1 FROM channel_members mine
                        JOIN channel_members theirs ON theirs.channel_id = mine.channel_id AND theirs.user_id = m.user_id
                        JOIN channels c ON c.id = mine.channel_id AND c.workspace_id = $1 AND c.type IN ('public', 'private')
                       WHERE mine.user_id = $2) AS shares_channel
         FROM workspace_members m
        WHERE m.workspace_id = $1 AND m.user_id = ANY($3::uuid[]) AND m.deactivated_at IS NULL`,
      [access.workspaceId, access.userId, others],
    );
    if (rows.length !== others.length) {
      throw new ChannelException(ChannelError.NotInWorkspace, 'Everyone in a conversation must be an active member of the workspace');
    }
    if (!access.can(Permission.DmCreate) && rows.some((row) => !row.shares_channel)) {
      throw AppException.forbidden('Guests can message only people who share a channel with them');
    }
  }
}
