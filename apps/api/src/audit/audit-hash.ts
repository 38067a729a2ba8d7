import { createHash, createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import type { AuditOutcome } from '@parley/contracts';

/** The `prevHash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How an event's hash was made. 1: SHA-256 without a key over every field but the id, the
 * time to the millisecond (events written before the AuditChainKeys migration). 2: HMAC-SHA-256
 * with the audit key over every column, the id and the exact time included.
 */
export const LEGACY_HASH_VERSION = 1;
export const HASH_VERSION = 2;

/** Everything an event stores but its hashes: what its hash covers. */
export interface AuditContent {
  id: string;
  workspaceId: string | null;
  seq: number;
  /** Exactly as stored, to the microsecond: `2026-01-02T03:04:05.006123Z` (see exactTimeSql in audit.repository.ts). */
  occurredAt: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  hashVersion: number;
}

/** What a checkpoint signs: the head of one chain at one moment. */
export interface CheckpointContent {
  id: string;
  workspaceId: string | null;
  /** Events in the chain at the checkpoint: the seq of its head. */
  eventCount: number;
  /** The hash of the head event (GENESIS_HASH for an empty chain). */
  headHash: string;
  /** Exact, like AuditContent.occurredAt. */
  createdAt: string;
  reason: string;
}

/**
 * The key of the chain, derived (HKDF-SHA-256, fixed label) from AUDIT_KEY, or from the JWT
 * secret when AUDIT_KEY is unset. It never enters the database: whoever can write the tables
 * but does not hold the key cannot make a hash or a checkpoint signature that verifies.
 */
export function deriveAuditKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'parley', 'parley audit chain v2', 32)));
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

/** The canonical text of an event (version 2): every column, the id and the exact time included. */
export function canonicalContent(content: AuditContent): string {
  return canonicalJson({
    v: content.hashVersion,
    id: content.id,
    workspaceId: content.workspaceId,
    seq: content.seq,
    occurredAt: content.occurredAt,
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

/** HMAC-SHA-256 (hex) with the audit key of the previous event's hash, a newline, and this event's canonical content. */
export function chainHash(key: KeyObject, prevHash: string, content: AuditContent): string {
  return createHmac('sha256', key)
    .update(`${prevHash}\n${canonicalContent(content)}`)
    .digest('hex');
}

/** The hash of a version-1 event: SHA-256 without a key, no id, the time to the millisecond. Only verified, never written. */
export function legacyChainHash(prevHash: string, content: AuditContent): string {
  const canonical = canonicalJson({
    workspaceId: content.workspaceId,
    seq: content.seq,
    occurredAt: new Date(content.occurredAt).toISOString(),
    actorId: content.actorId,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    outcome: content.outcome,
    ip: content.ip,
    userAgent: content.userAgent,
    details: content.details,
  });
  return createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex');
}

/** Whether an event's stored hash is the one its content and the previous hash give. */
export function eventHolds(key: KeyObject, prevHash: string, content: AuditContent, hash: string): boolean {
  if (content.hashVersion === HASH_VERSION) return chainHash(key, prevHash, content) === hash;
  if (content.hashVersion === LEGACY_HASH_VERSION) return legacyChainHash(prevHash, content) === hash;
  return false;
}

/** HMAC-SHA-256 (hex) with the audit key over a checkpoint's canonical content. */
export function checkpointSignature(key: KeyObject, checkpoint: CheckpointContent): string {
  const canonical = canonicalJson({
    kind: 'parley.audit.checkpoint',
    id: checkpoint.id,
    workspaceId: checkpoint.workspaceId,
    eventCount: checkpoint.eventCount,
    headHash: checkpoint.headHash,
    createdAt: checkpoint.createdAt,
    reason: checkpoint.reason,
  });
  return createHmac('sha256', key).update(canonical).digest('hex');
}
