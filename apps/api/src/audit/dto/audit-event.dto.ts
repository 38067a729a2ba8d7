import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditEventDto, AuditEventPage, AuditOutcome, AuditVerifyResult } from '@parley/contracts';
import { AuditEvent } from '../entities/audit-event.entity';

const OUTCOMES: AuditOutcome[] = ['success', 'failure', 'denied'];

export class AuditEventResponseDto implements AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for events outside any workspace (sign-ins)' })
  workspaceId!: string | null;
  @ApiProperty({ description: 'Position in its workspace chain, from 1' }) seq!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ example: 'channel.create' }) action!: string;
  @ApiProperty({ type: String, nullable: true, example: 'channel' }) targetType!: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId!: string | null;
  @ApiProperty({ enum: OUTCOMES }) outcome!: AuditOutcome;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { status: 201 } }) details!: Record<string, unknown>;
  @ApiProperty({ description: 'SHA-256 (hex) of the previous event of the chain; 64 zeros for the first' }) prevHash!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of prevHash and this event’s canonical content' }) hash!: string;
}

export class AuditEventPageDto implements AuditEventPage {
  @ApiProperty({ type: AuditEventResponseDto, isArray: true }) items!: AuditEventResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null at the end' })
  nextCursor!: string | null;
}

export class AuditVerifyResultDto implements AuditVerifyResult {
  @ApiProperty({ description: 'True when every event of the chain holds' }) ok!: boolean;
  @ApiProperty({ description: 'Events examined, up to and including the first broken one' }) checked!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The first event whose prevHash, hash or position does not hold' })
  firstBrokenId?: string;
}

export function toAuditEventDto(event: AuditEvent): AuditEventDto {
  return {
    id: event.id,
    workspaceId: event.workspaceId,
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    outcome: event.outcome,
    ip: event.ip,
    userAgent: event.userAgent,
    details: event.details,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
