import { AppConfig } from '../config/config';
import { RedisService } from '../redis/redis.module';
import { RateLimitService } from './rate-limit.service';
import { refilled, secondsUntilToken, TokenBuckets } from './token-buckets';

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

  it('answers the whole seconds until a token is back', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 0.25, () => now);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(4);
    now += 1000; // a quarter of a token back: three more seconds
    expect(buckets.take('a')).toBe(3);
  });

  it('forgets buckets that have filled up again once it holds many', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 1, () => now);
    for (let i = 0; i < 50_000; i++) buckets.take(`idle ${i}`);
    now += 1000; // every idle bucket is full again
    buckets.take('busy');
    buckets.take('busy');
    buckets.take('last');
    expect(buckets.size).toBeLessThan(10);
    expect(buckets.take('busy')).toBe(1); // the busy one was kept, empty
  });
});

describe('refilled and secondsUntilToken (the arithmetic the Redis script repeats)', () => {
  const rate = { burst: 5, perSecond: 2 };

  it('refills by the time elapsed, up to the burst, and not at all when the clock goes back', () => {
    expect(refilled(0, 1000, rate)).toBe(2);
    expect(refilled(0.5, 250, rate)).toBe(1);
    expect(refilled(4, 10_000, rate)).toBe(5);
    expect(refilled(1, -5000, rate)).toBe(1);
  });

  it('waits at least a second, rounded up', () => {
    expect(secondsUntilToken(0.99, 2)).toBe(1);
    expect(secondsUntilToken(0, 2)).toBe(1);
    expect(secondsUntilToken(0, 0.5)).toBe(2);
    expect(secondsUntilToken(0.1, 0.1)).toBe(9);
  });
});

describe('RateLimitService without Redis', () => {
  const service = new RateLimitService(new RedisService({ redisUrl: null, redisPrefix: 'parley' } as AppConfig));

  it('gives in-process buckets, each family its own', () => {
    const sends = service.tokenBuckets('send', { burst: 1, perSecond: 1 });
    const reads = service.tokenBuckets('read', { burst: 1, perSecond: 1 });
    expect(sends).toBeInstanceOf(TokenBuckets);
    expect(sends.take('ana')).toBe(0);
    expect(sends.take('ana')).toBe(1);
    expect(reads.take('ana')).toBe(0);
  });

  it('counts fixed windows in process', async () => {
    expect(await service.hit('k', 2, 60)).toEqual({ allowed: true, retryAfter: 60 });
    expect((await service.hit('k', 2, 60)).allowed).toBe(true);
    expect(await service.hit('k', 2, 60)).toEqual({ allowed: false, retryAfter: 60 });
  });
});
