import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuiltInRole, builtInRolesWith, ForwardedFrom, Permission, REACTION_USERS_SHOWN, REACTIONS_PER_MESSAGE_MAX, RoleCatalogue, THREAD_REPLIERS_SHOWN } from '@parley/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { activeMember, mayPost, mayRead } from '../access/membership.sql';
import type { Message } from './entities/message.entity';
import { ResolvedMentions } from './mentions';
import { preparedQuery } from '../database/prepared';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { columnsOf, MESSAGE_COLUMNS, MESSAGE_COLUMNS_OF_M, myReactions, MessageChangeRow, MessageRow, MessageVersionRow } from './message-mapper';

/** A send to store: who, where, what. */
export interface NewMessage {
  userId: string;
  channelId: string;
  text: string;
  clientMsgId: string;
  threadRootId: string | null;
  /** A reply also shown in the channel's history (ignored without threadRootId). */
  alsoInChannel: boolean;
  /** Set when the message is made by forwarding: the quoted source. */
  forwardedFrom: ForwardedFrom | null;
  /** What its text mentions (MentionResolver), or null when it has no mention tokens. */
  mentions: ResolvedMentions | null;
  /** Files to attach, in order (none: []); a send with files is stored on its own (MessagesService.storeWithFiles). */
  fileIds: string[];
}

/**
 * An edit or a reaction to apply (MessageRepository.applyChanges). `channelId`: its message's
 * channel, the access checked already; or null: the statement finds the channel and checks the
 * rule itself (see APPLY_CHANGES). `outbox`: the audit event it owes, as AuditService.outboxEntry
 * made it, written with it (its workspace and channelId filled in by the statement when it found
 * the channel).
 */
export type ChangeToApply = {
  messageId: string;
  channelId: string | null;
  actorId: string;
  outbox?: { workspaceId: string | null; event: Record<string, unknown> };
} & ({ kind: 'edit'; text: string; mentions: ResolvedMentions | null } | { kind: 'react' | 'unreact'; emoji: string });

/**
 * What applyChanges did with one change (see parley_apply_message_changes); changeSeq set when
 * 'applied', channelId whenever the change got as far as its channel. 'refused': a change the
 * statement checked (channelId null) that it may not make, or whose message is not there.
 */
export interface AppliedChange {
  outcome: 'applied' | 'unchanged' | 'gone' | 'archived' | 'full' | 'refused';
  changeSeq: number | null;
  channelId: string | null;
  workspaceId: string | null;
}

/** A read position: the one found, and the new one, or null when it did not move. */
export interface ReadMove {
  before: string;
  moved: string | null;
}

/**
 * The members of `channel` among `notify` (a jsonb array of user ids, or null), the sender left
 * out: the people a message notifies (see NewMessage.mentions), one message_mentions row each.
 */
const notifiedMembers = ({ notify, channel, sender }: { notify: string; channel: string; sender: string }): string => `
  SELECT cm.user_id FROM jsonb_array_elements_text(${notify}) n(id)
    JOIN channel_members cm ON cm.channel_id = ${channel} AND cm.user_id = n.id::uuid
   WHERE cm.user_id <> ${sender}`;

/**
 * Stores a batch of sends ($1 their order, then channel, sender, text, clientMsgId, thread root,
 * forwarded_from, also_in_channel, mentions and whom they notify as arrays). Sends that may not be posted (mayPost, and not
 * archived), or whose clientMsgId is already stored, are left out without taking a seq; the
 * caller explains those one by one.
 *
 * A reply keeps its place in the channel's one sequence of seqs; in the same statement each
 * thread root that got replies counts them (reply_count, last_reply_at, the first
 * THREAD_REPLIERS_SHOWN repliers in the order they first replied), takes the channel's next
 * changeSeq for one 'replied' change (its actor the batch's last replier there), and its repliers
 * follow it (read up to their reply), as does its sender unless they already decided. Only one
 * UPDATE of a channel row may run per statement, so `bumped` moves both last_seq and
 * last_change_seq. The answer is the stored messages (change_seq null) and, after them, the
 * 'replied' changes with the root as it is now. A batch without replies finds every thread CTE
 * empty (EXPLAIN ANALYZE of its generic plan: about 0.15 ms of a 16-send batch's 6.5 ms).
 *
 * Mentions were resolved before ($9 messages.mentions, $10 whom to notify, null for a send
 * without tokens): `notified` keeps those who are members of the channel now (not the sender),
 * each gets a message_mentions row (what mentionCount counts), and the people named in a reply
 * follow its thread like repliers, without their read position moving. A batch without mentions
 * finds `notified` empty without touching channel_members.
 */
