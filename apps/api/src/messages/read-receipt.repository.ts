import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ReadReceiptDto } from '@parley/contracts';
import { DataSource } from 'typeorm';

/** What decides whether a channel shows read receipts to one viewer, and what it shows them. */
export interface ReceiptsRow {
  workspace_on: boolean;
  viewer_on: boolean;
  /** A DM or group DM, or a channel of at most the given number of members. */
  small: boolean;
  /** The other members who send receipts; empty unless all three above hold. */
  reads: ReadReceiptDto[];
}

/**
 * One statement: the switches, a member count that stops counting past the limit, and the other
 * members' positions only when receipts apply (the scalar subquery is skipped otherwise, so a big
 * channel costs no work per member).
 */
const RECEIPTS = `
  WITH ctx AS (
    SELECT c.type IN ('dm', 'group_dm') AS is_dm,
           w.settings->'readReceipts' IS DISTINCT FROM 'false'::jsonb AS workspace_on,
           COALESCE((SELECT u.read_receipts FROM users u WHERE u.id = $2), false) AS viewer_on,
           (SELECT count(*)::int FROM (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id LIMIT $3::int + 1) capped) AS members
      FROM channels c JOIN workspaces w ON w.id = c.workspace_id
     WHERE c.id = $1
  )
  SELECT workspace_on, viewer_on, (is_dm OR members <= $3::int) AS small,
         CASE WHEN workspace_on AND viewer_on AND (is_dm OR members <= $3::int) THEN COALESCE((
           SELECT jsonb_agg(jsonb_build_object('userId', cm.user_id, 'lastReadSeq', cm.last_read_seq) ORDER BY cm.user_id)
             FROM channel_members cm JOIN users u ON u.id = cm.user_id
            WHERE cm.channel_id = $1 AND cm.user_id <> $2 AND u.read_receipts), '[]'::jsonb)
         ELSE '[]'::jsonb END AS reads
    FROM ctx`;

/** Read receipts: the members' read positions as others may see them. */
@Injectable()
export class ReadReceiptRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For viewer `viewerId` in the channel (null when there is no such channel); `maxMembers` bounds a channel that shows receipts. */
  async find(channelId: string, viewerId: string, maxMembers: number): Promise<ReceiptsRow | null> {
    const rows: ReceiptsRow[] = await this.dataSource.query(RECEIPTS, [channelId, viewerId, maxMembers]);
    return rows[0] ?? null;
  }
}
