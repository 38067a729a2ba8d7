import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPLAY_NAME_MAX_LENGTH, STATUS_TEXT_MAX_LENGTH, UpdateMeRequest } from '@parley/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { trim } from '@api/common/transforms';
import { Omittable } from '@api/common/validation';

export class UpdateMeDto implements UpdateMeRequest {
  @ApiPropertyOptional({ maxLength: DISPLAY_NAME_MAX_LENGTH })
  @Omittable()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'An https URL, or null to remove it' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2048)
  avatarUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: STATUS_TEXT_MAX_LENGTH })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(STATUS_TEXT_MAX_LENGTH)
  statusText?: string | null;

  @ApiPropertyOptional({ description: 'Send read receipts (others see how far you have read); off, you see nobody\'s either' })
  @Omittable()
  @IsBoolean()
  readReceipts?: boolean;
}
