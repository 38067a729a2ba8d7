import type { AuditOutcome } from '@parley/contracts';
import { AuditContent, CheckpointContent, exactTimeSql } from './audit-hash';

/** An event as stored, its time exact to the microsecond. */
export interface StoredAuditEvent extends AuditContent {
  prevHash: string;
  hash: string;
}

export interface StoredCheckpoint extends CheckpointContent {
  signature: string;
}

/**
 * The columns of `audit_events e`, the time as exact text. Every read of events goes through
 * these (not the entity), because a JavaScript Date would drop the microseconds the hash covers.
 */
export const AUDIT_EVENT_COLUMNS = `e.id, e.workspace_id, e.seq, ${exactTimeSql('e.occurred_at')} AS occurred_at, e.actor_id, e.action,
  e.target_type, e.target_id, e.outcome, e.ip, e.user_agent, e.details, e.prev_hash, e.hash, e.hash_version`;

export const AUDIT_CHECKPOINT_COLUMNS = `c.id, c.workspace_id, c.event_count, c.head_hash, ${exactTimeSql('c.created_at')} AS created_at,
  c.reason, c.signature`;

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

/** `workspace_id = $n`, or `IS NULL` for the chain outside workspaces, with the parameter it needs. */
export function chainClause(column: string, workspaceId: string | null, params: unknown[]): string {
  if (workspaceId === null) return `${column} IS NULL`;
  params.push(workspaceId);
  return `${column} = $${params.length}`;
}
