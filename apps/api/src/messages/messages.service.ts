import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ForwardedFrom, HISTORY_PAGE_MAX, MessageDto, SentMessage, MessagePage, ReadUpdateEvent, SendMessageRequest, SYNC_MAX_PER_CHANNEL, SyncResult } from '@parley/contracts';
import { noteChannelCheck } from '../access/access-declarations';
import { ChannelAction } from '../access/access.rules';
import { AccessService, Actor } from '../access/access.service';
import { AppException } from '../common/app-exception';
import { MessageError, MessageException } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '../rate-limit/token-buckets';
import { isRefusedValue, isUniqueViolation } from '../common/db-errors';
import { DataSource } from 'typeorm';
import { EventBus } from '../events/event-bus';
import { MessageFilesService } from '../files/message-files.service';
import { inChannelOrder, toError, unstorable } from './batch-results';
import { KeyedBatcher } from './keyed-batcher';
import { MentionResolver } from './mention-resolver';
import { ResolvedMentions } from './mentions';
import { MessageRepository, NewMessage } from './message.repository';
import { MessageChangeRow, MessageRow, toMessageChangeEvent, toMessageDto } from './message-mapper';

export interface SendResult {
  message: SentMessage;
  /** False when the clientMsgId was seen before and the stored message is returned again. */
  created: boolean;
}

/** markRead per person: a burst for opening several channels at once, then a steady rate. */
const READ_BURST = 30;
const READS_PER_SECOND = 10;

