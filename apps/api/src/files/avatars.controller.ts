import { Controller, Delete, Get, Param, ParseUUIDPipe, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { AVATAR_MAX_BYTES, AVATAR_SIZES, AuditAction, AvatarSize, FILES_COOKIE, UserDto } from '@parley/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import type { Request, Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { AcceptsFilesCookie } from '../auth/public.decorator';
import { UserResponseDto } from '../users/dto/user.dto';
import { AvatarService } from './avatar.service';

export class AvatarBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', description: `One image (PNG, JPEG, WebP, GIF, AVIF or TIFF), at most ${AVATAR_MAX_BYTES} bytes` })
  file!: unknown;
}

export class AvatarQueryDto {
  @ApiPropertyOptional({ enum: AVATAR_SIZES, default: 128, description: 'Pixels of the square' })
  @IsOptional()
  @Type(() => Number)
  @IsIn([...AVATAR_SIZES])
  size?: AvatarSize;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class AvatarsController {
  constructor(private readonly avatars: AvatarService) {}

  @Put('users/me/avatar')
  @Audited(AuditAction.UserUpdate, 'user')
  @ApiOperation({
    summary: 'Upload your profile picture (multipart/form-data, field `file`)',
    description: `Cropped to the centred square and kept as WebP in ${AVATAR_SIZES.join(', ')} pixels, without its metadata; avatarUrl names it.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AvatarBodyDto })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'FILE_UPLOAD_INVALID: not multipart, no `file`, or not an image Parley can read' })
  @ApiPayloadTooLargeResponse({ description: `FILE_TOO_LARGE: past ${AVATAR_MAX_BYTES} bytes (answered before the rest is read)` })
  upload(@CurrentUser() user: AuthUser, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<UserDto> {
    return this.avatars.upload(user, request, response);
  }

  @Delete('users/me/avatar')
  @Audited(AuditAction.UserUpdate, 'user')
  @ApiOperation({ summary: 'Remove your profile picture (initials are shown again)' })
  @ApiOkResponse({ type: UserResponseDto })
  remove(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.avatars.remove(user);
  }

  @Get('files/avatars/:userId/:avatarId')
  @AcceptsFilesCookie()
  @ApiCookieAuth(FILES_COOKIE)
  @ApiOperation({
    summary: "A person's profile picture (the address in their avatarUrl)",
    description: `Bearer token, or in a browser the HttpOnly ${FILES_COOKIE} cookie. WebP, cached for good: a new picture has a new address.`,
  })
  @ApiProduces('image/webp')
  @ApiOkResponse({ description: 'The picture' })
  @ApiNotFoundResponse({ description: 'Not (or no longer) that person’s picture' })
  content(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Param('avatarId', new ParseUUIDPipe()) avatarId: string,
    @Query() query: AvatarQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.avatars.content(userId, avatarId, query.size ?? 128, response);
  }
}
