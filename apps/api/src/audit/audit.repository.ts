import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { GENESIS_HASH } from './audit-hash';
import {
  AuditCheckpointRow,
  AuditEventRow,
  StoredAuditEvent,
  StoredCheckpoint,
  toStoredCheckpoint,
  toStoredEvent,
} from './audit-rows';

export interface AuditFilters {
  actorId?: string;
  action?: string;
  targetId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** A page of a workspace's events: newest first below `beforeSeq`, or oldest first above `afterSeq`. */
export type AuditEventWindow = { order: 'DESC'; beforeSeq?: number; limit: number } | { order: 'ASC'; afterSeq: number; limit: number };

/** The last event of a chain: seq 0 and GENESIS_HASH when the chain is empty. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * A timestamptz as text in UTC with all six fractional digits, the same whatever the session's
 * time zone: what the hash covers, so a shift of one microsecond shows.
 */
const exactTimeSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The columns of `audit_events e`, the time as exact text. Every read of events goes through
 * these (not the entity), because a JavaScript Date would drop the microseconds the hash covers.
 */
const EVENT_COLUMNS = `e.id, e.workspace_id, e.seq, ${exactTimeSql('e.occurred_at')} AS occurred_at, e.actor_id, e.action,
  e.target_type, e.target_id, e.outcome, e.ip, e.user_agent, e.details, e.prev_hash, e.hash, e.hash_version`;

const CHECKPOINT_COLUMNS = `c.id, c.workspace_id, c.event_count, c.head_hash, ${exactTimeSql('c.created_at')} AS created_at,
  c.reason, c.signature`;

/** The first key of the advisory locks that serialise appends to one chain (the second is the chain's). */
const CHAIN_LOCK_CLASS = 0x4175_6469; // "Audi"
const GLOBAL_CHAIN = 'global';

/**
 * audit_events and audit_checkpoints. The methods that extend a chain (and those that read
 * its head for that) take the manager of the transaction that holds the chain's lock
 * (`lockChain`), never a default: outside it, two appends could pick the same place.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The chains each open transaction holds (by its manager, which lives as long as the transaction). */
  private readonly held = new WeakMap<EntityManager, Set<string>>();

