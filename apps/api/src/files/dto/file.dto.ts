import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FileDto, FileKind, UploadResult } from '@parley/contracts';
import { IsIn, IsOptional } from 'class-validator';

export class FileResponseDto implements FileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ format: 'uuid' }) uploaderId!: string;
  @ApiProperty({ description: 'Sanitised: no path, control or bidi characters' }) name!: string;
  @ApiProperty({ description: 'Bytes of the original' }) size!: number;
  @ApiProperty({ description: 'Detected from the bytes, not taken from the client' }) mimeType!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Pixels of an image, orientation applied' }) width!: number | null;
  @ApiProperty({ type: Number, nullable: true }) height!: number | null;
  @ApiProperty({ enum: ['image', 'video', 'audio', 'file'] }) kind!: FileKind;
  @ApiProperty({ description: 'The bytes: GET it with the bearer token, or in a browser with the parley_files cookie' }) url!: string;
  @ApiProperty({ type: String, nullable: true, description: 'An image: its preview (WebP)' }) previewUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'An image: its thumbnail (WebP)' }) thumbnailUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The message it is attached to; null until sent' }) messageId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class UploadResponseDto implements UploadResult {
  @ApiProperty({ type: FileResponseDto, isArray: true, description: 'The files in the order they were sent' }) files!: FileResponseDto[];
}

/** The multipart body of an upload, for Swagger (the route reads the stream itself). */
export class UploadBodyDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'One to FILES_PER_MESSAGE_MAX files, each a part named `file`' })
  file!: unknown[];
}

export class FileContentQueryDto {
  @ApiPropertyOptional({ enum: ['preview', 'thumbnail'], description: "An image's WebP rendition instead of the original" })
  @IsOptional()
  @IsIn(['preview', 'thumbnail'])
  variant?: 'preview' | 'thumbnail';

  @ApiPropertyOptional({ enum: ['1', 'true'], description: 'Always answer as an attachment (a download), whatever the type' })
  @IsOptional()
  @IsIn(['1', 'true'])
  download?: '1' | 'true';
}
