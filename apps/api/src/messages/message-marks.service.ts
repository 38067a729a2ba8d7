import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ForwardMessageRequest, MessageDto, PINS_LISTED_MAX, REACTIONS_PER_MESSAGE_MAX } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { ChannelAction, MessageAction } from '@api/access/access.rules';
import { AccessService, Actor } from '@api/access/access.service';
import { AppException } from '@api/common/app-exception';
import { MessageError, MessageException } from '@api/common/domain-errors';
import { normaliseEmoji } from './emoji';
import { MessageRepository } from './message.repository';
import { MessageChangesService } from './message-changes.service';
import { toMessageDto } from './message-mapper';
import { MessagesService, SendResult } from './messages.service';

/**
 * What people put on a stored message besides editing it: reactions and pins, and forwarding it
 * elsewhere. Reactions and pins are changes like edits (the channel's next changeSeq, in the
 * transaction that makes them, see MessageRepository.applyChanges and pin), so live clients and sync see them
 * in order; forwarding is a send.
 */
@Injectable()
export class MessageMarksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly access: AccessService,
    private readonly changes: MessageChangesService,
    private readonly sends: MessagesService,
  ) {}

  /** Adds (`added`) or takes back the actor's reaction (in a batch, see MessageChangesService); doing it again changes nothing and answers the message as it is. */
  async react(actor: Actor, messageId: string, rawEmoji: string, added: boolean): Promise<MessageDto> {
    // Refused before anything is counted or looked up: the emoji is the caller's own text.
    const emoji = normaliseEmoji(rawEmoji);
    if (!emoji) {
      throw new MessageException(MessageError.EmojiUnknown, 'That is not an emoji we know (use the emoji itself or a shortcode such as +1)', [
        { field: 'emoji', errors: ['emoji must be a known emoji or shortcode'] },
      ]);
    }
    await this.changes.limit(actor);
    // The React rule is checked by the batch (see MessageChangesService.react).
    const outcome = await this.changes.react(actor, messageId, emoji, added);
    if (outcome === 'full') {
      throw new MessageException(
        MessageError.ReactionsFull,
        `A message can carry at most ${REACTIONS_PER_MESSAGE_MAX} different emoji; react with one it has`,
      );
    }
    return this.changes.answer(actor, messageId, outcome);
  }

  /** Pins (`pinned`) or unpins the message; doing it again changes nothing. */
  async pin(actor: Actor, messageId: string, pinned: boolean): Promise<MessageDto> {
    await this.changes.limit(actor);
    const { message } = await this.access.requireMessage(actor, messageId, MessageAction.Pin);
    const outcome = await this.dataSource.transaction((manager) => this.messages.pin(actor.userId, messageId, message.channelId, pinned, manager));
    return this.changes.answer(actor, messageId, outcome);
  }

  /** The channel's pinned messages (never deleted ones), the most recently pinned first. */
  async pins(actor: Actor, channelId: string): Promise<MessageDto[]> {
    await this.access.requireChannel(actor, channelId, ChannelAction.Read);
    return (await this.messages.findPinned(channelId, actor.userId, PINS_LISTED_MAX)).map(toMessageDto);
  }

  /**
   * A new message in the target channel quoting the source as it is now, with the comment as its
   * text. The source must be readable (else 404 for it, as for any message one may not see); the
   * target is a send's, with a send's answers (404, 403 join, 409 archived) and idempotency.
   */
  async forward(actor: Actor, messageId: string, request: ForwardMessageRequest): Promise<SendResult> {
    await this.access.requireMessage(actor, messageId, MessageAction.Forward);
    const source = await this.messages.findOne(messageId, actor.userId);
    // Deleted since the check: as if it never was.
    if (!source || source.deleted_at !== null) throw AppException.notFound('Message');
    const quoted = toMessageDto(source);
    return this.sends.send(
      actor.userId,
      request.channelId,
      { text: request.comment ?? '', clientMsgId: request.clientMsgId },
      { messageId: quoted.id, channelId: quoted.channelId, senderId: quoted.senderId, createdAt: quoted.createdAt, text: quoted.text },
    );
  }
}
