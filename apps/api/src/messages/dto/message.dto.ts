import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BroadcastMention, EditMessageRequest, FileDto, FILES_PER_MESSAGE_MAX, FORWARD_COMMENT_MAX_LENGTH, ForwardMessageRequest, ForwardedFrom, HISTORY_PAGE_MAX, MESSAGE_MAX_LENGTH, MarkReadRequest, MessageDto, MessageMentions, MessagePage, MessageVersionDto, REACTION_USERS_SHOWN, ReactionDto, SendMessageRequest, SentMessage, THREAD_REPLIERS_SHOWN } from '@parley/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { MAX_WHOLE_NUMBER, Omittable } from '@api/common/validation';
import { FileResponseDto } from '@api/files/dto/file.dto';

/** 1 to 10,000 characters once surrounding white space is ignored; stored as written. */
@ValidatorConstraint({ name: 'messageText' })
export class MessageTextRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.trim().length >= 1 && value.trim().length <= MESSAGE_MAX_LENGTH;
  }

  defaultMessage(): string {
    return `text must be 1 to ${MESSAGE_MAX_LENGTH} characters (not counting surrounding spaces)`;
  }
}

/**
 * A send's text: as MessageTextRule, but it may be empty (or only spaces) when the send carries
 * files (`fileIds` with at least one id): a message may be files and no words.
 */
@ValidatorConstraint({ name: 'sendText' })
export class SendTextRule implements ValidatorConstraintInterface {
  private readonly text = new MessageTextRule();

  validate(value: unknown, { object }: ValidationArguments): boolean {
    const { fileIds } = object as SendMessageRequest;
    if (Array.isArray(fileIds) && fileIds.length > 0) return typeof value === 'string' && value.trim().length <= MESSAGE_MAX_LENGTH;
    return this.text.validate(value);
  }

  defaultMessage(): string {
    return `text must be 1 to ${MESSAGE_MAX_LENGTH} characters (not counting surrounding spaces); it may be empty only with fileIds`;
  }
}

/** "Also send to channel" names a thread: true without threadRootId is a mistake worth telling the client about (false is harmless). */
@ValidatorConstraint({ name: 'alsoSendToChannel' })
export class OnlyWithThreadRoot implements ValidatorConstraintInterface {
  validate(value: unknown, { object }: ValidationArguments): boolean {
    return value !== true || typeof (object as SendMessageRequest).threadRootId === 'string';
  }

  defaultMessage(): string {
    return 'alsoSendToChannel is only for a thread reply (with threadRootId)';
  }
}

export class SendMessageDto implements SendMessageRequest {
  @ApiProperty({ maxLength: MESSAGE_MAX_LENGTH, example: 'Hello, team!', description: 'May be empty when fileIds has at least one file' })
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH * 2)
  @Validate(SendTextRule)
  text!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    isArray: true,
    maxItems: FILES_PER_MESSAGE_MAX,
    description:
      'Files to attach, in this order: each uploaded to this channel by you (POST /api/channels/:id/files) and not yet sent. ' +
      'Any other id fails the whole send with 400 FILE_NOT_ATTACHABLE (nothing is stored; the files stay attachable)',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(FILES_PER_MESSAGE_MAX)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  fileIds?: string[];

  @ApiProperty({ format: 'uuid', description: 'Made by the client; a retry with the same one returns the stored message' })
  @IsUUID()
  clientMsgId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reply in the thread of this message' })
  @IsOptional()
  @IsUUID()
  threadRootId?: string;

  @ApiPropertyOptional({ description: 'With threadRootId: show the reply in the channel history too. True without threadRootId: 400' })
  @IsOptional()
  @IsBoolean()
  @Validate(OnlyWithThreadRoot)
  alsoSendToChannel?: boolean;
}

/** The same text rule as a send. */
export class EditMessageDto implements EditMessageRequest {
  @ApiProperty({ maxLength: MESSAGE_MAX_LENGTH, example: 'Hello, team! (fixed)' })
  @IsString()
  @MaxLength(MESSAGE_MAX_LENGTH * 2)
  @Validate(MessageTextRule)
  text!: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_WHOLE_NUMBER, description: 'Messages with a smaller seq (older), newest of them first picked' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_WHOLE_NUMBER)
  before?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_WHOLE_NUMBER, description: 'Messages with a greater seq (newer)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  after?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_WHOLE_NUMBER,
    description: 'The page centred on this seq (a permalink): about half older, the message, the rest newer. Not with before or after',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  around?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_PAGE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;
}

