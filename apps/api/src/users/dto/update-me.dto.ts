import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPLAY_NAME_MAX_LENGTH, STATUS_TEXT_MAX_LENGTH, UpdateMeRequest } from '@parley/contracts';
import { Transform } from 'class-transformer';
import { Equals, IsBoolean, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
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

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: [null],
    description:
      'Only null, to remove your picture; upload one with PUT /api/users/me/avatar (a picture from another site would tell it who looked)',
  })
  @ValidateIf((_, value) => value !== undefined)
  @Equals(null, { message: 'avatarUrl can only be null (no picture); upload a picture with PUT /api/users/me/avatar' })
  avatarUrl?: null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: STATUS_TEXT_MAX_LENGTH })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(STATUS_TEXT_MAX_LENGTH)
  statusText?: string | null;

  @ApiPropertyOptional({ description: "Send read receipts (others see how far you have read); off, you see nobody's either" })
  @Omittable()
  @IsBoolean()
  readReceipts?: boolean;
}
