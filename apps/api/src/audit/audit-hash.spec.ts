import { createHash } from 'node:crypto';
import {
  AuditContent,
  canonicalContent,
  canonicalJson,
  chainHash,
  CheckpointContent,
  checkpointSignature,
  deriveAuditKey,
  eventHolds,
  GENESIS_HASH,
  HASH_VERSION,
  legacyChainHash,
  LEGACY_HASH_VERSION,
} from './audit-hash';

const key = deriveAuditKey('k'.repeat(40));

const content: AuditContent = {
  id: '0b6a4a6e-3f0e-4d55-9b5e-6e1d0c2f9a01',
  workspaceId: '6f1c2d0e-8a55-4c1e-9d6a-2b8f4e0c7a11',
  seq: 3,
  occurredAt: '2026-01-02T03:04:05.006123Z',
  actorId: null,
  action: 'channel.create',
  targetType: 'channel',
  targetId: 'c-1',
  outcome: 'success',
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  details: { status: 201, name: 'général' },
  hashVersion: HASH_VERSION,
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 1, y: { q: 2, p: 3 } })).toBe(canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('reads values as JSON.stringify does, so what is hashed is what jsonb gives back', () => {
    const value = { when: new Date('2026-01-01T00:00:00.000Z'), gone: undefined, list: [undefined, 1], text: 'a"b\n', n: 1.5 };
    expect(canonicalJson(value)).toBe('{"list":[null,1],"n":1.5,"text":"a\\"b\\n","when":"2026-01-01T00:00:00.000Z"}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });
});

describe('chainHash', () => {
  it('is an HMAC-SHA-256 with the audit key: without the key, a recomputed hash is not it', () => {
    const hash = chainHash(key, GENESIS_HASH, content);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const unkeyed = createHash('sha256')
      .update(`${GENESIS_HASH}\n${canonicalContent(content)}`)
      .digest('hex');
    expect(hash).not.toBe(unkeyed);
    expect(chainHash(deriveAuditKey('x'.repeat(40)), GENESIS_HASH, content)).not.toBe(hash);
    expect(chainHash(deriveAuditKey('k'.repeat(40)), GENESIS_HASH, content)).toBe(hash);
  });

  it('covers every column, the id and the time to the microsecond, and the previous hash', () => {
    const base = chainHash(key, GENESIS_HASH, content);
    const changes: Partial<AuditContent>[] = [
      { id: '0b6a4a6e-3f0e-4d55-9b5e-6e1d0c2f9a02' },
      { workspaceId: null },
      { seq: 4 },
      { occurredAt: '2026-01-02T03:04:05.006124Z' },
      { actorId: '6f1c2d0e-8a55-4c1e-9d6a-2b8f4e0c7a12' },
      { action: 'channel.delete' },
      { targetType: null },
      { targetId: 'c-2' },
      { outcome: 'denied' },
      { ip: null },
      { userAgent: 'curl' },
      { details: { status: 201, name: 'general' } },
      { hashVersion: 3 },
    ];
    for (const change of changes) expect(chainHash(key, GENESIS_HASH, { ...content, ...change })).not.toBe(base);
    expect(chainHash(key, 'f'.repeat(64), content)).not.toBe(base);
  });

  it('does not depend on the order of the details keys', () => {
    expect(chainHash(key, GENESIS_HASH, { ...content, details: { name: 'général', status: 201 } })).toBe(
      chainHash(key, GENESIS_HASH, content),
    );
  });
});

describe('eventHolds', () => {
  it('checks keyed events with the key, and events from before keyed chains with their old unkeyed hash', () => {
    expect(eventHolds(key, GENESIS_HASH, content, chainHash(key, GENESIS_HASH, content))).toBe(true);
    expect(eventHolds(key, GENESIS_HASH, { ...content, seq: 9 }, chainHash(key, GENESIS_HASH, content))).toBe(false);
    const legacy = { ...content, occurredAt: '2026-01-02T03:04:05.006000Z', hashVersion: LEGACY_HASH_VERSION };
    expect(eventHolds(key, GENESIS_HASH, legacy, legacyChainHash(GENESIS_HASH, legacy))).toBe(true);
    // A version-2 event passed off as an old one with an unkeyed hash does not hold as version 2.
    expect(eventHolds(key, GENESIS_HASH, content, legacyChainHash(GENESIS_HASH, content))).toBe(false);
    expect(eventHolds(key, GENESIS_HASH, { ...content, hashVersion: 7 }, chainHash(key, GENESIS_HASH, content))).toBe(false);
  });
});

describe('checkpointSignature', () => {
  it('signs every field of a checkpoint with the key', () => {
    const checkpoint: CheckpointContent = {
      id: 'f5b8d1d6-1d43-4d0c-9d7e-0b5b0f3c2a10',
      workspaceId: content.workspaceId,
      eventCount: 100,
      headHash: 'a'.repeat(64),
      createdAt: '2026-01-02T03:04:05.006123Z',
      reason: 'count',
    };
    const signature = checkpointSignature(key, checkpoint);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    for (const change of [
      { eventCount: 99 },
      { headHash: 'b'.repeat(64) },
      { createdAt: '2026-01-02T03:04:05.006124Z' },
      { workspaceId: null },
      { reason: 'timer' },
      { id: 'x' },
    ]) {
      expect(checkpointSignature(key, { ...checkpoint, ...change })).not.toBe(signature);
    }
    expect(checkpointSignature(deriveAuditKey('x'.repeat(40)), checkpoint)).not.toBe(signature);
  });
});