const STORE_BATCH = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::jsonb[], $8::boolean[], $9::jsonb[], $10::jsonb[])
      AS i(ord, channel_id, sender_id, text, client_msg_id, thread_root_id, forwarded_from, also_in_channel, mentions, notify)
  ), locked AS (
    SELECT c.id, c.workspace_id, c.last_seq, c.last_change_seq FROM channels c
     WHERE c.id IN (SELECT channel_id FROM input) AND c.archived_at IS NULL
     ORDER BY c.id
       FOR UPDATE
  ), allowed AS (
    SELECT i.*, l.last_seq + row_number() OVER (PARTITION BY i.channel_id ORDER BY i.ord) AS seq
      FROM input i JOIN locked l ON l.id = i.channel_id
     WHERE ${mayPost({ channel: 'i.channel_id', workspace: 'l.workspace_id', user: 'i.sender_id' })}
       AND (i.thread_root_id IS NULL OR EXISTS (SELECT 1 FROM messages t WHERE t.id = i.thread_root_id AND t.channel_id = i.channel_id
                                                  AND t.thread_root_id IS NULL AND t.deleted_at IS NULL))
       AND NOT EXISTS (SELECT 1 FROM messages d WHERE d.sender_id = i.sender_id AND d.client_msg_id = i.client_msg_id)
  ), threads AS (
    SELECT t.*, l.last_change_seq + row_number() OVER (PARTITION BY t.channel_id ORDER BY t.first_ord) AS change_seq
      FROM (SELECT thread_root_id AS root_id, channel_id, count(*) AS replies, min(ord) AS first_ord,
                   (array_agg(sender_id ORDER BY ord DESC))[1] AS actor_id
              FROM allowed WHERE thread_root_id IS NOT NULL
             GROUP BY thread_root_id, channel_id) t
      JOIN locked l ON l.id = t.channel_id
  ), bumped AS (
    UPDATE channels c SET last_seq = top.seq, last_change_seq = c.last_change_seq + top.threads
      FROM (SELECT channel_id, max(seq) AS seq, count(DISTINCT thread_root_id) AS threads FROM allowed GROUP BY channel_id) top
     WHERE c.id = top.channel_id
  ), read AS (
    UPDATE channel_members cm SET last_read_seq = GREATEST(cm.last_read_seq, top.seq)
      FROM (SELECT channel_id, sender_id, max(seq) AS seq FROM allowed GROUP BY channel_id, sender_id) top
     WHERE cm.channel_id = top.channel_id AND cm.user_id = top.sender_id
  ), inserted AS (
    INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id, thread_root_id, forwarded_from, also_in_channel, mentions)
    SELECT channel_id, seq, sender_id, text, client_msg_id, thread_root_id, forwarded_from,
           thread_root_id IS NOT NULL AND COALESCE(also_in_channel, false), mentions
      FROM allowed
    RETURNING ${MESSAGE_COLUMNS}
  ), notified AS (
    SELECT a.channel_id, a.seq, a.thread_root_id, n.user_id, a.mentions->'userIds' @> to_jsonb(n.user_id::text) AS named
      FROM (SELECT * FROM allowed WHERE notify IS NOT NULL) a
     CROSS JOIN LATERAL (${notifiedMembers({ notify: 'a.notify', channel: 'a.channel_id', sender: 'a.sender_id' })}) n
  ), mentioned AS (
    INSERT INTO message_mentions (user_id, channel_id, seq, message_id)
    SELECT n.user_id, n.channel_id, n.seq, i.id FROM notified n JOIN inserted i ON i.channel_id = n.channel_id AND i.seq = n.seq
  ), replied AS (
    UPDATE messages r
       SET reply_count = r.reply_count + t.replies,
           last_reply_at = now(),
           replier_ids = (r.replier_ids || ARRAY(
             SELECT a.sender_id FROM allowed a
              WHERE a.thread_root_id = r.id AND a.sender_id <> ALL (r.replier_ids)
              GROUP BY a.sender_id ORDER BY min(a.ord)))[1:${THREAD_REPLIERS_SHOWN}]
      FROM threads t
     WHERE r.id = t.root_id
    RETURNING ${columnsOf('r')}, t.change_seq, t.actor_id
  ), recorded AS (
    INSERT INTO message_changes (channel_id, change_seq, message_id, kind, actor_id)
    SELECT channel_id, change_seq, root_id, 'replied', actor_id FROM threads
  ), followed AS (
    -- A replier follows (again) and has read up to their reply; so does (without reading) a member named in a reply;
    -- the root's sender follows unless a row says otherwise.
    INSERT INTO thread_follows (root_id, user_id, following, last_read_seq)
    SELECT root_id, user_id, true, max(seq) FROM (
      SELECT thread_root_id AS root_id, sender_id AS user_id, seq FROM allowed WHERE thread_root_id IS NOT NULL
      UNION ALL
      SELECT thread_root_id, user_id, 0 FROM notified WHERE named AND thread_root_id IS NOT NULL
      UNION ALL
      SELECT id, sender_id, 0 FROM replied
    ) f
     GROUP BY root_id, user_id
    ON CONFLICT (root_id, user_id) DO UPDATE
      SET following = thread_follows.following OR excluded.last_read_seq > 0
                      OR EXISTS (SELECT 1 FROM notified n WHERE n.named AND n.thread_root_id = excluded.root_id AND n.user_id = excluded.user_id),
          last_read_seq = GREATEST(thread_follows.last_read_seq, excluded.last_read_seq)
  )
  SELECT ${MESSAGE_COLUMNS}, NULL::bigint AS change_seq, NULL::uuid AS actor_id, NULL::varchar[] AS my_reactions FROM inserted
  UNION ALL
  SELECT ${MESSAGE_COLUMNS}, change_seq, actor_id, ${myReactions('replied', 'replied.actor_id')} FROM replied`;

/**
 * A batch of changes through parley_apply_message_changes (see its migration). A change without
 * a channel (checked here, which saves it a query of its own) takes its message's, and goes in
 * only when its rule holds: for a reaction (React) the actor may post in the channel (mayPost),
 * for an edit (Edit) they also sent the message. Not deleted and not archived are the function's
 * own checks, made under the channel's lock; a change left out has no outcome row ('refused').
 * The audit row such a change owes gets its workspace, and its event's details the channelId,
 * here (see MessageChangesService.edit). Every lookup is a scalar subquery, an index lookup
 * whatever the prepared statement's generic plan thinks of the input's size.
 */
const APPLY_CHANGES = `
  WITH input AS (
    SELECT e, (e->>'ord')::int AS ord, (e->>'actor_id')::uuid AS actor_id, (e->>'message_id')::uuid AS message_id,
           e->>'channel_id' IS NOT NULL AS checked,
           COALESCE((e->>'channel_id')::uuid, (SELECT m.channel_id FROM messages m WHERE m.id = (e->>'message_id')::uuid)) AS channel_id
      FROM jsonb_array_elements($1::jsonb) e
  ), resolved AS (
    SELECT i.ord, i.checked, i.channel_id, i.e || jsonb_build_object('channel_id', i.channel_id) AS change,
           (SELECT c.workspace_id FROM channels c WHERE c.id = i.channel_id) AS workspace_id
      FROM input i
     WHERE i.checked
        OR (EXISTS (SELECT 1 FROM channels c WHERE c.id = i.channel_id AND ${mayPost({ channel: 'c.id', workspace: 'c.workspace_id', user: 'i.actor_id' })})
            AND (i.e->>'kind' <> 'edit' OR (SELECT m.sender_id FROM messages m WHERE m.id = i.message_id) = i.actor_id))
  ), audit AS (
    SELECT COALESCE(jsonb_agg(CASE WHEN r.checked THEN a
                                   ELSE a || jsonb_build_object('workspace_id', r.workspace_id,
                                                                'event', jsonb_set(a->'event', '{details,channelId}', to_jsonb(r.channel_id))) END), '[]'::jsonb) AS rows
      FROM jsonb_array_elements($4::jsonb) a
      JOIN resolved r ON r.ord = (a->>'ord')::int
  )
  SELECT a.change_ord, a.change_outcome, a.new_change_seq, r.channel_id, r.workspace_id
    FROM parley_apply_message_changes((SELECT COALESCE(jsonb_agg(change ORDER BY ord), '[]'::jsonb) FROM resolved), $2, $3, (SELECT rows FROM audit)) a
    JOIN resolved r ON r.ord = a.change_ord`;

/** The recorded changes $1/$2 (channel, changeSeq), each with its message as it is now and the actor's my_reactions. */
const FIND_CHANGES = `SELECT ch.change_seq, ch.kind, ch.actor_id, ch.detail, ${MESSAGE_COLUMNS_OF_M}, ${myReactions('m', 'ch.actor_id')}
    FROM unnest($1::uuid[], $2::bigint[]) k(channel_id, change_seq)
    JOIN message_changes ch ON ch.channel_id = k.channel_id AND ch.change_seq = k.change_seq
    JOIN messages m ON m.id = ch.message_id`;

/** A row of STORE_BATCH: a stored message, or (change_seq set) a thread root's 'replied' change. */
type StoredRow = MessageRow & { change_seq: string | null; actor_id: string | null };

/** What a batch stored: its messages, and the 'replied' changes of the thread roots they replied to. */
export interface StoredBatch {
  messages: MessageRow[];
  changes: MessageChangeRow[];
}

/** The main history leaves thread replies out, unless they were also sent to the channel. */
const IN_MAIN_HISTORY = '(thread_root_id IS NULL OR also_in_channel)';

// The reader is each statement's last parameter: `me` of the reactions is theirs.
const HISTORY_NEWEST = `SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$3')} FROM messages WHERE channel_id = $1 AND ${IN_MAIN_HISTORY} ORDER BY seq DESC LIMIT $2`;
const HISTORY_BEFORE = `SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$4')} FROM messages WHERE channel_id = $1 AND seq < $2 AND ${IN_MAIN_HISTORY} ORDER BY seq DESC LIMIT $3`;
const HISTORY_AFTER = `SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$4')} FROM messages WHERE channel_id = $1 AND seq > $2 AND ${IN_MAIN_HISTORY} ORDER BY seq ASC LIMIT $3`;
const HISTORY_BETWEEN = `SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$5')} FROM messages WHERE channel_id = $1 AND seq > $2 AND seq < $3 AND ${IN_MAIN_HISTORY} ORDER BY seq ASC LIMIT $4`;

