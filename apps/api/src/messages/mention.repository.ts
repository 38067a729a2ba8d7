import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BroadcastMentionPolicy, BuiltInRole, builtInRolesWith, ChannelType, Permission, RoleCatalogue } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { activeMember, mayRead } from '../access/membership.sql';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';

/** What MENTION_FACTS finds for a send's channel ($1) and sender ($2). */
export interface MentionFactsRow {
  workspace_id: string;
  type: ChannelType;
  policy: BroadcastMentionPolicy | null;
  known_ids: string[];
  member_ids: string[];
  channel_ids: string[];
  /** Null unless asked for ($5). */
  all_member_ids: string[] | null;
}

/**
 * Of the people named ($3): the active members of the channel's workspace, and the members of the
 * channel; of the channels named ($4): those of the same workspace (not DMs) the sender may read
 * (mayRead: $6, $7), so a private channel they are not in resolves to nothing, as a stranger's id
 * does. With $5, every active member of the channel (whom @channel/@here may reach). One query.
 */
const MENTION_FACTS = `
  SELECT c.workspace_id, c.type, w.settings->>'broadcastMentions' AS policy,
         ARRAY(SELECT wm.user_id::text FROM workspace_members wm
                WHERE wm.workspace_id = c.workspace_id AND wm.user_id = ANY ($3::uuid[]) AND ${activeMember('wm')}) AS known_ids,
         ARRAY(SELECT cm.user_id::text FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = ANY ($3::uuid[])) AS member_ids,
         ARRAY(SELECT t.id::text FROM channels t
                WHERE t.id = ANY ($4::uuid[]) AND t.workspace_id = c.workspace_id AND t.type IN ('public', 'private')
                  AND ${mayRead({ channel: 't', user: '$2::uuid', browsers: '$6', browse: '$7' })}) AS channel_ids,
         CASE WHEN $5::boolean THEN ARRAY(
           SELECT cm.user_id::text FROM channel_members cm
             JOIN workspace_members wm ON wm.workspace_id = c.workspace_id AND wm.user_id = cm.user_id AND ${activeMember('wm')}
            WHERE cm.channel_id = c.id) END AS all_member_ids
    FROM channels c JOIN workspaces w ON w.id = c.workspace_id
   WHERE c.id = $1`;

/** What the ids of a message's mentions name (the statements that store mentions are MessageRepository's). */
@Injectable()
export class MentionRepository {
  /** The parameters of mayRead: the built-in roles that may browse channels, and the permission itself. */
  private readonly browseRule: [browsers: BuiltInRole[], browse: Permission];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRoleCatalogue() catalogue: RoleCatalogue,
  ) {
    this.browseRule = [builtInRolesWith(Permission.ChannelBrowse, catalogue), Permission.ChannelBrowse];
  }

  /** See MENTION_FACTS; null when there is no such channel. */
  async findFacts(channelId: string, senderId: string, userIds: string[], channelIds: string[], withMembers: boolean): Promise<MentionFactsRow | null> {
    const rows: MentionFactsRow[] = await this.dataSource.query(MENTION_FACTS, [channelId, senderId, userIds, channelIds, withMembers, ...this.browseRule]);
    return rows[0] ?? null;
  }
}
