import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FileDto, FilePage, FILES_PAGE_MAX } from '@parley/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { FileResponseDto } from './file.dto';

/** `GET /api/channels/:id/files`: keyset paging by a file id (the previous page's nextBefore). */
export class FilePageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The files uploaded before this file of the channel (pass the previous page's nextBefore); left out: the newest. Not a file of this channel: 400",
  })
  @IsOptional()
  @IsUUID()
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: FILES_PAGE_MAX, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(FILES_PAGE_MAX)
  limit?: number;
}

export class FilePageDto implements FilePage {
  @ApiProperty({
    type: FileResponseDto,
    isArray: true,
    description: 'Attached to a message that is not deleted, the newest upload first',
  })
  items!: FileDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'Pass as before for the next (older) page; null at the end',
  })
  nextBefore!: string | null;
}
