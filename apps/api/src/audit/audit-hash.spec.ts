import { createHash } from 'node:crypto';
import { AuditContent, canonicalContent, canonicalJson, chainHash, GENESIS_HASH } from './audit-hash';

const content: AuditContent = {
  workspaceId: '6f1c2d0e-8a55-4c1e-9d6a-2b8f4e0c7a11',
  seq: 3,
  occurredAt: new Date('2026-01-02T03:04:05.006Z'),
  actorId: null,
  action: 'channel.create',
  targetType: 'channel',
  targetId: 'c-1',
  outcome: 'success',
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  details: { status: 201, name: 'général' },
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
  it('is the SHA-256 of the previous hash, a newline and the canonical content', () => {
    const expected = createHash('sha256')
      .update(`${GENESIS_HASH}\n${canonicalContent(content)}`)
      .digest('hex');
    expect(chainHash(GENESIS_HASH, content)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('covers every stored field, the time to the millisecond, and the previous hash', () => {
    const base = chainHash(GENESIS_HASH, content);
    const changes: Partial<AuditContent>[] = [
      { workspaceId: null },
      { seq: 4 },
      { occurredAt: new Date('2026-01-02T03:04:05.007Z') },
      { actorId: '6f1c2d0e-8a55-4c1e-9d6a-2b8f4e0c7a12' },
      { action: 'channel.delete' },
      { targetType: null },
      { targetId: 'c-2' },
      { outcome: 'denied' },
      { ip: null },
      { userAgent: 'curl' },
      { details: { status: 201, name: 'general' } },
    ];
    for (const change of changes) expect(chainHash(GENESIS_HASH, { ...content, ...change })).not.toBe(base);
    expect(chainHash('f'.repeat(64), content)).not.toBe(base);
  });

  it('does not depend on the order of the details keys', () => {
    expect(chainHash(GENESIS_HASH, { ...content, details: { name: 'général', status: 201 } })).toBe(
      chainHash(GENESIS_HASH, content),
    );
  });

  it('writes the time as ISO 8601 in UTC with milliseconds', () => {
    expect(canonicalContent(content)).toContain('"occurredAt":"2026-01-02T03:04:05.006Z"');
  });
});
