import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEventPage } from '@parley/contracts';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { toAuditEventDto } from './dto/audit-event.dto';
import { AuditEvent } from './entities/audit-event.entity';

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
    const query = this.filtered(workspaceId, filters)
      .orderBy('e.seq', 'DESC')
      .limit(limit + 1);
    if (cursor !== undefined) query.andWhere('e.seq < :cursor', { cursor });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    return {
      items: items.map(toAuditEventDto),
      nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null,
    };
  }

  /** Oldest first, EXPORT_BATCH rows per query (keyset on seq), until the end of the log. */
  async *batches(workspaceId: string, filters: AuditFilters): AsyncGenerator<AuditEvent[]> {
    let after = 0;
    for (;;) {
      const batch = await this.filtered(workspaceId, filters)
        .andWhere('e.seq > :after', { after })
        .orderBy('e.seq', 'ASC')
        .limit(EXPORT_BATCH)
        .getMany();
      if (batch.length) yield batch;
      if (batch.length < EXPORT_BATCH) return;
      after = batch[batch.length - 1].seq;
    }
  }

  private filtered(workspaceId: string, filters: AuditFilters): SelectQueryBuilder<AuditEvent> {
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId', { workspaceId });
    if (filters.actorId) query.andWhere('e.actor_id = :actorId', { actorId: filters.actorId });
    if (filters.action) query.andWhere('e.action = :action', { action: filters.action });
    if (filters.targetId) query.andWhere('e.target_id = :targetId', { targetId: filters.targetId });
    if (filters.from) query.andWhere('e.occurred_at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('e.occurred_at < :to', { to: filters.to });
    return query;
  }
}
