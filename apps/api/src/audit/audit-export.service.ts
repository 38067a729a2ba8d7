import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { AuditCheckpointDto, AuditEventDto } from '@parley/contracts';
import { AuditContext } from './audit-context';
import { AuditQueryService } from './audit-query.service';
import { StoredAuditEvent } from './audit-rows';
import { AuditFilters } from './audit.repository';
import { AuditService } from './audit.service';
import { toAuditCheckpointDto, toAuditEventDto } from './dto/audit-event.dto';

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
  'hashVersion',
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

/** A checkpoint as one JSONL line, told apart from the event lines by its one key. */
export function toCheckpointLine(checkpoint: AuditCheckpointDto): string {
  return `${JSON.stringify({ checkpoint })}\n`;
}

/**
 * The export as text chunks, one per batch read from the database. A JSONL export ends with
 * the chain's signed checkpoints (the one written for this export last), so whoever holds the
 * key can check away from Parley that nothing was cut from the end; CSV is for reading, and has
 * the events only.
 */
export async function* exportChunks(
  batches: AsyncIterable<StoredAuditEvent[]>,
  format: AuditExportFormat,
  checkpoints: () => Promise<AuditCheckpointDto[]>,
): AsyncGenerator<string> {
  if (format === 'csv') yield CSV_HEADER;
  const line = format === 'csv' ? toCsvLine : toJsonLine;
  for await (const batch of batches) yield batch.map((event) => line(toAuditEventDto(event))).join('');
  if (format === 'jsonl') yield (await checkpoints()).map(toCheckpointLine).join('');
}

/** Streams a workspace's audit log as a download, oldest first, reading it in batches as the client takes it. */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
  ) {}

  stream(workspaceId: string, format: AuditExportFormat, filters: AuditFilters): StreamableFile {
    AuditContext.annotate({ details: { format, ...filters } });
    const date = new Date().toISOString().slice(0, 10);
    const chunks = this.chunks(workspaceId, format, filters);
    return new StreamableFile(Readable.from(chunks, { objectMode: false }), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="audit-${workspaceId}-${date}.${format}"`,
    });
  }

  /** Anchors the head (the export's own event included: it is written before the first byte) before reading. */
  private async *chunks(workspaceId: string, format: AuditExportFormat, filters: AuditFilters): AsyncGenerator<string> {
    await this.audit.checkpoint(workspaceId, 'export');
    yield* exportChunks(this.query.batches(workspaceId, filters), format, async () =>
      (await this.audit.checkpoints(workspaceId)).map(toAuditCheckpointDto),
    );
  }
}
