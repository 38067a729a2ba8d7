import { Injectable } from '@nestjs/common';
import { AuditEventPage } from '@parley/contracts';
import { StoredAuditEvent } from './audit-rows';
import { AuditFilters, AuditRepository } from './audit.repository';
import { toAuditEventDto } from './dto/audit-event.dto';

/** Rows per query when exporting: a large export never sits in memory. */
export const EXPORT_BATCH = 500;

/** Reads a workspace's audit log: pages for the admin console, batches for exports. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly repository: AuditRepository) {}

  /** Newest first. The cursor is the `seq` of the last event of the previous page: the next page is older. */
  async list(workspaceId: string, filters: AuditFilters, limit: number, cursor?: number): Promise<AuditEventPage> {
    const rows = await this.repository.findEvents(workspaceId, filters, { order: 'DESC', beforeSeq: cursor, limit: limit + 1 });
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
      const batch = await this.repository.findEvents(workspaceId, filters, {
        order: 'ASC',
        afterSeq: after,
        limit: EXPORT_BATCH,
      });
      if (batch.length) yield batch;
      if (batch.length < EXPORT_BATCH) return;
      after = batch[batch.length - 1].seq;
    }
  }
}
