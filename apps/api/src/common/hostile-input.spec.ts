import { findInputProblem, isStorableText, jsonNestsDeeperThan } from './hostile-input';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestsDeeperThan(bytes('[[[1]]]'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('[[[[1]]]]'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('{"a":{"b":[1]}}'), 2)).toBe(true);
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: '[[[[[[{{{{' })), 1)).toBe(false);
    // An escaped quote does not end the string.
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: '\\"[[[[', b: '"[[[[' })), 1)).toBe(false);
  });

  it('scans a 3,000-level body quickly', () => {
    const body = bytes(`${'['.repeat(3000)}${']'.repeat(3000)}`);
    const started = process.hrtime.bigint();
    expect(jsonNestsDeeperThan(body, 32)).toBe(true);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs', () => {
    expect(isStorableText('plain')).toBe(true);
    expect(isStorableText('🦊 fox')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udc00')).toBe(false);
    expect(isStorableText('\udc00\ud800')).toBe(false);
  });
});

describe('findInputProblem', () => {
  it('names the field of a bad string or key', () => {
    expect(findInputProblem({ a: { b: ['ok', 'n\u0000'] } })).toEqual({ kind: 'text', field: 'a.b.1' });
    expect(findInputProblem({ ['k\ud800']: 1 })).toEqual({ kind: 'text', field: 'k\ud800' });
    expect(findInputProblem({ q: 'fine', n: 1, z: null })).toBeNull();
  });

  it('refuses nesting deeper than the limit without walking below it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem({ a: deep }, 32)).toEqual({ kind: 'depth', field: expect.stringMatching(/^a(\.0)+$/) });
    expect(findInputProblem([[[1]]], 3)).toBeNull();
    expect(findInputProblem([[[[1]]]], 3)).toMatchObject({ kind: 'depth' });
  });
});