/** Up to $4 messages after each cursor ($2 channels, $3 seqs) of the channels user $1 may read. */
const SYNC = `SELECT m.*, ${myReactions('m', '$1')} FROM unnest($2::uuid[], $3::bigint[]) AS cur(channel_id, after)
         JOIN channels c ON c.id = cur.channel_id AND ${mayRead({ channel: 'c', user: '$1', browsers: '$5', browse: '$6' })}
         CROSS JOIN LATERAL (
           SELECT ${MESSAGE_COLUMNS} FROM messages
            WHERE channel_id = cur.channel_id AND seq > cur.after
            ORDER BY seq ASC LIMIT $4
         ) m
        ORDER BY m.channel_id, m.seq`;

/** Up to $4 changes after each change cursor ($2 channels, $3 changeSeqs) of the channels user $1 may read, each with its message as it is now. */
const SYNC_CHANGES = `SELECT ch.change_seq, ch.kind, ch.actor_id, ch.detail, ${MESSAGE_COLUMNS_OF_M}, ${myReactions('m', '$1')} FROM unnest($2::uuid[], $3::bigint[]) AS cur(channel_id, after)
         JOIN channels c ON c.id = cur.channel_id AND ${mayRead({ channel: 'c', user: '$1', browsers: '$5', browse: '$6' })}
         CROSS JOIN LATERAL (
           SELECT change_seq, kind, actor_id, detail, message_id FROM message_changes
            WHERE channel_id = cur.channel_id AND change_seq > cur.after
            ORDER BY change_seq ASC LIMIT $4
         ) ch
         JOIN messages m ON m.id = ch.message_id
        ORDER BY m.channel_id, ch.change_seq`;