export class MarkReadDto implements MarkReadRequest {
  @ApiProperty({ minimum: 0, maximum: MAX_WHOLE_NUMBER })
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  seq!: number;
}

export class MessageResponseDto implements MessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'uuid' }) senderId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'uuid' }) clientMsgId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) editedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) deletedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The thread root this replies to' }) threadRootId!: string | null;
  @ApiProperty({ description: 'A thread reply also shown in the channel history' }) alsoInChannel!: boolean;
  @ApiProperty({ description: 'On a thread root: its replies' }) replyCount!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastReplyAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: `The first ${THREAD_REPLIERS_SHOWN} distinct repliers` }) replierIds!: string[];
  @ApiProperty({ type: () => ReactionResponseDto, isArray: true }) reactions!: ReactionDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) pinnedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) pinnedBy!: string | null;
  @ApiProperty({ type: () => ForwardedFromResponseDto, nullable: true }) forwardedFrom!: ForwardedFrom | null;
  @ApiProperty({ type: () => MessageMentionsResponseDto, description: 'Who the text mentions (<@userId>, <#channelId>, @channel, @here), resolved by the server' })
  mentions!: MessageMentions;
  @ApiProperty({ type: () => FileResponseDto, isArray: true, description: 'Attached files, in the order sent; empty once deleted' }) files!: FileDto[];
}

export class MessageMentionsResponseDto implements MessageMentions {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'People of the workspace mentioned with <@id>, in order' }) userIds!: string[];
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'Channels linked with <#id> that the sender could see' }) channelIds!: string[];
  @ApiProperty({ type: String, enum: ['channel', 'here'], nullable: true, description: '@channel / @here, when the workspace let the sender notify everyone' })
  broadcast!: BroadcastMention | null;
}

/** The answer to the sender of a message. */
export class SentMessageResponseDto extends MessageResponseDto implements SentMessage {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'People it mentions who are not in the channel (not notified): offer to add them' })
  mentionedNonMembers!: string[];
  @ApiProperty({ type: String, enum: ['channel', 'here'], nullable: true, description: 'Set when @channel/@here was written but the workspace setting broadcastMentions does not let you notify everyone' })
  broadcastRefused!: BroadcastMention | null;
}

export class ReactionResponseDto implements ReactionDto {
  @ApiProperty({ description: 'The emoji itself (Unicode)' }) emoji!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: `The first ${REACTION_USERS_SHOWN} who reacted with it` }) userIds!: string[];
  @ApiProperty({ description: 'Whether you reacted with it' }) me!: boolean;
}

export class ForwardedFromResponseDto implements ForwardedFrom {
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ format: 'uuid' }) senderId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The source text when it was forwarded' }) text!: string;
}

export class MessagePageDto implements MessagePage {
  @ApiProperty({ type: MessageResponseDto, isArray: true }) items!: MessageDto[];
  @ApiProperty({ description: 'More beyond this page: older for before/newest and around, newer for after' }) hasMore!: boolean;
  @ApiPropertyOptional({ description: 'For around only: newer messages exist beyond this page' }) hasMoreAfter?: boolean;
}

/** `POST /api/messages/:id/forward`. */
export class ForwardMessageDto implements ForwardMessageRequest {
  @ApiProperty({ format: 'uuid', description: 'The channel to forward into (you must be allowed to post there)' })
  @IsUUID()
  channelId!: string;

  @ApiPropertyOptional({ maxLength: FORWARD_COMMENT_MAX_LENGTH, description: 'Your words above the quote; may be empty' })
  @IsOptional()
  @IsString()
  @MaxLength(FORWARD_COMMENT_MAX_LENGTH)
  comment?: string;

  @ApiProperty({ format: 'uuid', description: 'As for a send: forwarding again with the same one returns the stored message' })
  @IsUUID()
  clientMsgId!: string;
}

export class MessageVersionResponseDto implements MessageVersionDto {
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'date-time', description: "When this text was written: the message's creation, or the edit that made it" }) writtenAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When an edit replaced it' }) replacedAt!: string;
}
