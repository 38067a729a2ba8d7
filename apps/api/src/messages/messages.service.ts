import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BuiltInRole,
  builtInRolesWith,
  ChannelErrorCode,
  CommonErrorCode,
  HISTORY_PAGE_MAX,
  MessageDto,
  MessageErrorCode,
  MessagePage,
  Permission,
  ReadUpdateEvent,
  RoleCatalogue,
  SendMessageRequest,
  SYNC_MAX_PER_CHANNEL,
  SyncResult,
} from '@parley/contracts';
import { DataSource } from 'typeorm';
import { noteChannelCheck } from '../access/access-declarations';
import { ChannelAction } from '../access/access.rules';
import { AccessService, Actor } from '../access/access.service';
import { AppException } from '../common/app-exception';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '../rate-limit/token-buckets';
import { isDataException, isRefusedValue, isUniqueViolation } from '../common/db-errors';
import { preparedQuery } from '../database/prepared';
import { InjectRoleCatalogue } from '../rbac/role-catalogue';
import { EventBus } from '../events/event-bus';
import { KeyedBatcher } from './keyed-batcher';
import { MESSAGE_COLUMNS, MessageRow, toMessageDto } from './message-mapper';

interface PendingSend {
  userId: string;
  channelId: string;
  text: string;
  clientMsgId: string;
  threadRootId: string | null;
}

export interface SendResult {
  message: MessageDto;
  /** False when the clientMsgId was seen before and the stored message is returned again. */
  created: boolean;
}

/** Who may post in a channel: an active member of it, in a workspace that still exists. */
const MAY_POST = `
  EXISTS (SELECT 1 FROM channel_members cm
            JOIN workspace_members wm ON wm.workspace_id = c.workspace_id AND wm.user_id = cm.user_id AND wm.deactivated_at IS NULL
            JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
           WHERE cm.channel_id = c.id AND cm.user_id = $2)`;

/**
 * Stores a batch of sends ($1 their order, then channel, sender, text, clientMsgId, thread root
 * as arrays). Sends that may not be posted, or whose clientMsgId is already stored, are left out
 * without taking a seq; the caller explains those one by one.
 */
const STORE_BATCH = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[])
      AS i(ord, channel_id, sender_id, text, client_msg_id, thread_root_id)
  ), locked AS (
    SELECT c.id, c.workspace_id, c.last_seq FROM channels c
     WHERE c.id IN (SELECT channel_id FROM input) AND c.archived_at IS NULL
     ORDER BY c.id
       FOR UPDATE
  ), allowed AS (
    SELECT i.*, l.last_seq + row_number() OVER (PARTITION BY i.channel_id ORDER BY i.ord) AS seq
      FROM input i JOIN locked l ON l.id = i.channel_id
     WHERE EXISTS (SELECT 1 FROM channel_members cm
                     JOIN workspace_members wm ON wm.workspace_id = l.workspace_id AND wm.user_id = cm.user_id AND wm.deactivated_at IS NULL
                     JOIN workspaces w ON w.id = l.workspace_id AND w.deleted_at IS NULL
                    WHERE cm.channel_id = i.channel_id AND cm.user_id = i.sender_id)
       AND (i.thread_root_id IS NULL OR EXISTS (SELECT 1 FROM messages t WHERE t.id = i.thread_root_id AND t.channel_id = i.channel_id
                                                  AND t.thread_root_id IS NULL AND t.deleted_at IS NULL))
       AND NOT EXISTS (SELECT 1 FROM messages d WHERE d.sender_id = i.sender_id AND d.client_msg_id = i.client_msg_id)
  ), bumped AS (
    UPDATE channels c SET last_seq = top.seq
      FROM (SELECT channel_id, max(seq) AS seq FROM allowed GROUP BY channel_id) top
     WHERE c.id = top.channel_id
  ), read AS (
    UPDATE channel_members cm SET last_read_seq = GREATEST(cm.last_read_seq, top.seq)
      FROM (SELECT channel_id, sender_id, max(seq) AS seq FROM allowed GROUP BY channel_id, sender_id) top
     WHERE cm.channel_id = top.channel_id AND cm.user_id = top.sender_id
  )
  INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id, thread_root_id)
  SELECT channel_id, seq, sender_id, text, client_msg_id, thread_root_id FROM allowed
  RETURNING ${MESSAGE_COLUMNS}`;

const HISTORY_NEWEST = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2`;
const HISTORY_BEFORE = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`;
const HISTORY_AFTER = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`;
const HISTORY_BETWEEN = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 AND seq > $2 AND seq < $3 ORDER BY seq ASC LIMIT $4`;

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
       AND EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.workspace_id = c.workspace_id AND wm.user_id = $2 AND wm.deactivated_at IS NULL)
  ), moved AS (
    UPDATE channel_members cm SET last_read_seq = t.upto
      FROM target t
     WHERE cm.channel_id = t.channel_id AND cm.user_id = t.user_id AND cm.last_read_seq < t.upto
    RETURNING cm.last_read_seq
  )
  SELECT t.before, (SELECT last_read_seq FROM moved) AS moved FROM target t`;

