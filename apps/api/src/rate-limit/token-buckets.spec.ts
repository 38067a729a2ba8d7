import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('allows a burst, then the steady rate', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 2, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    now += 500; // one token back at 2/s
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
    expect(buckets.take('b')).toBe(0);
  });
});