const clientMsgIdTaken = () => new MessageException(MessageError.ClientMsgIdTaken, 'That clientMsgId was already used for another message');

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
  private readonly batcher: KeyedBatcher<NewMessage, SendResult>;
  /** Sends on their way, by sender and clientMsgId. */
  private readonly sending = new Map<string, Promise<SendResult>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly files: MessageFilesService,
    private readonly events: EventBus,
    private readonly access: AccessService,
    private readonly mentions: MentionResolver,
    @Inject(APP_CONFIG) config: AppConfig,
    rateLimits: RateLimitService,
  ) {
    this.sendLimit = rateLimits.tokenBuckets('send', { burst: config.rateLimits.sendBurst, perSecond: config.rateLimits.sendsPerSecond });
    this.readLimit = rateLimits.tokenBuckets('read', { burst: READ_BURST, perSecond: READS_PER_SECOND });
    // The embedded database runs one query at a time; PostgreSQL gets a few batches at once
    // and keeps the rest of its pool for reads.
    this.batcher = new KeyedBatcher((sends) => this.storeInOrder(sends), (send) => send.channelId, {
      maxInFlight: config.databaseUrl === null ? 1 : 4,
      maxBatch: 256,
    });
  }

  /**
   * Stores a message (`forwardedFrom`: made by forwarding, see MessageMarksService.forward). Its
   * mentions are resolved first, by one query when the text has mention tokens (none otherwise).
   */
  async send(userId: string, channelId: string, request: SendMessageRequest, forwardedFrom: ForwardedFrom | null = null): Promise<SendResult> {
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
    const mentions = await this.mentions.resolve(userId, channelId, request.text);
    const pending = this.batcher.submit({
      userId,
      channelId,
      text: request.text,
      clientMsgId: request.clientMsgId,
      threadRootId: request.threadRootId ?? null,
      alsoInChannel: request.alsoSendToChannel === true,
      forwardedFrom,
      mentions,
      fileIds: request.fileIds ?? [],
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
   * A batch of the batcher, in the order it came: runs of sends without files stored a run per
   * statement (storeBatch), each send with files on its own (storeWithFiles), one after the
   * other, so a channel's seqs still follow the order its sends arrived in.
   *
   * Why sends with files are not in the batch statement: attaching must fail the whole send when
   * any file is not attachable, and a statement that already inserted the message cannot take it
   * back for one send alone; it would also judge attachability on the statement's snapshot, taken
   * before it waited for the channel's lock, so two batches could both think a file free. Stored
   * on its own in a transaction, the send runs the same STORE_BATCH (same seq, changeSeq, thread,
   * mention and idempotency rules, the same channel row lock), then attaches its files with a
   * statement that sees every commit made before the lock; too few attached rolls back all of
   * it, seq included. Files ride on few messages, so the batch stays the path of the many.
   */
  private async storeInOrder(sends: NewMessage[]): Promise<(SendResult | Error)[]> {
    if (sends.every((send) => !send.fileIds.length)) return this.storeBatch(sends);
    const results: (SendResult | Error)[] = [];
    let run: NewMessage[] = [];
    const flush = async () => {
      const part = run;
      run = [];
      if (part.length) results.push(...(await this.storeBatch(part).catch((error: unknown) => part.map(() => toError(error)))));
    };
    for (const send of sends) {
      if (!send.fileIds.length) {
        run.push(send);
        continue;
      }
      await flush();
      results.push(await this.storeWithFiles(send).catch(toError));
    }
    await flush();
    return results;
  }

  /**
   * One send with files (see storeInOrder): the message stored as by storeBatch, its files
   * attached and messages.files written, in one transaction; nothing stays when any file is not
   * attachable (400 FILE_NOT_ATTACHABLE, the files still free). A retry of a stored message
   * stores nothing and answers it as it is, files and all.
   */
  private async storeWithFiles(send: NewMessage): Promise<SendResult | Error> {
    let stored: { row: MessageRow; changes: MessageChangeRow[] } | null;
    try {
      stored = await this.dataSource.transaction(async (manager) => {
        const { messages: rows, changes } = await this.messages.storeBatch([send], manager);
        if (!rows.length) return null;
        const files = await this.files.attach(rows[0].id, send, manager);
        return { row: await this.messages.setFiles(rows[0].id, files, manager), changes };
      });
    } catch (error) {
      if (error instanceof AppException) return error;
      // Another instance stored this clientMsgId meanwhile: as for a retry.
      if (isUniqueViolation(error)) return this.unstored(send);
      if (isRefusedValue(error)) return this.unstorable(send, error);
      throw error;
    }
    if (!stored) return this.unstored(send);
    const message = toMessageDto(stored.row);
    // Not awaited, as in storeBatch: the reply first, then the thread root it changed.
    void this.events.emit('message.created', message);
    for (const row of stored.changes) void this.events.emit('message.changed', toMessageChangeEvent(row));
    return { message: sentBack(message, send.mentions), created: true };
  }

  /**
   * Stores a batch of sends in one statement and one commit. Each channel's rows are locked in
   * id order (no deadlock between batches) and its seqs are taken in the order of the batch, so
   * they stay gap-free: a send that may not be stored takes no seq, and a failed statement
   * takes none at all.
   */
  private async storeBatch(sends: NewMessage[]): Promise<(SendResult | Error)[]> {
    let rows: MessageRow[];
    let changes: MessageChangeRow[] = [];
    try {
      ({ messages: rows, changes } = await this.messages.storeBatch(sends));
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
    for (const row of inChannelOrder(rows, (row) => row.seq)) {
      const message = toMessageDto(row);
      stored.set(`${row.sender_id}:${row.client_msg_id}`, message);
      // Not awaited: a background event, its listeners have run (in seq order) when emit returns.
      void this.events.emit('message.created', message);
    }
    // The thread roots these replies changed, after the replies themselves: the gateway delivers them in changeSeq order.
    for (const row of inChannelOrder(changes, (row) => row.change_seq)) {
      void this.events.emit('message.changed', toMessageChangeEvent(row));
    }
    return Promise.all(
      sends.map(async (send): Promise<SendResult | Error> => {
        const message = stored.get(`${send.userId}:${send.clientMsgId}`);
        if (message) return { message: sentBack(message, send.mentions), created: true };
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
  private async storeApart(sends: NewMessage[]): Promise<(SendResult | Error)[]> {
    const half = Math.ceil(sends.length / 2);
    const store = async (part: NewMessage[]): Promise<(SendResult | Error)[]> => {
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
  private unstorable(send: NewMessage, error: unknown): MessageException {
    this.logger.warn(`A send to ${send.channelId} by ${send.userId} was refused by the database: ${(error as Error).message}`);
    return unstorable(error);
  }

  /** A send the batch did not store: a retry of a stored message, or a refusal to explain. */
  private async unstored(send: NewMessage): Promise<SendResult | Error> {
    const existing = await this.findByClientId(send.userId, send.clientMsgId);
    if (existing) return existing.channelId === send.channelId ? { message: sentBack(existing), created: false } : clientMsgIdTaken();
    return this.whyNotPosted(send);
  }

  /**
   * A page of history in ascending seq: the newest page, the page before/after a seq, or the
   * page around one (a permalink: about half older, the message, the rest newer). `me` of the
   * reactions is the reader's.
   */
  async history(
    actor: Actor,
    channelId: string,
    query: { before?: number; after?: number; around?: number; limit?: number },
  ): Promise<MessagePage> {
    if (query.around !== undefined && (query.before !== undefined || query.after !== undefined)) {
      throw AppException.invalid('around cannot be combined with before or after', [
        { field: 'around', errors: ['around cannot be combined with before or after'] },
      ]);
    }
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    const reader = actor.userId;
    const limit = Math.min(query.limit ?? 50, HISTORY_PAGE_MAX);
    if (query.around !== undefined) return this.around(channelId, query.around, limit, reader);
    if (query.after !== undefined) {
      const rows =
        query.before === undefined
          ? await this.messages.findAfter(channelId, query.after, limit + 1, reader)
          : await this.messages.findBetween(channelId, query.after, query.before, limit + 1, reader);
      return { items: rows.slice(0, limit).map(toMessageDto), hasMore: rows.length > limit };
    }
    const rows =
      query.before === undefined
        ? await this.messages.findNewest(channelId, limit + 1, reader)
        : await this.messages.findBefore(channelId, query.before, limit + 1, reader);
    return { items: rows.slice(0, limit).reverse().map(toMessageDto), hasMore: rows.length > limit };
  }

  /** floor(limit / 2) messages before seq `around`, then it and the newer ones up to `limit` in all; each side one more, to tell whether more exist. */
  private async around(channelId: string, around: number, limit: number, reader: string): Promise<MessagePage> {
    const older = Math.floor(limit / 2);
    const newer = limit - older;
    const [before, after] = await Promise.all([
      this.messages.findBefore(channelId, around, older + 1, reader),
      this.messages.findAfter(channelId, around - 1, newer + 1, reader),
    ]);
    return {
      items: [...before.slice(0, older).reverse(), ...after.slice(0, newer)].map(toMessageDto),
      hasMore: before.length > older,
      hasMoreAfter: after.length > newer,
    };
  }

  /**
   * Everything after each cursor, and every change after each change cursor, for the channels
   * the user may read (others are left out), at most SYNC_MAX_PER_CHANNEL of each per channel;
   * the channels cut short are named in `truncated`. A change carries its message as it is now.
   */
  async sync(userId: string, cursors: Record<string, number>, changeCursors: Record<string, number> = {}): Promise<SyncResult> {
    const [rows, changeRows] = await Promise.all([
      Object.keys(cursors).length ? this.messages.findAfterCursors(userId, cursors, SYNC_MAX_PER_CHANNEL + 1) : [],
      Object.keys(changeCursors).length ? this.messages.findChangesAfterCursors(userId, changeCursors, SYNC_MAX_PER_CHANNEL + 1) : [],
    ]);
    const truncated = new Set<string>();
    const messages = capPerChannel(rows.map(toMessageDto), truncated);
    const changes = capPerChannel(changeRows.map(toMessageChangeEvent), truncated);
    return { messages, changes, truncated: [...truncated] };
  }

  /**
   * Moves the member's read position forward (never back, never past the newest message), and
   * tells the channel only when it moved: repeating a position costs two small queries and
   * reaches nobody. Limited per person first, so a client in a loop cannot load the database.
   */
  async markRead(actor: Actor, channelId: string, seq: number): Promise<ReadUpdateEvent> {
    const wait = await this.readLimit.take(actor.userId);
    if (wait) throw AppException.rateLimited(wait, `You are marking channels read too fast; try again in ${wait} s`);
    await this.access.requireChannel(actor, channelId, ChannelAction.MarkRead);
    // No row: they left the channel since the check.
    const read = await this.messages.markRead(channelId, actor.userId, seq);
    if (!read) throw AppException.notFound('Channel');
    const event: ReadUpdateEvent = { channelId, userId: actor.userId, seq: Number(read.moved ?? read.before) };
    if (read.moved !== null) await this.events.emit('message.read', event);
    return event;
  }

  /** The messages with seq in [from, to) of a channel, for filling a gap in ordered delivery (no access check: they go to the channel's room, as every message of it does). */
  async fetchRange(channelId: string, from: number, to: number): Promise<MessageDto[]> {
    return (await this.messages.findRange(channelId, from, to)).map(toMessageDto);
  }

  private async findByClientId(userId: string, clientMsgId: string): Promise<MessageDto | null> {
    const row = await this.messages.findByClientId(userId, clientMsgId);
    return row ? toMessageDto(row) : null;
  }

  /**
   * Explains a refused send with the error a client can act on: the Post rule's answer (404 to
   * who may not see the channel, 403 "join first", 409 archived), else the thread root.
   */
  private async whyNotPosted({ userId, channelId, threadRootId }: NewMessage): Promise<Error> {
    try {
      await this.access.requireChannel({ userId }, channelId, ChannelAction.Post);
    } catch (refusal) {
      return toError(refusal);
    }
    if (threadRootId) return new MessageException(MessageError.ThreadRootNotFound, 'The thread root is not a message of this channel');
    this.logger.warn(`A send to ${channelId} by ${userId} was refused for no known reason`);
    return new MessageException(MessageError.NotStored, 'The message could not be stored; try again');
  }
}

/** At most SYNC_MAX_PER_CHANNEL items of each channel (they arrive grouped by channel, in order); the channels cut short are added to `truncated`. */
function capPerChannel<T extends { channelId: string }>(items: T[], truncated: Set<string>): T[] {
  const counts = new Map<string, number>();
  return items.filter((item) => {
    const count = (counts.get(item.channelId) ?? 0) + 1;
    counts.set(item.channelId, count);
    if (count > SYNC_MAX_PER_CHANNEL) truncated.add(item.channelId);
    return count <= SYNC_MAX_PER_CHANNEL;
  });
}

/** The answer to a sender: what its mentions did not reach (nothing, for a retry of a stored message). */
function sentBack(message: MessageDto, mentions: ResolvedMentions | null = null): SentMessage {
  return { ...message, mentionedNonMembers: mentions?.mentionedNonMembers ?? [], broadcastRefused: mentions?.broadcastRefused ?? null };
}
