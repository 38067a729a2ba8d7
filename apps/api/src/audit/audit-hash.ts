import { createHash } from 'node:crypto';
import type { AuditOutcome } from '@parley/contracts';

/** The `prevHash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an event stores except its id and hashes: what its hash covers. */
export interface AuditContent {
  workspaceId: string | null;
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

/**
 * JSON with the keys of every object sorted and no whitespace, so equal values give equal
 * text whatever order their keys were written or stored in (jsonb reorders them). Values
 * are taken as `JSON.stringify` takes them: `toJSON()` first (dates become ISO strings),
 * undefined and functions dropped from objects and turned into null in arrays.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (isOmitted(item) ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => !isOmitted(item))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The canonical text of an event's content: every field, the time as ISO 8601 with milliseconds. */
export function canonicalContent(content: AuditContent): string {
  return canonicalJson({
    workspaceId: content.workspaceId,
    seq: content.seq,
    occurredAt: content.occurredAt.toISOString(),
    actorId: content.actorId,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    outcome: content.outcome,
    ip: content.ip,
    userAgent: content.userAgent,
    details: content.details,
  });
}

/** SHA-256 (hex) of the previous event's hash, a newline, and this event's canonical content. */
export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalContent(content)}`)
    .digest('hex');
}