/*
 * A change to a message ($1) of channel $2. The channel row is locked first (FOR UPDATE, the
 * lock the batch of sends takes too), before the message row, in every change, so two changes
 * never wait on each other crosswise; the changes of a channel take their changeSeq one at a
 * time, gap-free, and commit in that order.
 */
const LOCK_CHANNEL = `SELECT archived_at IS NOT NULL AS archived FROM channels WHERE id = $1 FOR UPDATE`;

/**
 * Takes the channel's next changeSeq for the message changed in the CTE `changed`, and records
 * the change: $3 its kind, $4 its actor, $5 its detail (jsonb or null). The message comes back
 * with the actor's my_reactions (see myReactions).
 */
const RECORD_CHANGE = `
  bumped AS (
    UPDATE channels SET last_change_seq = last_change_seq + 1
     WHERE id = $2 AND EXISTS (SELECT 1 FROM changed)
    RETURNING last_change_seq
  ), recorded AS (
    INSERT INTO message_changes (channel_id, change_seq, message_id, kind, actor_id, detail)
    SELECT $2, last_change_seq, $1, $3, $4, $5::jsonb FROM bumped
  )
  SELECT changed.*, bumped.last_change_seq AS change_seq, $3::varchar AS kind, $4::uuid AS actor_id, $5::jsonb AS detail,
         ${myReactions('changed', '$4')}
    FROM changed, bumped`;