/** markRead per person: a burst for opening several channels at once, then a steady rate. */
const READ_BURST = 30;
const READS_PER_SECOND = 10;

const clientMsgIdTaken = () =>
  new AppException(HttpStatus.CONFLICT, CommonErrorCode.Conflict, 'That clientMsgId was already used for another message');

/**
 * Who may read channel `c` (SQL over its row): its members, and for a public one anyone in the
 * workspace who may browse channels. Whether a role may browse is resolved from the catalogue in
 * code and arrives as parameters (see BrowseRule), so no permission is named in SQL: `browsers`
 * names the text[] of built-in roles that hold it, `browse` the permission a custom role must store.
 */
function mayRead(user: string, browsers: string, browse: string): string {
  return `
  EXISTS (SELECT 1 FROM workspace_members wm
            JOIN roles r ON r.id = wm.role_id
            JOIN workspaces w ON w.id = wm.workspace_id AND w.deleted_at IS NULL
           WHERE wm.workspace_id = c.workspace_id AND wm.user_id = ${user} AND wm.deactivated_at IS NULL
             AND (EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = c.id AND cm.user_id = ${user})
                  OR (c.type = 'public' AND (r.built_in = ANY (${browsers}::text[])
                                             OR (r.built_in IS NULL AND ${browse}::text = ANY (r.permissions))))))`;
}

/** The parameters of mayRead: the built-in roles that may browse channels, and the permission itself. */
type BrowseRule = [browsers: BuiltInRole[], browse: Permission];

/**
 * Storing and reading messages. Sends are stored in batches (group commit: what arrives while
 * a batch is being stored goes into the next one), each message taking the next seq of its
 * channel in the statement that stores it, so seqs are gap-free and a message is acknowledged
 * only once committed.
 */
