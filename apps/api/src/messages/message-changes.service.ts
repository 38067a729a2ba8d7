import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditAction, AuditOutcome, MessageChangeEvent, MessageDto, MessageVersionDto } from '@parley/contracts';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { noteMessageCheck } from '@api/access/access-declarations';
import { MessageAction } from '@api/access/access.rules';
import { AccessService, Actor } from '@api/access/access.service';
import type { MessageAccess } from '@api/access/workspace-access';
import { AuditContext, AuditStore } from '@api/audit/audit-context';
import { auditedTransaction, pendingRequestAudit, RequestAudit } from '@api/audit/audited-transaction';
import { AuditRecordInput, AuditService } from '@api/audit/audit.service';
import type { ClientInfo } from '@api/auth/current-user';
import { AppException } from '@api/common/app-exception';
import { isRefusedValue } from '@api/common/db-errors';
import { ChannelError, ChannelException } from '@api/common/domain-errors';
import { APP_CONFIG, AppConfig } from '@api/config/config';
import { EventBus } from '@api/events/event-bus';
import { MessageFilesService } from '@api/files/message-files.service';
import { RateLimitService } from '@api/rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '@api/rate-limit/token-buckets';
import { inChannelOrder, toError, unstorable } from './batch-results';
import { KeyedBatcher } from './keyed-batcher';
import { MentionResolver } from './mention-resolver';
import { mentionTokensOf } from './mentions';
import { AppliedChange, ChangeOutcome, ChangeToApply, MarkOutcome, MessageRepository } from './message.repository';
import { MessageChangeRow, toMessageChangeEvent, toMessageDto, toMessageVersionDto } from './message-mapper';

/** A change on its way to a batch. */
interface PendingChange {
  change: ChangeToApply;
  /** A request's edit: its audit event, written in the batch's transaction (the change and its event commit together). */
  audit: RequestAudit | undefined;
}

/** What the batch did with a change: applied (and gone out), or why not. */
export type BatchedOutcome = { row: MessageChangeRow; workspaceId: string | null } | Exclude<AppliedChange['outcome'], 'applied'>;

/**
 * Edits and deletes of stored messages. Each takes the next changeSeq of its channel in the
 * transaction that makes it (under the channel's row lock), so a channel's changes are numbered
 * 1, 2, 3, … without gaps and commit in that order: live clients get them in order, and a
 * reconnecting one reads those it missed through sync.
 *
 * Edits and reactions, the frequent ones, are applied in batches (group commit, as sends are):
 * what arrives while a batch runs goes into the next one, a batch is one statement
 * (parley_apply_message_changes, see applyBatch) that also writes the audit events its edits owe,
 * and the changes of one channel keep the order they arrived in. Deletes and pins go one by one.
 */