/**
 * Soft delete: the row and its text stay (for legal hold); every read path shows it without text.
 * A deleted message is no longer pinned, and notifies nobody any more (its mentions leave mentionCount).
 * Its files summary is emptied (the files rows get deleted_at in the same transaction, see
 * MessageFilesService.deleteOfMessage; their bytes go with the file sweeper).
 */
const DELETE = `
  WITH changed AS (
    UPDATE messages SET deleted_at = now(), pinned_at = NULL, pinned_by = NULL, files = '[]'::jsonb
     WHERE id = $1 AND channel_id = $2 AND deleted_at IS NULL
    RETURNING ${MESSAGE_COLUMNS}
  ), unmentioned AS (
    DELETE FROM message_mentions WHERE message_id IN (SELECT id FROM changed)
  ), ${RECORD_CHANGE}`;

/** What a change found under the channel's lock: done, the channel archived meanwhile, or the message deleted meanwhile. */
export type ChangeOutcome = { row: MessageChangeRow } | 'archived' | 'gone';

/** The change EDIT or DELETE recorded; no row: the message was not there to change. */
const recorded = (rows: MessageChangeRow[]): ChangeOutcome => (rows.length ? { row: rows[0] } : 'gone');

/**
 * A member's read position moved up to $3 (capped at the channel's newest seq). `before` is the
 * position found, `moved` the new one, or null when it did not move; no row: not a member. The
 * update re-checks its condition on the locked row, so of racing calls one moves it.
 */
const MARK_READ = `
  WITH target AS (
    SELECT cm.channel_id, cm.user_id, cm.last_read_seq AS before, LEAST($3::bigint, c.last_seq) AS upto
      FROM channel_members cm JOIN channels c ON c.id = cm.channel_id
     WHERE cm.channel_id = $1 AND cm.user_id = $2
       AND EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.workspace_id = c.workspace_id AND wm.user_id = $2 AND ${activeMember('wm')})
  ), moved AS (
    UPDATE channel_members cm SET last_read_seq = t.upto
      FROM target t
     WHERE cm.channel_id = t.channel_id AND cm.user_id = t.user_id AND cm.last_read_seq < t.upto
    RETURNING cm.last_read_seq
  )
  SELECT t.before, (SELECT last_read_seq FROM moved) AS moved FROM target t`;

