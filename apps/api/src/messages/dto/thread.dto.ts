import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HISTORY_PAGE_MAX, MessageDto, ReplyPageQuery, ThreadDto, ThreadFollowState } from '@parley/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_WHOLE_NUMBER } from '@api/common/validation';
import { MessageResponseDto } from './message.dto';

export class ReplyPageQueryDto implements ReplyPageQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_WHOLE_NUMBER, default: 0, description: 'Replies with a greater seq (from the first by default)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_PAGE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;
}

/** `POST /api/messages/:id/replies/read`: you have read the thread up to this reply's seq. */
export class ThreadReadDto {
  @ApiProperty({ minimum: 0, maximum: MAX_WHOLE_NUMBER, description: "A reply's seq; capped at the newest reply, and never moves back" })
  @IsInt()
  @Min(0)
  @Max(MAX_WHOLE_NUMBER)
  seq!: number;
}

export class ThreadFollowStateResponseDto implements ThreadFollowState {
  @ApiProperty({ format: 'uuid' }) rootId!: string;
  @ApiProperty() following!: boolean;
  @ApiProperty({ description: "Your read position in the thread (a reply's seq; 0 for none)" }) lastReadSeq!: number;
  @ApiProperty({ description: 'Replies by others after your read position (deleted ones not counted)' }) unreadReplies!: number;
}

export class ThreadResponseDto implements ThreadDto {
  @ApiProperty({ type: MessageResponseDto }) root!: MessageDto;
  @ApiProperty({ description: 'Replies by others after your read position (deleted ones not counted)' }) unreadReplies!: number;
  @ApiProperty() following!: boolean;
  @ApiProperty({ description: "Your read position in the thread (a reply's seq; 0 for none)" }) lastReadSeq!: number;
}