@Injectable()
export class MessageChangesService {
  /** Edits and deletes per person, at the rate of sends (their own bucket, so they do not use up sends). */
  private readonly changeLimit: TokenBucketLimiter;
  private readonly batcher: KeyedBatcher<PendingChange, BatchedOutcome>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly files: MessageFilesService,
    private readonly access: AccessService,
    private readonly mentions: MentionResolver,
    private readonly events: EventBus,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    rateLimits: RateLimitService,
  ) {
    this.changeLimit = rateLimits.tokenBuckets('change', { burst: config.rateLimits.sendBurst, perSecond: config.rateLimits.sendsPerSecond });
    // Keyed by channel; a reaction whose channel the statement finds, by its message (its changes keep their order).
    // One batch at a time, on PostgreSQL too: a batch locks its channels, so two at once mostly wait
    // on each other and on sends, and the changes that wait meanwhile make the next batch larger
    // (bench 7: less database CPU per change than with two).
    this.batcher = new KeyedBatcher((items) => this.applyBatch(items), ({ change }) => change.channelId ?? `message:${change.messageId}`, {
      maxInFlight: 1,
      maxBatch: 128,
    });
  }

  /**
   * The sender replaces the text; the earlier one is kept as a version, and the mentions are
   * resolved again (who is notified follows the new text). The same text again changes nothing.
   * Audited: a request's event through its audit context; a socket event's (`client` given) as
   * its own event, with the socket's address.
   */
  async edit(actor: Actor, messageId: string, text: string, client: ClientInfo | null = null): Promise<MessageDto> {
    await this.limit(actor);
    if (client && !AuditContext.current() && namesNobody(text)) {
      const answer = await this.editInBatch(actor, messageId, text, client);
      if (answer) return answer;
    }
    const access = await this.checkEdit(actor, messageId, client);
    const { channelId } = access.message;
    const mentions = await this.mentions.resolve(actor.userId, channelId, text);
    // The audit event names the message, never its text (the versions keep that).
    const details = { channelId };
    AuditContext.annotate({ targetId: messageId, details });
    const change: ChangeToApply = { kind: 'edit', messageId, channelId, actorId: actor.userId, text, mentions };
    const audit = pendingRequestAudit();
    // A socket event's edit: its own event, written with the change in the batch's one statement, chained soon after.
    if (!audit && client) {
      change.outbox = this.audit.outboxEntry(socketEditEvent(actor, messageId, client, access.workspaceId, 'success', details));
    }
    const outcome = await this.submitChange(change, audit);
    return this.answer(actor, messageId, settled(outcome));
  }

  /**
   * A socket edit whose text names nobody (so its mentions need no channel): the Edit rule is
   * checked by the batch's statement, as a reaction's is (see react), and the statement gives its
   * audit event the workspace and channel. A refusal, or the message found deleted or its channel
   * archived, is explained by checkEdit, which audits a refusal as 'denied' as before; null when
   * the rule holds after all (the access changed in between): the caller edits the checked way.
   */
  private async editInBatch(actor: Actor, messageId: string, text: string, client: ClientInfo): Promise<MessageDto | null> {
    if (!isUUID(messageId)) return null;
    const outbox = this.audit.outboxEntry(socketEditEvent(actor, messageId, client, null, 'success', {}));
    const outcome = await this.submitChange({ kind: 'edit', messageId, channelId: null, actorId: actor.userId, text, mentions: null, outbox });
    if (outcome === 'refused' || outcome === 'gone' || outcome === 'archived') {
      await this.checkEdit(actor, messageId, client);
      if (outcome === 'refused') return null;
    } else {
      noteMessageCheck(messageId, MessageAction.Edit);
    }
    return this.answer(actor, messageId, settled(outcome));
  }

  /**
   * The Edit rule. A socket event's refusal (403, or 404 for a message one may not see) is
   * audited as the route's is, in the workspace's chain when the check got that far (a
   * stranger's in the global one): an attempt on someone else's message leaves a trace either way.
   */
  private async checkEdit(actor: Actor, messageId: string, client: ClientInfo | null): Promise<MessageAccess> {
    if (!client || AuditContext.current()) return this.access.requireMessage(actor, messageId, MessageAction.Edit);
    const store: AuditStore = {};
    try {
      return await AuditContext.run(store, () => this.access.requireMessage(actor, messageId, MessageAction.Edit));
    } catch (error) {
      const status = error instanceof AppException ? error.getStatus() : null;
      if (error instanceof AppException && (status === 403 || status === 404)) {
        const event = socketEditEvent(actor, messageId, client, store.workspaceId ?? null, 'denied', { status, errorCode: error.code });
        await this.audit.record(event).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Adds (`added`) or takes back the actor's reaction with `emoji` (normalised already); see
   * applyBatch. The React rule is checked by the batch's statement (APPLY_CHANGES), not by a query
   * of its own: a reaction is frequent, and the statement knows the message's channel anyway. A
   * refusal, or a message found deleted or its channel archived, is explained by the rule as
   * requireMessage checks it (404 to who may not see the message, 403 "join first", 409
   * archived), so the answers are the route's; a refusal the rule no longer makes (the access
   * changed in between) is applied once more, the channel now checked.
   */
  async react(actor: Actor, messageId: string, emoji: string, added: boolean): Promise<Exclude<BatchedOutcome, 'refused'>> {
    if (!isUUID(messageId)) throw AppException.notFound('Message');
    const change: ChangeToApply = { kind: added ? 'react' : 'unreact', messageId, channelId: null, actorId: actor.userId, emoji };
    const outcome = await this.submitChange(change);
    if (outcome !== 'refused' && outcome !== 'gone' && outcome !== 'archived') {
      noteMessageCheck(messageId, MessageAction.React);
      return outcome;
    }
    const { message } = await this.access.requireMessage(actor, messageId, MessageAction.React);
    if (outcome !== 'refused') return outcome;
    const again = await this.submitChange({ ...change, channelId: message.channelId });
    if (again === 'refused') throw new Error('A change with its channel checked cannot be refused by the statement');
    return again;
  }

  /**
   * One batch, in the order it came: applied by one statement (parley_apply_message_changes),
   * which writes the outbox rows of socket edits too, on its own (a statement is its own
   * transaction: the channels stay locked for the statement alone, not for round trips); in a
   * transaction with the events of its requests' edits when it has any (their audit context
   * writes them). Then the applied changes are read back, as they are now, and go out in
   * changeSeq order per channel; the audit events are chained by each change's caller (see
   * submitChange), so the next batch does not wait for the chaining. A batch the database refuses
   * as a whole is applied again one change at a time, so that only the change at fault fails
   * (text it cannot store: 400).
   */
  private async applyBatch(items: PendingChange[]): Promise<(BatchedOutcome | Error)[]> {
    const changes = items.map((item) => item.change);
    let applied: AppliedChange[];
    try {
      applied = items.some((item) => item.audit)
        ? await this.dataSource.transaction(async (manager) => {
            const outcomes = await this.messages.applyChanges(changes, manager);
            for (const [index, item] of items.entries()) {
              if (outcomes[index].outcome === 'applied') await item.audit?.record(manager);
            }
            return outcomes;
          })
        : await this.messages.applyChanges(changes);
    } catch (error) {
      for (const item of items) item.audit?.rolledBack();
      if (items.length > 1) {
        const results: (BatchedOutcome | Error)[] = [];
        for (const item of items) results.push(...(await this.applyBatch([item]).catch((failure: unknown) => [toError(failure)])));
        return results;
      }
      if (isRefusedValue(error)) return [unstorable(error)];
      throw error;
    }
    const keys = applied.flatMap(({ channelId, changeSeq }) => (changeSeq === null || channelId === null ? [] : [{ channelId, changeSeq }]));
    const rows = keys.length ? await this.messages.findChanges(keys) : [];
    const byKey = new Map(rows.map((row) => [`${row.channel_id}:${Number(row.change_seq)}`, row]));
    // Not awaited: a background event, like message.created; in changeSeq order within each channel (the gateway delivers them so).
    for (const row of inChannelOrder([...rows], (row) => row.change_seq)) {
      void this.events.emit('message.changed', toMessageChangeEvent(row));
    }
    return applied.map(({ outcome, changeSeq, channelId, workspaceId }): BatchedOutcome | Error => {
      if (outcome !== 'applied') return outcome;
      const row = byKey.get(`${channelId}:${changeSeq}`);
      return row ? { row, workspaceId } : new Error(`The change ${channelId}:${changeSeq} was applied but not found`);
    });
  }

  /**
   * A change through the batcher. An applied one's audit event is chained before the answer when
   * it is a request's (as auditedTransaction does), soon after when it is a socket event's.
   */
  private async submitChange(change: ChangeToApply, audit?: RequestAudit): Promise<BatchedOutcome> {
    const outcome = await this.batcher.submit({ change, audit });
    if (typeof outcome !== 'string') {
      if (audit) await audit.committed();
      // The workspace the statement found (a change it checked had none before).
      if (change.outbox) this.audit.drainSoon(outcome.workspaceId);
    }
    return outcome;
  }

  /**
   * Soft delete by the sender, or by someone with message.delete.any. Deleting again: 404. Its
   * files leave every read path in the same transaction (their bytes go with the file sweeper).
   */
  async delete(actor: Actor, messageId: string): Promise<void> {
    await this.limit(actor);
    const { message } = await this.access.requireMessage(actor, messageId, MessageAction.Delete);
    AuditContext.annotate({ targetId: messageId, details: { channelId: message.channelId, senderId: message.senderId } });
    const outcome = await auditedTransaction(
      this.dataSource,
      async (manager) => {
        const deleted = await this.messages.delete(actor.userId, messageId, message.channelId, manager);
        if (typeof deleted !== 'string') await this.files.deleteOfMessage(messageId, manager);
        return deleted;
      },
      (result) => typeof result !== 'string',
    );
    await this.applied(outcome);
  }

  /** One message as the history shows it, `me` of its reactions the reader's. */
  async one(actor: Actor, messageId: string): Promise<MessageDto> {
    await this.access.requireMessage(actor, messageId, MessageAction.Read);
    const row = await this.messages.findOne(messageId, actor.userId);
    if (!row) throw AppException.notFound('Message');
    return toMessageDto(row);
  }

  /** The earlier texts, oldest first (none when never edited). */
  async versions(actor: Actor, messageId: string): Promise<MessageVersionDto[]> {
    await this.access.requireMessage(actor, messageId, MessageAction.ReadVersions);
    return (await this.messages.findVersions(messageId)).map(toMessageVersionDto);
  }

  /** The changes with changeSeq in [from, to) of a channel, for filling a gap in ordered delivery (no access check: they go to the channel's room). */
  async fetchRange(channelId: string, from: number, to: number): Promise<MessageChangeEvent[]> {
    return (await this.messages.findChangeRange(channelId, from, to)).map(toMessageChangeEvent);
  }

  /**
   * Each edit and delete writes a version or a change row and an audit event: a client in a loop
   * is slowed down like one sending. Reactions and pins share the bucket (MessageMarksService):
   * each is a change row too.
   */
  async limit(actor: Actor): Promise<void> {
    const wait = await this.changeLimit.take(actor.userId);
    if (wait) throw AppException.rateLimited(wait, `You are changing messages (editing, deleting, reacting, pinning) too fast; try again in ${wait} s`);
  }

  /** A recorded change goes out (see applied); nothing to change answers the message as it is, `me` the actor's. */
  async answer(actor: Actor, messageId: string, outcome: MarkOutcome): Promise<MessageDto> {
    if (outcome !== 'unchanged') return (await this.applied(outcome)).message;
    const row = await this.messages.findOne(messageId, actor.userId);
    if (!row) throw AppException.notFound('Message');
    return toMessageDto(row);
  }

  /** A committed change goes out (in changeSeq order, see the gateway); one that found the message or channel changed under it answers as the check would now. */
  async applied(outcome: ChangeOutcome): Promise<MessageChangeEvent> {
    if (outcome === 'archived') throw new ChannelException(ChannelError.Archived, 'The channel is archived');
    if (outcome === 'gone') throw AppException.notFound('Message');
    const change = toMessageChangeEvent(outcome.row);
    // Not awaited: a background event, like message.created.
    void this.events.emit('message.changed', change);
    return change;
  }
}

/** True when the text mentions nobody (a text with too many mentions is refused by the checked way, after the access check). */
function namesNobody(text: string): boolean {
  try {
    return mentionTokensOf(text) === null;
  } catch {
    return false;
  }
}

/** A batch's outcome as an edit's answer takes it: 'full' and 'refused' are a reaction's alone. */
function settled(outcome: BatchedOutcome): MarkOutcome {
  if (outcome === 'full' || outcome === 'refused') throw new Error(`An edit's access is checked before its batch: it cannot be '${outcome}'`);
  return outcome;
}

/** The audit event of an edit made over the socket: the route's (message.edit, the message as target), from the socket's client. */
function socketEditEvent(
  actor: Actor,
  messageId: string,
  client: ClientInfo,
  workspaceId: string | null,
  outcome: AuditOutcome,
  details: Record<string, unknown>,
): AuditRecordInput {
  return {
    workspaceId,
    actorId: actor.userId,
    action: AuditAction.MessageEdit,
    targetType: 'message',
    targetId: messageId,
    outcome,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { ...details, via: 'socket' },
  };
}