/** Messages and read positions: the only place that queries `messages` (and moves `last_read_seq`). */
@Injectable()
export class MessageRepository {
  /** The parameters of mayRead in SYNC: the built-in roles that may browse channels, and the permission itself. */
  private readonly browseRule: [browsers: BuiltInRole[], browse: Permission];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRoleCatalogue() catalogue: RoleCatalogue,
  ) {
    this.browseRule = [builtInRolesWith(Permission.ChannelBrowse, catalogue), Permission.ChannelBrowse];
  }

  /**
   * Stores the sends that may be stored, in one statement (see STORE_BATCH): the messages stored
   * and the thread changes they made. With a `manager`, inside its transaction (a send with
   * files, see MessagesService.storeWithFiles), as an unnamed statement on that connection;
   * without, as the prepared statement on the pool, committed by itself.
   */
  async storeBatch(sends: NewMessage[], manager?: EntityManager): Promise<StoredBatch> {
    const parameters = [
      sends.map((_, index) => index),
      sends.map((send) => send.channelId),
      sends.map((send) => send.userId),
      sends.map((send) => send.text),
      sends.map((send) => send.clientMsgId),
      sends.map((send) => send.threadRootId),
      sends.map((send) => jsonOrNull(send.forwardedFrom)),
      sends.map((send) => send.alsoInChannel),
      sends.map((send) => jsonOrNull(send.mentions?.mentions)),
      sends.map((send) => notifyParameter(send.mentions)),
    ];
    const rows: StoredRow[] = manager
      ? await manager.query(STORE_BATCH, parameters)
      : await preparedQuery<StoredRow>(this.dataSource, 'parley_store_batch', STORE_BATCH, parameters);
    const stored: StoredBatch = { messages: [], changes: [] };
    for (const { change_seq, actor_id, ...row } of rows) {
      if (change_seq === null) stored.messages.push(row);
      else stored.changes.push({ ...row, change_seq, kind: 'replied', actor_id: actor_id!, detail: null });
    }
    return stored;
  }

  /**
   * Writes messages.files of a message just stored, inside the caller's transaction: the message
   * as it is now. (The UPDATE is selected from a CTE: TypeORM answers a bare UPDATE's rows as [rows, count].)
   */
  async setFiles(messageId: string, files: Message['files'], manager: EntityManager): Promise<MessageRow> {
    const rows: MessageRow[] = await manager.query(
      `WITH changed AS (UPDATE messages SET files = $2::jsonb WHERE id = $1 RETURNING ${MESSAGE_COLUMNS}) SELECT * FROM changed`,
      [messageId, JSON.stringify(files)],
    );
    return rows[0];
  }

  // One prepared statement per history shape, so that each keeps a plan that seeks straight to its seq.

  /** The newest `limit` messages, newest first (`me` of their reactions: the reader's). */
  findNewest(channelId: string, limit: number, readerId: string): Promise<MessageRow[]> {
    return preparedQuery<MessageRow>(this.dataSource, 'parley_history_newest', HISTORY_NEWEST, [channelId, limit, readerId]);
  }

  /** Up to `limit` messages before seq `before`, newest first. */
  findBefore(channelId: string, before: number, limit: number, readerId: string): Promise<MessageRow[]> {
    return preparedQuery<MessageRow>(this.dataSource, 'parley_history_before', HISTORY_BEFORE, [channelId, before, limit, readerId]);
  }

  /** Up to `limit` messages after seq `after`, oldest first. */
  findAfter(channelId: string, after: number, limit: number, readerId: string): Promise<MessageRow[]> {
    return preparedQuery<MessageRow>(this.dataSource, 'parley_history_after', HISTORY_AFTER, [channelId, after, limit, readerId]);
  }

  /** Up to `limit` messages strictly between two seqs, oldest first. */
  findBetween(channelId: string, after: number, before: number, limit: number, readerId: string): Promise<MessageRow[]> {
    return preparedQuery<MessageRow>(this.dataSource, 'parley_history_between', HISTORY_BETWEEN, [channelId, after, before, limit, readerId]);
  }

  /** Up to `perChannel` messages after each cursor, of the channels the user may read (others left out), by channel and seq. */
  findAfterCursors(userId: string, cursors: Record<string, number>, perChannel: number): Promise<MessageRow[]> {
    const channelIds = Object.keys(cursors);
    return preparedQuery<MessageRow>(this.dataSource, 'parley_sync', SYNC, [
      userId,
      channelIds,
      channelIds.map((id) => cursors[id]),
      perChannel,
      ...this.browseRule,
    ]);
  }

  /** The messages with seq in [from, to), in seq order (filling a gap in ordered delivery). */
  findRange(channelId: string, from: number, to: number): Promise<MessageRow[]> {
    return this.dataSource.query(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`, [
      channelId,
      from,
      to,
    ]);
  }

  /**
   * Applies a batch of edits and reactions in one statement (parley_apply_message_changes, see
   * its migration), in the batch's order: inside the caller's transaction (`manager`), which holds
   * the channels' locks until it commits, or as a statement of its own. One outcome per change, in
   * the same order.
   */
  async applyChanges(changes: ChangeToApply[], manager?: EntityManager): Promise<AppliedChange[]> {
    const audit = changes.flatMap((change, ord) => (change.outbox ? [{ ord, workspace_id: change.outbox.workspaceId, event: change.outbox.event }] : []));
    const input = changes.map((change, ord) => ({
      ord,
      kind: change.kind,
      message_id: change.messageId,
      channel_id: change.channelId,
      actor_id: change.actorId,
      text: change.kind === 'edit' ? change.text : null,
      mentions: change.kind === 'edit' ? (change.mentions?.mentions ?? null) : null,
      notify: change.kind === 'edit' && change.mentions?.notify.length ? change.mentions.notify : null,
      emoji: change.kind === 'edit' ? null : change.emoji,
    }));
    const values = [JSON.stringify(input), REACTIONS_PER_MESSAGE_MAX, REACTION_USERS_SHOWN, JSON.stringify(audit)];
    type Outcome = { change_ord: number; change_outcome: AppliedChange['outcome']; new_change_seq: string | null; channel_id: string; workspace_id: string };
    const rows: Outcome[] = manager ? await manager.query(APPLY_CHANGES, values) : await preparedQuery<Outcome>(this.dataSource, 'parley_apply_changes', APPLY_CHANGES, values);
    const byOrd = new Map(rows.map((row) => [row.change_ord, row]));
    return changes.map((change, ord): AppliedChange => {
      const row = byOrd.get(ord);
      if (row) {
        const changeSeq = row.new_change_seq === null ? null : Number(row.new_change_seq);
        return { outcome: row.change_outcome, changeSeq, channelId: row.channel_id, workspaceId: row.workspace_id };
      }
      if (change.channelId === null) return { outcome: 'refused', changeSeq: null, channelId: null, workspaceId: null };
      throw new Error(`parley_apply_message_changes gave no outcome for change ${ord}`);
    });
  }

  /** The recorded changes named by channel and changeSeq, each with its message as it is now and the actor's my_reactions. */
  findChanges(keys: { channelId: string; changeSeq: number }[]): Promise<MessageChangeRow[]> {
    return preparedQuery<MessageChangeRow>(this.dataSource, 'parley_find_changes', FIND_CHANGES, [keys.map((key) => key.channelId), keys.map((key) => key.changeSeq)]);
  }

  /** Soft-deletes a message and records the change, inside the caller's transaction; 'gone' when it was deleted since the access check. */
  async delete(actorId: string, messageId: string, channelId: string, manager: EntityManager): Promise<ChangeOutcome> {
    if (!(await this.lockChannel(channelId, manager))) return 'gone';
    return recorded(await manager.query(DELETE, [messageId, channelId, 'deleted', actorId, null]));
  }

  private async lockChannel(channelId: string, manager: EntityManager): Promise<{ archived: boolean } | null> {
    const rows: { archived: boolean }[] = await manager.query(LOCK_CHANNEL, [channelId]);
    return rows[0] ?? null;
  }

  /** The earlier texts of a message, oldest first. */
  findVersions(messageId: string): Promise<MessageVersionRow[]> {
    return this.dataSource.query(
      `SELECT text, written_at, replaced_at FROM message_versions WHERE message_id = $1 ORDER BY replaced_at, written_at, id`,
      [messageId],
    );
  }

  /** Up to `perChannel` changes after each change cursor, of the channels the user may read (others left out), by channel and changeSeq. */
  findChangesAfterCursors(userId: string, cursors: Record<string, number>, perChannel: number): Promise<MessageChangeRow[]> {
    const channelIds = Object.keys(cursors);
    return preparedQuery<MessageChangeRow>(this.dataSource, 'parley_sync_changes', SYNC_CHANGES, [
      userId,
      channelIds,
      channelIds.map((id) => cursors[id]),
      perChannel,
      ...this.browseRule,
    ]);
  }

  /** The changes with changeSeq in [from, to), in order, each with its message as it is now (filling a gap in ordered delivery). */
  findChangeRange(channelId: string, from: number, to: number): Promise<MessageChangeRow[]> {
    return this.dataSource.query(
      `SELECT ch.change_seq, ch.kind, ch.actor_id, ch.detail, ${MESSAGE_COLUMNS_OF_M}, ${myReactions('m', 'ch.actor_id')}
         FROM message_changes ch JOIN messages m ON m.id = ch.message_id
        WHERE ch.channel_id = $1 AND ch.change_seq >= $2 AND ch.change_seq < $3
        ORDER BY ch.change_seq`,
      [channelId, from, to],
    );
  }

  /** The sender's message with this clientMsgId, or null. */
  async findByClientId(userId: string, clientMsgId: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await this.dataSource.query(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = $1 AND client_msg_id = $2`, [
      userId,
      clientMsgId,
    ]);
    return rows[0] ?? null;
  }

  /** Moves a member's read position up to `seq` (see MARK_READ); null when they are not a member. */
  async markRead(channelId: string, userId: string, seq: number): Promise<ReadMove | null> {
    const rows = await preparedQuery<ReadMove>(this.dataSource, 'parley_mark_read', MARK_READ, [channelId, userId, seq]);
    return rows[0] ?? null;
  }

  /** The message as it is, with `me` of its reactions for `readerId`; null when there is no such message of the channel. */
  async findOne(messageId: string, readerId: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await this.dataSource.query(`SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$2')} FROM messages WHERE id = $1`, [
      messageId,
      readerId,
    ]);
    return rows[0] ?? null;
  }

  /** Pins (or unpins) a message and records the change, inside the caller's transaction; 'unchanged' when it was (not) pinned already. */
  async pin(actorId: string, messageId: string, channelId: string, pinned: boolean, manager: EntityManager): Promise<MarkOutcome> {
    const channel = await this.lockChannel(channelId, manager);
    if (!channel) return 'gone';
    if (channel.archived) return 'archived';
    const rows: MessageChangeRow[] = await manager.query(pinned ? PIN : UNPIN, [messageId, channelId, pinned ? 'pinned' : 'unpinned', actorId, null]);
    if (rows.length) return { row: rows[0] };
    return (await this.isPresent(messageId, channelId, manager)) ? 'unchanged' : 'gone';
  }

  /** Whether the message is there, not deleted (a change that found nothing to change, or no message). */
  private async isPresent(messageId: string, channelId: string, manager: EntityManager): Promise<boolean> {
    const [present]: unknown[] = await manager.query(`SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2 AND deleted_at IS NULL`, [messageId, channelId]);
    return present !== undefined;
  }

  /** The pinned messages of a channel that are not deleted, the most recently pinned first, with `me` for the reader. */
  findPinned(channelId: string, readerId: string, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}, ${myReactions('messages', '$2')} FROM messages
        WHERE channel_id = $1 AND pinned_at IS NOT NULL AND deleted_at IS NULL
        ORDER BY pinned_at DESC, seq DESC LIMIT $3`,
      [channelId, readerId, limit],
    );
  }
}

/** What a reaction or pin found under the channel's lock: as an edit (ChangeOutcome), or nothing to change. (A reaction may also find no room for another emoji: 'full'.) */
export type MarkOutcome = ChangeOutcome | 'unchanged';

/** Pins message $1 of channel $2 for actor $4, unless it is pinned already or deleted. */
const PIN = `
  WITH changed AS (
    UPDATE messages SET pinned_at = now(), pinned_by = $4
     WHERE id = $1 AND channel_id = $2 AND deleted_at IS NULL AND pinned_at IS NULL
    RETURNING ${MESSAGE_COLUMNS}
  ), ${RECORD_CHANGE}`;

/** Unpins message $1 of channel $2, unless it is not pinned or deleted. */
const UNPIN = `
  WITH changed AS (
    UPDATE messages SET pinned_at = NULL, pinned_by = NULL
     WHERE id = $1 AND channel_id = $2 AND deleted_at IS NULL AND pinned_at IS NOT NULL
    RETURNING ${MESSAGE_COLUMNS}
  ), ${RECORD_CHANGE}`;

const jsonOrNull = (value: object | null | undefined): string | null => (value ? JSON.stringify(value) : null);

/** Whom a message notifies, as the statements take it (a jsonb array, null for nobody). */
const notifyParameter = (resolved: ResolvedMentions | null): string | null => jsonOrNull(resolved?.notify.length ? resolved.notify : null);

