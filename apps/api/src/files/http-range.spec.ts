import { parseRange } from './http-range';

describe('parseRange', () => {
  it.each<[string | undefined, ReturnType<typeof parseRange>]>([
    [undefined, null],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    ['bytes = 5 - 9', { start: 5, end: 9 }],
    ['BYTES=0-0', { start: 0, end: 0 }],
    // Other units and several ranges: the whole file (RFC 9110 lets a server ignore Range)
    ['items=0-1', null],
    ['bytes=0-1,5-6', null],
    // Unsatisfiable or malformed: 416
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=500-100', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=-', 'unsatisfiable'],
    ['bytes=abc', 'unsatisfiable'],
    ['bytes=1.5-2', 'unsatisfiable'],
  ])('%j of 1000 bytes is %j', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it('has nothing to serve of an empty file', () => {
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-1', 0)).toBe('unsatisfiable');
  });
});
