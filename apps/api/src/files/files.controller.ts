import { Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPartialContentResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiBadRequestResponse,
  ApiResponse,
} from '@nestjs/swagger';
import { FileDto, FILES_COOKIE, FILES_PER_MESSAGE_MAX, UploadResult } from '@parley/contracts';
import type { Request, Response } from 'express';
import { InChannel, OnFile } from '../access/access.decorators';
import { ChannelAction } from '../access/access.rules';
import { NotAudited } from '../audit/audited.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { AcceptsFilesCookie } from '../auth/public.decorator';
import { FileContentQueryDto, FileResponseDto, UploadBodyDto, UploadResponseDto } from './dto/file.dto';
import { DownloadService } from './download.service';
import { UploadService } from './upload.service';

@ApiTags('files')
@ApiBearerAuth()
@Controller()
export class FilesController {
  constructor(
    private readonly uploads: UploadService,
    private readonly downloads: DownloadService,
  ) {}

  @NotAudited('uploading is the flow of conversation, as the send that carries the files is')
  @Post('channels/:id/files')
  @HttpCode(HttpStatus.CREATED)
  @InChannel('id', ChannelAction.Post)
  @ApiOperation({
    summary: 'Upload files into a channel (multipart/form-data, each in a field named `file`), to attach to a message',
    description:
      `1 to ${FILES_PER_MESSAGE_MAX} files, streamed. The type is found from the bytes and the name sanitised; images are ` +
      'oriented, stripped of their metadata (EXIF, GPS) and get a WebP preview and thumbnail. Until a message carries them, only you see them.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadBodyDto })
  @ApiCreatedResponse({ type: UploadResponseDto })
  @ApiBadRequestResponse({ description: 'FILE_UPLOAD_INVALID: not multipart, no `file`, an empty file, or too many' })
  @ApiPayloadTooLargeResponse({ description: 'FILE_TOO_LARGE (past FILE_MAX_BYTES, answered before the rest is read) or FILE_QUOTA_EXCEEDED' })
  @ApiTooManyRequestsResponse({ description: 'Uploading too fast (counted as sends are)' })
  upload(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UploadResult> {
    return this.uploads.upload(user, id, request, response);
  }

  @Get('files/:id')
  @OnFile('id', ChannelAction.Read)
  @ApiOperation({ summary: "A file's metadata" })
  @ApiOkResponse({ type: FileResponseDto })
  metadata(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<FileDto> {
    return this.downloads.metadata(user, id);
  }

  @Get('files/:id/content')
  @OnFile('id', ChannelAction.Read)
  @AcceptsFilesCookie()
  @ApiCookieAuth(FILES_COOKIE)
  @ApiOperation({
    summary: "A file's bytes (or an image's preview or thumbnail), with range requests",
    description:
      `Bearer token, or in a browser the HttpOnly ${FILES_COOKIE} cookie. Always with X-Content-Type-Options: nosniff, ` +
      'Content-Security-Policy: sandbox and Cache-Control: private; inline only for safe image, video and audio types, ' +
      'an attachment for everything else (HTML, SVG, XML and PDF always). With S3_PRESIGNED_DOWNLOADS, a 302 to a 60-second presigned URL.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes' })
  @ApiPartialContentResponse({ description: 'The range asked for, with Content-Range' })
  @ApiFoundResponse({ description: 'S3_PRESIGNED_DOWNLOADS: the presigned URL of the bytes (60 s)' })
  @ApiResponse({ status: 416, description: 'The range cannot be served' })
  content(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: FileContentQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.downloads.content(user, id, query.variant ?? 'original', query.download !== undefined, request, response);
  }
}