@Injectable()
export class MessagesService {
  private readonly logger = new Logger('Messages');
  /** Per person, shared by every instance when Redis is configured. */
  private readonly sendLimit: TokenBucketLimiter;
  private readonly readLimit: TokenBucketLimiter;
  private readonly batcher: KeyedBatcher<PendingSend, SendResult>;
  /** Sends on their way, by sender and clientMsgId. */
  private readonly sending = new Map<string, Promise<SendResult>>();
  private readonly browseRule: BrowseRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventBus,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRoleCatalogue() catalogue: RoleCatalogue,
    rateLimits: RateLimitService,
  ) {
    this.browseRule = [builtInRolesWith(Permission.ChannelBrowse, catalogue), Permission.ChannelBrowse];
    this.sendLimit = rateLimits.tokenBuckets('send', { burst: config.rateLimits.sendBurst, perSecond: config.rateLimits.sendsPerSecond });
    this.readLimit = rateLimits.tokenBuckets('read', { burst: READ_BURST, perSecond: READS_PER_SECOND });
    // The embedded database runs one query at a time; PostgreSQL gets a few batches at once
    // and keeps the rest of its pool for reads.
    this.batcher = new KeyedBatcher((sends) => this.storeBatch(sends), (send) => send.channelId, {
      maxInFlight: config.databaseUrl === null ? 1 : 4,
      maxBatch: 256,
    });
  }

  async send(userId: string, channelId: string, request: SendMessageRequest): Promise<SendResult> {
    const wait = await this.sendLimit.take(userId);
    if (wait) throw AppException.rateLimited(wait, `You are sending too fast; try again in ${wait} s`);
    // A retry while the first attempt is still on its way shares that attempt's outcome.
    const key = `${userId}:${request.clientMsgId}`;
    const twin = this.sending.get(key);
    if (twin) {
      const { message } = await twin;
      if (message.channelId !== channelId) throw clientMsgIdTaken();
      noteChannelCheck(channelId, ChannelAction.Post);
      return { message, created: false };
    }
    const pending = this.batcher.submit({
      userId,
      channelId,
      text: request.text,
      clientMsgId: request.clientMsgId,
      threadRootId: request.threadRootId ?? null,
    });
    this.sending.set(key, pending);
    const forget = () => this.sending.delete(key);
    pending.then(forget, forget);
    const result = await pending;
    // The statement that stored it checked the Post rule, atomically with taking the seq.
    noteChannelCheck(channelId, ChannelAction.Post);
    return result;
  }

  /**
   * Stores a batch of sends in one statement and one commit. Each channel's rows are locked in
   * id order (no deadlock between batches) and its seqs are taken in the order of the batch, so
   * they stay gap-free: a send that may not be stored takes no seq, and a failed statement
   * takes none at all.
   */
  private async storeBatch(sends: PendingSend[]): Promise<(SendResult | Error)[]> {
    let rows: MessageRow[];
    try {
      rows = await preparedQuery<MessageRow>(this.dataSource, 'parley_store_batch', STORE_BATCH, [
        sends.map((_, index) => index),
        sends.map((send) => send.channelId),
        sends.map((send) => send.userId),
        sends.map((send) => send.text),
        sends.map((send) => send.clientMsgId),
        sends.map((send) => send.threadRootId),
      ]);
    } catch (error) {
      // Another instance stored one of these clientMsgIds meanwhile: store them one by one, in order.
      if (isUniqueViolation(error) && sends.length > 1) {
        const results: (SendResult | Error)[] = [];
        for (const send of sends) results.push(...(await this.storeBatch([send])));
        return results;
      }
      if (isUniqueViolation(error)) rows = [];
      else if (!isRefusedValue(error)) throw error;
      else if (sends.length > 1) return this.storeApart(sends);
      else return [this.unstorable(sends[0], error)];
    }
    const stored = new Map<string, MessageDto>();
    for (const row of rows.sort((a, b) => (a.channel_id < b.channel_id ? -1 : a.channel_id > b.channel_id ? 1 : Number(a.seq) - Number(b.seq)))) {
      const message = toMessageDto(row);
      stored.set(`${row.sender_id}:${row.client_msg_id}`, message);
      // Not awaited: a background event, its listeners have run (in seq order) when emit returns.
      void this.events.emit('message.created', message);
    }
    return Promise.all(
      sends.map(async (send): Promise<SendResult | Error> => {
        const message = stored.get(`${send.userId}:${send.clientMsgId}`);
        if (message) return { message, created: true };
        return this.unstored(send).catch(toError);
      }),
    );
  }

  /**
   * A batch refused for a value in it (one the database will not store): the halves are
   * stored apart, one after the other, down to the offending send alone, so only it fails and
   * the others keep their order per channel. A failed statement takes no seq, so seqs stay
   * gap-free; one bad send among n costs about 2·log2(n) statements.
   */
  private async storeApart(sends: PendingSend[]): Promise<(SendResult | Error)[]> {
    const half = Math.ceil(sends.length / 2);
    const store = async (part: PendingSend[]): Promise<(SendResult | Error)[]> => {
      try {
        return await this.storeBatch(part);
      } catch {
        // The refusal may have cost its connection (the embedded server drops one after an error):
        // once more, on a fresh one. An outage then fails only the sends not stored yet (their retry is idempotent).
        return this.storeBatch(part).catch((error: unknown) => part.map(() => toError(error)));
      }
    };
    const first = await store(sends.slice(0, half));
    return [...first, ...(await store(sends.slice(half)))];
  }

  /** The one send of a batch the database refused: its own error, which a retry cannot change. */
  private unstorable(send: PendingSend, error: unknown): AppException {
    this.logger.warn(`A send to ${send.channelId} by ${send.userId} was refused by the database: ${(error as Error).message}`);
    if (isDataException(error)) {
      return new AppException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, 'The message text has characters that cannot be stored', [
        { field: 'text', errors: ['text contains characters that cannot be stored (such as NUL)'] },
      ]);
    }
    return new AppException(HttpStatus.UNPROCESSABLE_ENTITY, MessageErrorCode.SendFailed, 'This message cannot be stored');
  }

  /** A send the batch did not store: a retry of a stored message, or a refusal to explain. */
  private async unstored(send: PendingSend): Promise<SendResult | Error> {
    const existing = await this.findByClientId(send.userId, send.clientMsgId);
    if (existing) return existing.channelId === send.channelId ? { message: existing, created: false } : clientMsgIdTaken();
    return this.whyNotPosted(send.userId, send.channelId, send.threadRootId);
  }

  /** A page of history in ascending seq: the newest page, or the page before/after a seq. */
  async history(actor: Actor, channelId: string, query: { before?: number; after?: number; limit?: number }): Promise<MessagePage> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    const limit = Math.min(query.limit ?? 50, HISTORY_PAGE_MAX);
    // One prepared statement per shape, so that each keeps a plan that seeks straight to its seq.
    if (query.after !== undefined) {
      const rows =
        query.before === undefined
          ? await preparedQuery<MessageRow>(this.dataSource, 'parley_history_after', HISTORY_AFTER, [channelId, query.after, limit + 1])
          : await preparedQuery<MessageRow>(this.dataSource, 'parley_history_between', HISTORY_BETWEEN, [channelId, query.after, query.before, limit + 1]);
      return { items: rows.slice(0, limit).map(toMessageDto), hasMore: rows.length > limit };
    }
    const rows =
      query.before === undefined
        ? await preparedQuery<MessageRow>(this.dataSource, 'parley_history_newest', HISTORY_NEWEST, [channelId, limit + 1])
        : await preparedQuery<MessageRow>(this.dataSource, 'parley_history_before', HISTORY_BEFORE, [channelId, query.before, limit + 1]);
    return { items: rows.slice(0, limit).reverse().map(toMessageDto), hasMore: rows.length > limit };
  }

  /**
   * Everything after each cursor, for the channels the user may read (others are left out),
   * at most SYNC_MAX_PER_CHANNEL per channel; the channels cut short are named in `truncated`.
   */
  async sync(userId: string, cursors: Record<string, number>): Promise<SyncResult> {
    const channelIds = Object.keys(cursors);
    if (!channelIds.length) return { messages: [], truncated: [] };
    const rows = await preparedQuery<MessageRow>(
      this.dataSource,
      'parley_sync',
      `SELECT m.* FROM unnest($2::uuid[], $3::bigint[]) AS cur(channel_id, after)
         JOIN channels c ON c.id = cur.channel_id AND ${mayRead('$1', '$5', '$6')}
         CROSS JOIN LATERAL (
           SELECT ${MESSAGE_COLUMNS} FROM messages
            WHERE channel_id = cur.channel_id AND seq > cur.after
            ORDER BY seq ASC LIMIT $4
         ) m
        ORDER BY m.channel_id, m.seq`,
      [userId, channelIds, channelIds.map((id) => cursors[id]), SYNC_MAX_PER_CHANNEL + 1, ...this.browseRule],
    );
    const perChannel = new Map<string, MessageDto[]>();
    for (const row of rows) {
      const list = perChannel.get(row.channel_id) ?? [];
      list.push(toMessageDto(row));
      perChannel.set(row.channel_id, list);
    }
    const truncated: string[] = [];
    const messages: MessageDto[] = [];
    for (const [channelId, list] of perChannel) {
      if (list.length > SYNC_MAX_PER_CHANNEL) truncated.push(channelId);
      messages.push(...list.slice(0, SYNC_MAX_PER_CHANNEL));
    }
    return { messages, truncated };
  }

  /**
   * Moves the member's read position forward (never back, never past the newest message), and
   * tells the channel only when it moved: repeating a position costs one small query and
   * reaches nobody. Limited per person, so a client in a loop cannot load the database.
   */
  async markRead(userId: string, channelId: string, seq: number): Promise<ReadUpdateEvent> {
    const wait = await this.readLimit.take(userId);
    if (wait) throw AppException.rateLimited(wait, `You are marking channels read too fast; try again in ${wait} s`);
    await this.access.requireChannel({ userId }, channelId, ChannelAction.MarkRead);
    const rows = await preparedQuery<{ before: string; moved: string | null }>(this.dataSource, 'parley_mark_read', MARK_READ, [channelId, userId, seq]);
    if (!rows.length) throw AppException.notFound('Channel');
    const moved = rows[0].moved;
    const event: ReadUpdateEvent = { channelId, userId, seq: Number(moved ?? rows[0].before) };
    if (moved !== null) await this.events.emit('message.read', event);
    return event;
  }

  private async findByClientId(userId: string, clientMsgId: string): Promise<MessageDto | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = $1 AND client_msg_id = $2`,
      [userId, clientMsgId],
    );
    return rows.length ? toMessageDto(rows[0]) : null;
  }

  /** Explains a refused send with the error a client can act on. */
  private async whyNotPosted(userId: string, channelId: string, threadRootId: string | null): Promise<AppException> {
    const rows: { archived: boolean; readable: boolean; may_post: boolean }[] = await this.dataSource.query(
      `SELECT c.archived_at IS NOT NULL AS archived, ${mayRead('$1', '$3', '$4')} AS readable, ${MAY_POST.replace(/\$2/g, () => '$1')} AS may_post
         FROM channels c WHERE c.id = $2`,
      [userId, channelId, ...this.browseRule],
    );
    const row = rows[0];
    if (!row || !row.readable) return AppException.notFound('Channel');
    if (!row.may_post) return AppException.forbidden('Join the channel to post in it');
    if (row.archived) return new AppException(HttpStatus.CONFLICT, ChannelErrorCode.Archived, 'The channel is archived');
    if (threadRootId) {
      return new AppException(HttpStatus.BAD_REQUEST, MessageErrorCode.ThreadRootNotFound, 'The thread root is not a message of this channel');
    }
    this.logger.warn(`A send to ${channelId} by ${userId} was refused for no known reason`);
    return new AppException(HttpStatus.CONFLICT, MessageErrorCode.SendFailed, 'The message could not be stored; try again');
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
