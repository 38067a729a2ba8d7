import type { AuditOutcome } from '@parley/contracts';
import { AuditContent, CheckpointContent } from './audit-hash';

/** An event as stored, its time exact to the microsecond. */
export interface StoredAuditEvent extends AuditContent {
  prevHash: string;
  hash: string;
}

export interface StoredCheckpoint extends CheckpointContent {
  signature: string;
}

/** An audit_events row as AuditRepository selects it, the time as exact text. */
export interface AuditEventRow {
  id: string;
  workspace_id: string | null;
  seq: string | number;
  occurred_at: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  hash_version: number;
}

/** An audit_checkpoints row, likewise. */
export interface AuditCheckpointRow {
  id: string;
  workspace_id: string | null;
  event_count: string | number;
  head_hash: string;
  created_at: string;
  reason: string;
  signature: string;
}

export function toStoredEvent(row: AuditEventRow): StoredAuditEvent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
    hashVersion: Number(row.hash_version),
  };
}

export function toStoredCheckpoint(row: AuditCheckpointRow): StoredCheckpoint {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    eventCount: Number(row.event_count),
    headHash: row.head_hash,
    createdAt: row.created_at,
    reason: row.reason,
    signature: row.signature,
  };
}
