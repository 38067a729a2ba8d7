import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole, builtInRolesWith, Permission, RoleCatalogue } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { mayRead } from '@api/access/membership.sql';
import { preparedQuery } from '@api/database/prepared';
import { InjectRoleCatalogue } from '@api/rbac/role-catalogue';
import { columnsOf, MessageRow, myReactions } from './message-mapper';

/** Where a person stands in a thread. */
export interface ThreadFollowRow {
  following: boolean;
  last_read_seq: string | number;
  unread_replies: number;
}

/** A followed thread: its root as it is now, and where the person stands in it. */
export type ThreadRow = MessageRow & ThreadFollowRow;

/**
 * The replies of thread `root` after read position `read` not written by `user` (SQL
 * expressions), for unread counts. A deleted reply is nothing to read, so it is not counted
 * (the root's replyCount still counts it). Seeks the (thread_root_id, seq) index.
 */
const unreadReplies = (root: string, read: string, user: string) =>
  `(SELECT count(*)::int FROM messages u
     WHERE u.thread_root_id = ${root} AND u.seq > ${read} AND u.sender_id <> ${user} AND u.deleted_at IS NULL) AS unread_replies`;

/** Up to $3 replies of thread $1 after seq $2, oldest first, with reader $4's reactions. */
const REPLIES = `SELECT ${columnsOf('m')}, ${myReactions('m', '$4')} FROM messages m
  WHERE m.thread_root_id = $1 AND m.seq > $2 ORDER BY m.seq ASC LIMIT $3`;

/** User $2 follows ($3 true) or unfollows thread $1; their read position stays as it was (0 when new). */
const SET_FOLLOWING = `
  WITH up AS (
    INSERT INTO thread_follows (root_id, user_id, following) VALUES ($1, $2, $3)
    ON CONFLICT (root_id, user_id) DO UPDATE SET following = excluded.following
    RETURNING following, last_read_seq
  )
  SELECT following, last_read_seq, ${unreadReplies('$1', 'up.last_read_seq', '$2')} FROM up`;

/**
 * User $2's read position in thread $1 moves up to $3, capped at its newest reply: never back,
 * never past the last reply. Someone without a row gets one (not following, unless it is the
 * root's sender, who follows their thread), only once there is a reply to have read, so reading
 * an empty thread leaves nothing that would stop the root's sender following it at its first reply.
 */
const MARK_READ = `
  WITH target AS (
    SELECT r.sender_id, LEAST($3::bigint, COALESCE((SELECT max(m.seq) FROM messages m WHERE m.thread_root_id = r.id), 0)) AS upto
      FROM messages r WHERE r.id = $1
  ), up AS (
    INSERT INTO thread_follows (root_id, user_id, following, last_read_seq)
    SELECT $1, $2, t.sender_id = $2, t.upto FROM target t WHERE t.upto > 0
    ON CONFLICT (root_id, user_id) DO UPDATE SET last_read_seq = GREATEST(thread_follows.last_read_seq, excluded.last_read_seq)
    RETURNING following, last_read_seq
  ), state AS (
    SELECT following, last_read_seq FROM up
    UNION ALL
    SELECT following, last_read_seq FROM thread_follows WHERE root_id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM up)
  )
  SELECT COALESCE(s.following, false) AS following, COALESCE(s.last_read_seq, 0) AS last_read_seq,
         ${unreadReplies('$1', 'COALESCE(s.last_read_seq, 0)', '$2')}
    FROM (SELECT 1) AS one LEFT JOIN state s ON true`;

/**
 * The threads user $1 follows in workspace $2 whose channel they may still read (mayRead, as
 * sync), newest activity first, at most $3; each root with the user's reactions.
 */
const FOLLOWED = `
  SELECT ${columnsOf('root')}, ${myReactions('root', '$1')}, f.following, f.last_read_seq, ${unreadReplies('root.id', 'f.last_read_seq', '$1')}
    FROM thread_follows f
    JOIN messages root ON root.id = f.root_id
    JOIN channels c ON c.id = root.channel_id AND c.workspace_id = $2 AND ${mayRead({ channel: 'c', user: '$1', browsers: '$4', browse: '$5' })}
   WHERE f.user_id = $1 AND f.following
   ORDER BY COALESCE(root.last_reply_at, root.created_at) DESC, root.id
   LIMIT $3`;

/**
 * Threads: their replies, who follows them and how far each has read. (A reply is stored, and
 * its root counts it, by MessageRepository.storeBatch, in the statement that takes its seq.)
 */
@Injectable()
export class ThreadRepository {
  /** The parameters of mayRead: the built-in roles that may browse channels, and the permission itself. */
  private readonly browseRule: [browsers: BuiltInRole[], browse: Permission];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRoleCatalogue() catalogue: RoleCatalogue,
  ) {
    this.browseRule = [builtInRolesWith(Permission.ChannelBrowse, catalogue), Permission.ChannelBrowse];
  }

  /** Up to `limit` replies of the thread after seq `after`, oldest first. */
  findReplies(rootId: string, after: number, limit: number, readerId: string): Promise<MessageRow[]> {
    return preparedQuery<MessageRow>(this.dataSource, 'parley_thread_replies', REPLIES, [rootId, after, limit, readerId]);
  }

  /** Follows or unfollows the thread; where the user stands in it now. */
  async setFollowing(rootId: string, userId: string, following: boolean): Promise<ThreadFollowRow> {
    const rows: ThreadFollowRow[] = await this.dataSource.query(SET_FOLLOWING, [rootId, userId, following]);
    return rows[0];
  }

  /** Moves the user's read position in the thread up to `seq` (see MARK_READ); where they stand now. */
  async markRead(rootId: string, userId: string, seq: number): Promise<ThreadFollowRow> {
    const rows: ThreadFollowRow[] = await this.dataSource.query(MARK_READ, [rootId, userId, seq]);
    return rows[0];
  }

  /** The threads the user follows in the workspace (see FOLLOWED). */
  findFollowed(userId: string, workspaceId: string, limit: number): Promise<ThreadRow[]> {
    return preparedQuery<ThreadRow>(this.dataSource, 'parley_threads_followed', FOLLOWED, [userId, workspaceId, limit, ...this.browseRule]);
  }
}
