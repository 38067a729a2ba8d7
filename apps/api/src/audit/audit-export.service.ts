import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { AuditEventDto } from '@parley/contracts';
import { AuditContext } from './audit-context';
import { AuditFilters, AuditQueryService } from './audit-query.service';
import { toAuditEventDto } from './dto/audit-event.dto';
import { AuditEvent } from './entities/audit-event.entity';

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

const CSV_COLUMNS: (keyof AuditEventDto)[] = [
  'id',
  'workspaceId',
  'seq',
  'occurredAt',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'ip',
  'userAgent',
  'details',
  'prevHash',
  'hash',
];

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (a user agent such
 * as `=HYPERLINK(...)`) gets a leading apostrophe; the JSONL export keeps every value exact.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvLine(event: AuditEventDto): string {
  return `${CSV_COLUMNS.map((column) => csvCell(event[column])).join(',')}\r\n`;
}

export function toJsonLine(event: AuditEventDto): string {
  return `${JSON.stringify(event)}\n`;
}

/** The export as text chunks, one per batch read from the database. */
export async function* exportChunks(batches: AsyncIterable<AuditEvent[]>, format: AuditExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield CSV_HEADER;
  const line = format === 'csv' ? toCsvLine : toJsonLine;
  for await (const batch of batches) yield batch.map((event) => line(toAuditEventDto(event))).join('');
}

/** Streams a workspace's audit log as a download, oldest first, reading it in batches as the client takes it. */
@Injectable()
export class AuditExportService {
  constructor(private readonly query: AuditQueryService) {}

  stream(workspaceId: string, format: AuditExportFormat, filters: AuditFilters): StreamableFile {
    AuditContext.annotate({ details: { format, ...filters } });
    const date = new Date().toISOString().slice(0, 10);
    const chunks = exportChunks(this.query.batches(workspaceId, filters), format);
    return new StreamableFile(Readable.from(chunks, { objectMode: false }), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="audit-${workspaceId}-${date}.${format}"`,
    });
  }
}
