import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditOutcome, AuditVerifyResult } from '@parley/contracts';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditContent, chainHash, GENESIS_HASH } from './audit-hash';
import { AuditEvent } from './entities/audit-event.entity';

/** What a caller tells the log; the service adds the chain position, the time and the hashes. */
export interface AuditRecordInput {
  workspaceId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  /** A small JSON object. Never message bodies, codes, tokens or other secrets. */
  details?: Record<string, unknown>;
}

/** The first key of the advisory locks that serialise appends to one chain (the second is the chain's). */
const CHAIN_LOCK_CLASS = 0x4175_6469; // "Audi"
const GLOBAL_CHAIN = 'global';
const VERIFY_BATCH = 1000;

/**
 * The append-only, hash-chained audit log: one chain per workspace and one for events outside
 * any workspace. Appends to a chain take turns through a transaction-scoped advisory lock, so
 * any number of api instances extend each chain without forks or gaps.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends an event to its chain. Pass `manager` to append inside a transaction of your own
   * (the event then commits or rolls back with your change); otherwise it commits at once.
   */
  async record(input: AuditRecordInput, manager?: EntityManager): Promise<AuditEvent> {
    return manager ? this.append(manager, input) : this.dataSource.transaction((m) => this.append(m, input));
  }

  /** Walks a workspace's chain (null: the chain outside workspaces) and reports the first event that does not hold. */
  async verify(workspaceId: string | null): Promise<AuditVerifyResult> {
    const repository = this.dataSource.getRepository(AuditEvent);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const batch = await repository.find({
        where: { workspaceId: workspaceId ?? IsNull(), seq: MoreThan(expectedSeq - 1) },
        order: { seq: 'ASC' },
        take: VERIFY_BATCH,
      });
      for (const event of batch) {
        checked += 1;
        const holds = event.seq === expectedSeq && event.prevHash === prevHash && chainHash(event.prevHash, event) === event.hash;
        if (!holds) return { ok: false, checked, firstBrokenId: event.id };
        prevHash = event.hash;
        expectedSeq += 1;
      }
      if (batch.length < VERIFY_BATCH) return { ok: true, checked };
    }
  }

  private async append(manager: EntityManager, input: AuditRecordInput): Promise<AuditEvent> {
    const workspaceId = input.workspaceId ?? null;
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK_CLASS, workspaceId ?? GLOBAL_CHAIN]);
    const last: { seq: string; hash: string }[] = await manager.query(
      workspaceId === null
        ? 'SELECT seq, hash FROM audit_events WHERE workspace_id IS NULL ORDER BY seq DESC LIMIT 1'
        : 'SELECT seq, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1',
      workspaceId === null ? [] : [workspaceId],
    );
    const content: AuditContent = {
      workspaceId,
      seq: last.length ? Number(last[0].seq) + 1 : 1,
      // Taken under the chain's lock, so times follow the chain's order (within one clock).
      occurredAt: new Date(),
      actorId: input.actorId ?? null,
      action: clip(input.action, 80) ?? '',
      targetType: clip(input.targetType, 40),
      targetId: clip(input.targetId, 80),
      outcome: input.outcome,
      ip: clip(input.ip, 64),
      userAgent: clip(input.userAgent, 512),
      // Exactly what jsonb will give back: plain JSON, no undefined, no Date objects.
      details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
    };
    const prevHash = last.length ? last[0].hash : GENESIS_HASH;
    const event = manager
      .getRepository(AuditEvent)
      .create({ id: randomUUID(), ...content, prevHash, hash: chainHash(prevHash, content) });
    await manager.getRepository(AuditEvent).insert(event as QueryDeepPartialEntity<AuditEvent>);
    return event;
  }
}

/** Stored columns have a length: cut before hashing, so the hash covers what is stored. */
function clip(value: string | null | undefined, length: number): string | null {
  return value === null || value === undefined ? null : value.slice(0, length);
}
