import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEventPage } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { AUDIT_EVENT_COLUMNS, AuditEventRow, StoredAuditEvent, toStoredEvent } from './audit-rows';
import { toAuditEventDto } from './dto/audit-event.dto';

export interface AuditFilters {
  actorId?: string;
  action?: string;
  targetId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Rows per query when exporting: a large export never sits in memory. */
export const EXPORT_BATCH = 500;

/** Reads a workspace's audit log: pages for the admin console, batches for exports. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first. The cursor is the `seq` of the last event of the previous page: the next page is older. */
  async list(workspaceId: string, filters: AuditFilters, limit: number, cursor?: number): Promise<AuditEventPage> {
    const params: unknown[] = [];
    const where = this.where(workspaceId, filters, params);
    if (cursor !== undefined) where.push(`e.seq < $${params.push(cursor)}`);
    const rows = await this.select(where, params, 'DESC', limit + 1);
    const items = rows.slice(0, limit);
    return {
      items: items.map(toAuditEventDto),
      nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null,
    };
  }

  /** Oldest first, EXPORT_BATCH rows per query (keyset on seq), until the end of the log. */
  async *batches(workspaceId: string, filters: AuditFilters): AsyncGenerator<StoredAuditEvent[]> {
    let after = 0;
    for (;;) {
      const params: unknown[] = [];
      const where = this.where(workspaceId, filters, params);
      where.push(`e.seq > $${params.push(after)}`);
      const batch = await this.select(where, params, 'ASC', EXPORT_BATCH);
      if (batch.length) yield batch;
      if (batch.length < EXPORT_BATCH) return;
      after = batch[batch.length - 1].seq;
    }
  }

  private async select(where: string[], params: unknown[], order: 'ASC' | 'DESC', limit: number): Promise<StoredAuditEvent[]> {
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e WHERE ${where.join(' AND ')} ORDER BY e.seq ${order} LIMIT ${limit}`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  private where(workspaceId: string, filters: AuditFilters, params: unknown[]): string[] {
    const where = [`e.workspace_id = $${params.push(workspaceId)}`];
    if (filters.actorId) where.push(`e.actor_id = $${params.push(filters.actorId)}`);
    if (filters.action) where.push(`e.action = $${params.push(filters.action)}`);
    if (filters.targetId) where.push(`e.target_id = $${params.push(filters.targetId)}`);
    if (filters.from) where.push(`e.occurred_at >= $${params.push(filters.from)}`);
    if (filters.to) where.push(`e.occurred_at < $${params.push(filters.to)}`);
    return where;
  }
}
