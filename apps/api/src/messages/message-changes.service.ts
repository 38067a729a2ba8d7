import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageChangeEvent, MessageDto, MessageVersionDto } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { MessageAction } from '@api/access/access.rules';
import { AccessService, Actor } from '@api/access/access.service';
import { AuditContext } from '@api/audit/audit-context';
import { auditedTransaction } from '@api/audit/audited-transaction';
import { AppException } from '@api/common/app-exception';
import { ChannelError, ChannelException } from '@api/common/domain-errors';
import { APP_CONFIG, AppConfig } from '@api/config/config';
import { EventBus } from '@api/events/event-bus';
import { MessageFilesService } from '@api/files/message-files.service';
import { RateLimitService } from '@api/rate-limit/rate-limit.service';
import { TokenBucketLimiter } from '@api/rate-limit/token-buckets';
import { MentionResolver } from './mention-resolver';
import { ChangeOutcome, MarkOutcome, MessageRepository } from './message.repository';
import { toMessageChangeEvent, toMessageDto, toMessageVersionDto } from './message-mapper';

/**
 * Edits and deletes of stored messages. Each takes the next changeSeq of its channel in the
 * transaction that makes it (under the channel's row lock), so a channel's changes are numbered
 * 1, 2, 3, … without gaps and commit in that order: live clients get them in order, and a
 * reconnecting one reads those it missed through sync.
 */
@Injectable()
export class MessageChangesService {
  /** Edits and deletes per person, at the rate of sends (their own bucket, so they do not use up sends). */
  private readonly changeLimit: TokenBucketLimiter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly files: MessageFilesService,
    private readonly access: AccessService,
    private readonly mentions: MentionResolver,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) config: AppConfig,
    rateLimits: RateLimitService,
  ) {
    this.changeLimit = rateLimits.tokenBuckets('change', { burst: config.rateLimits.sendBurst, perSecond: config.rateLimits.sendsPerSecond });
  }

  /**
   * The sender replaces the text; the earlier one is kept as a version, and the mentions are
   * resolved again (who is notified follows the new text). The same text again changes nothing.
   */
  async edit(actor: Actor, messageId: string, text: string): Promise<MessageDto> {
    await this.limit(actor);
    const { message } = await this.access.requireMessage(actor, messageId, MessageAction.Edit);
    const mentions = await this.mentions.resolve(actor.userId, message.channelId, text);
    // The audit event names the message, never its text (the versions keep that).
    AuditContext.annotate({ targetId: messageId, details: { channelId: message.channelId } });
    const outcome = await auditedTransaction(
      this.dataSource,
      (manager) => this.messages.edit(actor.userId, messageId, message.channelId, text, mentions, manager),
      (result) => typeof result !== 'string',
    );
    return this.answer(actor, messageId, outcome);
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
