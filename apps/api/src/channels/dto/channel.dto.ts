import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AddChannelMembersRequest,
  CHANNEL_NAME_MAX_LENGTH,
  CHANNEL_NAME_PATTERN,
  ChannelDto,
  ChannelMemberDto,
  ChannelType,
  ChannelVisibility,
  CreateChannelRequest,
  GROUP_DM_MAX_PEOPLE,
  OpenDmRequest,
  UpdateChannelRequest,
} from '@parley/contracts';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { trim } from '@api/common/transforms';
import { Omittable } from '@api/common/validation';

const NAME_RULE = 'name must be lowercase letters, digits, hyphens or underscores, without spaces';

export class CreateChannelDto implements CreateChannelRequest {
  @ApiProperty({ example: 'design-reviews', maxLength: CHANNEL_NAME_MAX_LENGTH, pattern: CHANNEL_NAME_PATTERN.source })
  @IsString()
  @MaxLength(CHANNEL_NAME_MAX_LENGTH)
  @Matches(CHANNEL_NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiProperty({ enum: ['public', 'private'] })
  @IsIn(['public', 'private'])
  visibility!: ChannelVisibility;

  @ApiPropertyOptional({ maxLength: 250 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(250)
  topic?: string;
}

export class UpdateChannelDto implements UpdateChannelRequest {
  @ApiPropertyOptional({ maxLength: CHANNEL_NAME_MAX_LENGTH, pattern: CHANNEL_NAME_PATTERN.source })
  @Omittable()
  @IsString()
  @MaxLength(CHANNEL_NAME_MAX_LENGTH)
  @Matches(CHANNEL_NAME_PATTERN, { message: NAME_RULE })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 250 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(250)
  topic?: string | null;
}

export class AddChannelMembersDto implements AddChannelMembersRequest {
  @ApiProperty({ type: String, format: 'uuid', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds!: string[];
}

export class OpenDmDto implements OpenDmRequest {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: `The other people: 1 for a DM, up to ${GROUP_DM_MAX_PEOPLE - 1} for a group DM` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(GROUP_DM_MAX_PEOPLE)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds!: string[];
}

export class ChannelResponseDto implements ChannelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workspaceId!: string;
  @ApiProperty({ enum: ['public', 'private', 'dm', 'group_dm'] }) type!: ChannelType;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) archivedAt!: string | null;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ description: 'Whether you are a member' }) member!: boolean;
  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true }) dmUserIds?: string[];
  @ApiProperty({ description: 'The seq of the newest message (0 when empty)' }) lastSeq!: number;
  @ApiProperty({ description: 'The newest changeSeq (0 when no message was edited or deleted): the change cursor to sync from' }) lastChangeSeq!: number;
  @ApiProperty({ description: 'Your read position' }) lastReadSeq!: number;
  @ApiProperty({ description: 'lastSeq − lastReadSeq for members; sending marks the channel read' }) unreadCount!: number;
  @ApiProperty({ description: 'Unread messages that mention you (by name, @channel or @here), thread replies included' }) mentionCount!: number;
}

export class ChannelMemberResponseDto implements ChannelMemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) avatarUrl!: string | null;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}
