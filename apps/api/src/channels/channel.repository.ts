import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelMemberDto } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { activeMember } from '../access/membership.sql';
import { CHANNEL_ROW_SELECT, ChannelRow } from './channel-rows';
import { ChannelMember } from './entities/channel-member.entity';
import { Channel } from './entities/channel.entity';

export type NewChannel = Pick<Channel, 'workspaceId' | 'type' | 'name' | 'topic' | 'createdBy'>;

/** A person a DM would include, and whether they share a channel with whoever opens it. */
export interface DmCandidateRow {
  user_id: string;
  shares_channel: boolean;
}

/** Channels, DMs and who is in them: the only place that queries `channels` and `channel_members`. */
@Injectable()
export class ChannelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a channel with its first members (in a transaction of its own unless given one); returns its id. */
  async insert(channel: NewChannel, memberIds: string[], manager?: EntityManager): Promise<string> {
    const store = async (into: EntityManager) => {
      const saved = await into.getRepository(Channel).save({ ...channel, dmKey: null, archivedAt: null });
      if (memberIds.length) await into.getRepository(ChannelMember).insert(memberIds.map((userId) => ({ channelId: saved.id, userId })));
      return saved.id;
    };
    return manager ? store(manager) : this.dataSource.transaction(store);
  }

  /** The channel as viewer `viewerId` sees it (membership, unread), or null; a null viewer sees it from outside. */
  async findRow(viewerId: string | null, channelId: string): Promise<ChannelRow | null> {
    const rows: ChannelRow[] = await this.dataSource.query(`${CHANNEL_ROW_SELECT} WHERE c.id = $2`, [viewerId, channelId]);
    return rows[0] ?? null;
  }

  /** The viewer's channels and DMs in the workspace, and its public channels when `withPublic`. */
  async listForViewer(viewerId: string, workspaceId: string, withPublic: boolean): Promise<ChannelRow[]> {
    return this.dataSource.query(
      `${CHANNEL_ROW_SELECT}
        WHERE c.workspace_id = $2
          AND (EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $1)
               OR (c.type = 'public' AND $3))
        ORDER BY c.type IN ('dm', 'group_dm'), c.name, c.created_at`,
      [viewerId, workspaceId, withPublic],
    );
  }

  async update(channelId: string, changes: Partial<Pick<Channel, 'name' | 'topic' | 'archivedAt'>>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (Object.keys(changes).length) await manager.getRepository(Channel).update({ id: channelId }, changes);
  }

  /** Adds members; those already in are left as they are. */
  async addMembers(channelId: string, userIds: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager
      .getRepository(ChannelMember)
      .upsert(userIds.map((userId) => ({ channelId, userId })), { conflictPaths: ['channelId', 'userId'], skipUpdateIfNoValuesChanged: true });
  }

  /** Whether the member was there to remove. */
  async removeMember(channelId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager.getRepository(ChannelMember).delete({ channelId, userId });
    return Boolean(result.affected);
  }

  async listMembers(channelId: string): Promise<ChannelMemberDto[]> {
    const rows: { user_id: string; display_name: string; avatar_url: string | null; joined_at: Date }[] = await this.dataSource.query(
      `SELECT cm.user_id, u.display_name, u.avatar_url, cm.joined_at
         FROM channel_members cm JOIN users u ON u.id = cm.user_id
        WHERE cm.channel_id = $1 ORDER BY lower(u.display_name)`,
      [channelId],
    );
    return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, avatarUrl: r.avatar_url, joinedAt: new Date(r.joined_at).toISOString() }));
  }

  async memberCount(channelId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM channel_members WHERE channel_id = $1`, [channelId]);
    return rows[0]?.n ?? 0;
  }

  /** The ids of every channel of the workspace. */
  async idsInWorkspace(workspaceId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM channels WHERE workspace_id = $1`, [workspaceId]);
    return rows.map((row) => row.id);
  }

  /** The channels of the workspace the user is in. */
  async idsOfMember(workspaceId: string, userId: string): Promise<string[]> {
    const rows: { channel_id: string }[] = await this.dataSource.query(
      `SELECT cm.channel_id FROM channel_members cm JOIN channels c ON c.id = cm.channel_id WHERE c.workspace_id = $1 AND cm.user_id = $2`,
      [workspaceId, userId],
    );
    return rows.map((row) => row.channel_id);
  }

  /** Puts the user in the workspace's active public channel `name`, if there is one and they are a member; the channels joined. */
  async joinPublicByName(workspaceId: string, name: string, userId: string): Promise<string[]> {
    const joined: { channel_id: string }[] = await this.dataSource.query(
      `INSERT INTO channel_members (channel_id, user_id)
       SELECT c.id, $3 FROM channels c
        WHERE c.workspace_id = $1 AND c.name = $2 AND c.type = 'public' AND c.archived_at IS NULL
          AND EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = $1 AND m.user_id = $3)
       ON CONFLICT DO NOTHING
       RETURNING channel_id`,
      [workspaceId, name, userId],
    );
    return joined.map((row) => row.channel_id);
  }

  /** Takes the user out of every channel of the workspace; the channels they left. */
  async removeFromWorkspace(workspaceId: string, userId: string): Promise<string[]> {
    const [left]: [{ channel_id: string }[], number] = await this.dataSource.query(
      `DELETE FROM channel_members WHERE user_id = $2 AND channel_id IN (SELECT id FROM channels WHERE workspace_id = $1)
       RETURNING channel_id`,
      [workspaceId, userId],
    );
    return left.map((row) => row.channel_id);
  }

  /**
   * The DM (or group DM) of exactly these people: stored with them as members when new. A
   * concurrent request for the same people waits on the unique index, then finds this one.
   */
  async findOrInsertDm(
    dm: { workspaceId: string; type: 'dm' | 'group_dm'; dmKey: string; createdBy: string; people: string[] },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; created: boolean }> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO channels (workspace_id, type, dm_key, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, dm_key) WHERE dm_key IS NOT NULL DO NOTHING RETURNING id`,
      [dm.workspaceId, dm.type, dm.dmKey, dm.createdBy],
    );
    if (inserted.length) {
      await manager.query(`INSERT INTO channel_members (channel_id, user_id) SELECT $1, unnest($2::uuid[])`, [inserted[0].id, dm.people]);
      return { id: inserted[0].id, created: true };
    }
    const [existing]: { id: string }[] = await manager.query(`SELECT id FROM channels WHERE workspace_id = $1 AND dm_key = $2`, [dm.workspaceId, dm.dmKey]);
    return { id: existing.id, created: false };
  }

  /** The active members among `others`, each with whether they share a channel (not a DM) with `userId`. */
  async dmCandidates(workspaceId: string, userId: string, others: string[]): Promise<DmCandidateRow[]> {
    return this.dataSource.query(
      `SELECT m.user_id,
              EXISTS (SELECT 1 FROM channel_members mine
                        JOIN channel_members theirs ON theirs.channel_id = mine.channel_id AND theirs.user_id = m.user_id
                        JOIN channels c ON c.id = mine.channel_id AND c.workspace_id = $1 AND c.type IN ('public', 'private')
                       WHERE mine.user_id = $2) AS shares_channel
         FROM workspace_members m
        WHERE m.workspace_id = $1 AND m.user_id = ANY($3::uuid[]) AND ${activeMember('m')}`,
      [workspaceId, userId, others],
    );
  }
}
