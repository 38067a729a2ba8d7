import { ReactionRef, SetStatus, SyncRequest } from '@parley/contracts';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { AppException } from '../common/app-exception';
import { EditMessageDto, SendMessageDto } from '../messages/dto/message.dto';
import { MAX_WHOLE_NUMBER } from '../common/validation';

export class ChannelRefDto {
  @IsUUID()
  channelId!: string;
}

export class SocketSendMessageDto extends SendMessageDto {
  @IsUUID()
  channelId!: string;
}

export class SocketEditMessageDto extends EditMessageDto {
  @IsUUID()
  messageId!: string;
}

export class SocketReactionDto implements ReactionRef {
  @IsUUID()
  messageId!: string;

  /** Checked against the emoji we know by the service (EMOJI_UNKNOWN), as the route's path segment is. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  emoji!: string;
}

export class SocketMarkReadDto extends ChannelRefDto {
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  seq!: number;
}

export class SetStatusDto {
  @IsIn(['online', 'away', 'dnd', 'invisible'])
  status!: SetStatus;
}

export class SyncDto implements SyncRequest {
  @IsObject()
  cursors!: Record<string, number>;

  @IsOptional()
  @IsObject()
  changeCursors?: Record<string, number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SYNC_MAX_CHANNELS = 1000;

/** Cursors (and change cursors, named by `field`) must map channel ids to whole numbers ≥ 0. */
export function checkCursors(cursors: Record<string, unknown>, field: 'cursors' | 'changeCursors' = 'cursors'): Record<string, number> {
  const entries = Object.entries(cursors);
  const bad = entries.filter(([id, seq]) => !UUID.test(id) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0);
  if (bad.length || entries.length > SYNC_MAX_CHANNELS) {
    throw AppException.invalid(
      entries.length > SYNC_MAX_CHANNELS
        ? `At most ${SYNC_MAX_CHANNELS} channels per sync`
        : `${field} must map channel ids to a ${field === 'cursors' ? 'seq' : 'changeSeq'} (a whole number ≥ 0): ${bad.map(([id]) => id).slice(0, 5).join(', ')}`,
    );
  }
  return cursors as Record<string, number>;
}
