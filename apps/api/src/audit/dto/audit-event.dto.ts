import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AuditCheckpointDto,
  AuditEventDto,
  AuditEventPage,
  AuditOutcome,
  AuditVerifyProblem,
  AuditVerifyResult,
} from '@parley/contracts';
import type { StoredAuditEvent, StoredCheckpoint } from '../audit-rows';

const OUTCOMES: AuditOutcome[] = ['success', 'failure', 'denied'];

export class AuditEventResponseDto implements AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for events outside any workspace (sign-ins)' })
  workspaceId!: string | null;
  @ApiProperty({ description: 'Position in its workspace chain, from 1' }) seq!: number;
  @ApiProperty({
    format: 'date-time',
    description: 'To the microsecond, as the hash covers it',
    example: '2026-01-02T03:04:05.006123Z',
  })
  occurredAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ example: 'channel.create' }) action!: string;
  @ApiProperty({ type: String, nullable: true, example: 'channel' }) targetType!: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId!: string | null;
  @ApiProperty({ enum: OUTCOMES }) outcome!: AuditOutcome;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { status: 201 } }) details!: Record<string, unknown>;
  @ApiProperty({ description: 'The hash of the previous event of the chain; 64 zeros for the first' }) prevHash!: string;
  @ApiProperty({ description: 'HMAC-SHA-256 (hex), with the server’s audit key, of prevHash and every other field' })
  hash!: string;
  @ApiProperty({ description: '2: keyed HMAC; 1: unkeyed SHA-256 of events written before keyed chains' }) hashVersion!: number;
}

export class AuditEventPageDto implements AuditEventPage {
  @ApiProperty({ type: AuditEventResponseDto, isArray: true }) items!: AuditEventResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null at the end' })
  nextCursor!: string | null;
}

const PROBLEMS: AuditVerifyProblem[] = [
  'sequence',
  'prev_hash',
  'hash',
  'checkpoint_signature',
  'checkpoint_mismatch',
  'truncated',
];

export class AuditVerifyResultDto implements AuditVerifyResult {
  @ApiProperty({ description: 'True when every event of the chain and every checkpoint holds' }) ok!: boolean;
  @ApiProperty({ description: 'Events examined, up to and including the first broken one' }) checked!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The first event whose prevHash, hash or position does not hold' })
  firstBrokenId?: string;
  @ApiPropertyOptional({ enum: PROBLEMS, description: 'What does not hold' }) problem?: AuditVerifyProblem;
  @ApiPropertyOptional({ description: 'What is wrong, for a person' }) message?: string;
  @ApiProperty({ description: 'Signed checkpoints of the chain that were checked' }) checkpoints!: number;
}

export function toAuditCheckpointDto(checkpoint: StoredCheckpoint): AuditCheckpointDto {
  return {
    id: checkpoint.id,
    workspaceId: checkpoint.workspaceId,
    eventCount: checkpoint.eventCount,
    headHash: checkpoint.headHash,
    createdAt: checkpoint.createdAt,
    reason: checkpoint.reason,
    signature: checkpoint.signature,
  };
}

export function toAuditEventDto(event: StoredAuditEvent): AuditEventDto {
  return {
    id: event.id,
    workspaceId: event.workspaceId,
    seq: event.seq,
    occurredAt: event.occurredAt,
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
    hashVersion: event.hashVersion,
  };
}
