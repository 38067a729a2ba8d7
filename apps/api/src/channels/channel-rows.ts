import { ChannelDto, ChannelType, UNREAD_COUNTED_MAX } from '@parley/contracts';

/** A channel as the list and detail queries return it, for one viewer. */
export interface ChannelRow {
  id: string;
  workspace_id: string;
  type: ChannelType;
  name: string | null;
  topic: string | null;
  created_by: string | null;
  created_at: Date;
  archived_at: Date | null;
  member_count: number;
  member: boolean;
  dm_user_ids: string[] | null;
  last_seq: string;
  last_change_seq: string;
  last_read_seq: string | null;
  mention_count: number;
  unread_count: number;
}

/** Selects ChannelRow columns for viewer $1 from `channels c`. */
export const CHANNEL_ROW_SELECT = `
  SELECT c.id, c.workspace_id, c.type, c.name, c.topic, c.created_by, c.created_at, c.archived_at, c.last_seq, c.last_change_seq,
         (SELECT cm.last_read_seq FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $1) AS last_read_seq,
         (SELECT count(*)::int FROM channel_members cm WHERE cm.channel_id = c.id) AS member_count,
         (SELECT count(*)::int FROM message_mentions mm
            JOIN channel_members cm ON cm.channel_id = mm.channel_id AND cm.user_id = mm.user_id
           WHERE mm.user_id = $1 AND mm.channel_id = c.id AND mm.seq > cm.last_read_seq) AS mention_count,
         -- countsAsUnread in SQL, counting stops at UNREAD_COUNTED_MAX.
         (SELECT count(*)::int FROM (
            SELECT 1 FROM channel_members cm
              JOIN messages m ON m.channel_id = cm.channel_id AND m.seq > cm.last_read_seq
             WHERE cm.channel_id = c.id AND cm.user_id = $1
               AND m.sender_id <> $1 AND m.deleted_at IS NULL AND (m.thread_root_id IS NULL OR m.also_in_channel)
             LIMIT ${UNREAD_COUNTED_MAX}) unread) AS unread_count,
         EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = $1) AS member,
         CASE WHEN c.type IN ('dm', 'group_dm')
              THEN ARRAY(SELECT cm.user_id::text FROM channel_members cm WHERE cm.channel_id = c.id ORDER BY cm.user_id)
         END AS dm_user_ids
    FROM channels c`;

export function toChannelDto(row: ChannelRow): ChannelDto {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    name: row.name,
    topic: row.topic,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    archivedAt: row.archived_at ? new Date(row.archived_at).toISOString() : null,
    memberCount: row.member_count,
    member: row.member,
    ...(row.dm_user_ids ? { dmUserIds: row.dm_user_ids } : {}),
    lastSeq: Number(row.last_seq),
    lastChangeSeq: Number(row.last_change_seq),
    lastReadSeq: Number(row.last_read_seq ?? 0),
    unreadCount: row.member ? row.unread_count : 0,
    mentionCount: row.mention_count,
  };
}

export function isDm(type: ChannelType): boolean {
  return type === 'dm' || type === 'group_dm';
}
