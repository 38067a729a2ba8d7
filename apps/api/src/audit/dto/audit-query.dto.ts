import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { AuditFilters } from '../audit.repository';
import { AUDIT_EXPORT_FORMATS, AuditExportFormat } from '../audit-export.service';

export class AuditFiltersDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only events by this user' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'member.role.change', description: 'Only events with exactly this action' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  action?: string;

  @ApiPropertyOptional({ description: 'Only events about this target (a channel, member, role… id)' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  targetId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ListAuditEventsQueryDto extends AuditFiltersDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'cursor must be a nextCursor value from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ExportAuditEventsQueryDto extends AuditFiltersDto {
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format!: AuditExportFormat;
}

export function toAuditFilters(query: AuditFiltersDto): AuditFilters {
  return {
    actorId: query.actorId,
    action: query.action,
    targetId: query.targetId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}