  /**
   * Waits for, then holds until the transaction ends, the right to extend the chain (null:
   * outside workspaces). A transaction that holds it already (auditedTransaction takes it first,
   * the append again) does not ask the database twice.
   */
  async lockChain(workspaceId: string | null, manager: EntityManager): Promise<void> {
    const chain = workspaceId ?? GLOBAL_CHAIN;
    const held = this.held.get(manager) ?? new Set<string>();
    if (held.has(chain)) return;
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK_CLASS, chain]);
    held.add(chain);
    this.held.set(manager, held);
  }

  async findHead(workspaceId: string | null, manager: EntityManager): Promise<ChainHead> {
    const { seq, hash } = await this.head(workspaceId, false, manager);
    return { seq, hash };
  }

  /** The head and, in the same query, the database's clock as exact text (the time of the event about to follow it). */
  async findHeadAndClock(workspaceId: string | null, manager: EntityManager): Promise<ChainHead & { now: string }> {
    const { seq, hash, now } = await this.head(workspaceId, true, manager);
    return { seq, hash, now: now! };
  }

  /** The database's clock as exact text. */
  async clock(manager: EntityManager): Promise<string> {
    const [{ now }]: { now: string }[] = await manager.query(`SELECT ${exactTimeSql('clock_timestamp()')} AS now`);
    return now;
  }

  async insertEvent(event: StoredAuditEvent, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (id, workspace_id, seq, occurred_at, actor_id, action, target_type, target_id, outcome, ip,
                                 user_agent, details, prev_hash, hash, hash_version)
       VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)`,
      [
        event.id,
        event.workspaceId,
        event.seq,
        event.occurredAt,
        event.actorId,
        event.action,
        event.targetType,
        event.targetId,
        event.outcome,
        event.ip,
        event.userAgent,
        JSON.stringify(event.details),
        event.prevHash,
        event.hash,
        event.hashVersion,
      ],
    );
  }

  async insertCheckpoint(checkpoint: StoredCheckpoint, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_checkpoints (id, workspace_id, event_count, head_hash, created_at, reason, signature)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7)`,
      [
        checkpoint.id,
        checkpoint.workspaceId,
        checkpoint.eventCount,
        checkpoint.headHash,
        checkpoint.createdAt,
        checkpoint.reason,
        checkpoint.signature,
      ],
    );
  }

  /** The chain's checkpoint that counts the most events (the newest of those), or null. */
  async findLatestCheckpoint(workspaceId: string | null, manager: EntityManager): Promise<StoredCheckpoint | null> {
    const params: unknown[] = [];
    const [latest]: AuditCheckpointRow[] = await manager.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints c WHERE ${chainClause('c.workspace_id', workspaceId, params)}
        ORDER BY c.event_count DESC, c.created_at DESC LIMIT 1`,
      params,
    );
    return latest ? toStoredCheckpoint(latest) : null;
  }

  /** Every checkpoint of a chain, oldest first. */
  async findCheckpoints(workspaceId: string | null): Promise<StoredCheckpoint[]> {
    const params: unknown[] = [];
    const rows: AuditCheckpointRow[] = await this.dataSource.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints c WHERE ${chainClause('c.workspace_id', workspaceId, params)}
        ORDER BY c.event_count, c.created_at`,
      params,
    );
    return rows.map(toStoredCheckpoint);
  }

  /** Up to `limit` events of a chain after `afterSeq`, in chain order. */
  async findChainEvents(workspaceId: string | null, afterSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    const params: unknown[] = [];
    const clause = chainClause('e.workspace_id', workspaceId, params);
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events e WHERE ${clause} AND e.seq > $${params.push(afterSeq)}
        ORDER BY e.seq LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  /** A workspace's events that match the filters, one window of them (keyset on seq). */
  async findEvents(workspaceId: string, filters: AuditFilters, window: AuditEventWindow): Promise<StoredAuditEvent[]> {
    const params: unknown[] = [];
    const where = [`e.workspace_id = $${params.push(workspaceId)}`];
    if (filters.actorId) where.push(`e.actor_id = $${params.push(filters.actorId)}`);
    if (filters.action) where.push(`e.action = $${params.push(filters.action)}`);
    if (filters.targetId) where.push(`e.target_id = $${params.push(filters.targetId)}`);
    if (filters.from) where.push(`e.occurred_at >= $${params.push(filters.from)}`);
    if (filters.to) where.push(`e.occurred_at < $${params.push(filters.to)}`);
    if (window.order === 'ASC') where.push(`e.seq > $${params.push(window.afterSeq)}`);
    else if (window.beforeSeq !== undefined) where.push(`e.seq < $${params.push(window.beforeSeq)}`);
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events e WHERE ${where.join(' AND ')}
        ORDER BY e.seq ${window.order} LIMIT $${params.push(window.limit)}`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  /** The chains (workspace ids; null: outside workspaces) with an event at or after `since`. */
  async findChainsWithEventsSince(since: Date): Promise<(string | null)[]> {
    const rows: { workspace_id: string | null }[] = await this.dataSource.query(
      'SELECT DISTINCT workspace_id FROM audit_events WHERE occurred_at >= $1',
      [since],
    );
    return rows.map((row) => row.workspace_id);
  }

  private async head(
    workspaceId: string | null,
    withClock: boolean,
    manager: EntityManager,
  ): Promise<ChainHead & { now: string | null }> {
    const params: unknown[] = [];
    const [row]: { seq: string | null; hash: string | null; now: string | null }[] = await manager.query(
      `SELECT h.seq, h.hash, ${withClock ? exactTimeSql('clock_timestamp()') : 'NULL'} AS now
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT e.seq, e.hash FROM audit_events e
                             WHERE ${chainClause('e.workspace_id', workspaceId, params)} ORDER BY e.seq DESC LIMIT 1) h ON true`,
      params,
    );
    return { seq: row.seq === null ? 0 : Number(row.seq), hash: row.hash ?? GENESIS_HASH, now: row.now };
  }
}

/** `workspace_id = $n`, or `IS NULL` for the chain outside workspaces, with the parameter it needs. */
function chainClause(column: string, workspaceId: string | null, params: unknown[]): string {
  if (workspaceId === null) return `${column} IS NULL`;
  return `${column} = $${params.push(workspaceId)}`;
}
