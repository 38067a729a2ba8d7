import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppConfig } from '@api/config/config';
import { RateLimitService } from '@api/rate-limit/rate-limit.service';
import { RedisTokenBuckets, takeToken } from '@api/rate-limit/redis-token-buckets';
import { TokenBucketLimiter } from '@api/rate-limit/token-buckets';
import { RedisService } from '@api/redis/redis.module';
import { freePort, hasRedisServer, PrivateRedis } from './support/private-redis';
import { eventually, sleep } from './support/sockets';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('[parley] Redis token bucket tests SKIPPED: they need REDIS_URL (Redis).');
if (!hasRedisServer()) console.log('[parley] Redis token bucket outage test SKIPPED: it needs a redis-server binary.');

const redisService = (url: string, prefix: string) => new RedisService({ redisUrl: url, redisPrefix: prefix } as AppConfig);

async function ready(redis: RedisService): Promise<void> {
  await eventually(async () => expect(await redis.ping()).toBe('up'), 10_000);
}

const takeAll = (limiter: TokenBucketLimiter, key: string, times: number) => Promise.all(Array.from({ length: times }, () => limiter.take(key)));

(redisUrl ? describe : describe.skip)('token buckets in Redis (needs REDIS_URL)', () => {
  const prefix = `parley-test-${randomUUID().slice(0, 8)}`;
  // Two connections and two services: what two instances of the api hold.
  let redisOne: RedisService;
  let redisTwo: RedisService;
  let one: RateLimitService;
  let two: RateLimitService;

  beforeAll(async () => {
    redisOne = redisService(redisUrl!, prefix);
    redisTwo = redisService(redisUrl!, prefix);
    await Promise.all([ready(redisOne), ready(redisTwo)]);
    one = new RateLimitService(redisOne);
    two = new RateLimitService(redisTwo);
  });

  afterAll(async () => {
    const client = redisOne?.client;
    if (client) {
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length) await client.del(...keys);
    }
    await redisOne?.onApplicationShutdown();
    await redisTwo?.onApplicationShutdown();
  });

  it('is chosen when Redis is configured, and one bucket is counted by every instance', async () => {
    const rate = { burst: 3, perSecond: 0.01 };
    const sendsOne = one.tokenBuckets('send', rate);
    const sendsTwo = two.tokenBuckets('send', rate);
    expect(sendsOne).toBeInstanceOf(RedisTokenBuckets);
    expect([await sendsOne.take('ana'), await sendsTwo.take('ana'), await sendsOne.take('ana')]).toEqual([0, 0, 0]);
    // Through either instance, the fourth is refused, with the seconds until a token is back (1 / 0.01).
    expect(await sendsTwo.take('ana')).toBe(100);
    expect(await sendsOne.take('ana')).toBe(100);
    // Another person, and another family of buckets for the same person, are apart.
    expect(await sendsTwo.take('bruno')).toBe(0);
    expect(await two.tokenBuckets('read', rate).take('ana')).toBe(0);
  });

  it('takes tokens atomically: of 60 takes at once from two connections, exactly the burst pass', async () => {
    const rate = { burst: 20, perSecond: 0.01 };
    const [a, b] = [one.tokenBuckets('atomic', rate), two.tokenBuckets('atomic', rate)];
    const waits = (await Promise.all([takeAll(a, 'ana', 30), takeAll(b, 'ana', 30)])).flat();
    expect(waits.filter((wait) => wait === 0)).toHaveLength(20);
    expect(waits.filter((wait) => wait > 0)).toHaveLength(40);
  });

  // Rates slow enough that a stall of a few hundred ms (a loaded machine) changes no answer.
  it('refills by the time elapsed', async () => {
    const limiter = one.tokenBuckets('refill', { burst: 4, perSecond: 2 });
    expect(await takeAll(limiter, 'ana', 5)).toEqual([0, 0, 0, 0, 1]);
    await sleep(750); // a token and a half back at 2/s; the bucket expires only once all four are back (2 s)
    expect(await limiter.take('ana')).toBe(0);
    const left = Number(await redisOne.client!.hget(`${prefix}:tb:refill:ana`, 't'));
    expect(left).toBeGreaterThanOrEqual(0.4);
    expect(left).toBeLessThan(3); // partly refilled, not a fresh bucket
  });

  it('keeps each bucket under REDIS_PREFIX, expiring when it would be full again, so idle buckets vanish', async () => {
    const client = redisOne.client!;
    const key = `${prefix}:tb:ttl:ana`;
    const limiter = one.tokenBuckets('ttl', { burst: 2, perSecond: 4 });
    expect(await limiter.take('ana')).toBe(0);
    const state = await client.hgetall(key);
    expect(Number(state.t)).toBe(1);
    expect(Number(state.at)).toBeGreaterThan(0);
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(250); // one token at 4/s
    expect(await limiter.take('ana')).toBe(0);
    const longer = await client.pttl(key);
    expect(longer).toBeGreaterThan(250); // two tokens to come back
    expect(longer).toBeLessThanOrEqual(500);
    await eventually(async () => expect(await client.exists(key)).toBe(0), 2000);
    // Gone is full: the whole burst again.
    expect(await takeAll(limiter, 'ana', 2)).toEqual([0, 0]);
  });
});

describe('token buckets when Redis is unreachable from the start', () => {
  it('count in process without waiting on a connection that keeps failing', async () => {
    const service = redisService(`redis://127.0.0.1:${await freePort()}`, 'parley-never');
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const sends = new RateLimitService(service).tokenBuckets('send', { burst: 2, perSecond: 0.01 });
      // The first take may wait for the first connection attempt to fail; none after it waits.
      expect(await sends.take('ana')).toBe(0);
      const started = Date.now();
      const waits = [await sends.take('ana'), await sends.take('ana'), await sends.take('ana')];
      expect(Date.now() - started).toBeLessThan(1000);
      expect(waits).toEqual([0, 100, 100]);
    } finally {
      jest.restoreAllMocks();
      service.client!.disconnect();
    }
  });
});

(hasRedisServer() ? describe : describe.skip)('token buckets while Redis goes away (needs redis-server)', () => {
  let redis: PrivateRedis;
  let service: RedisService;
  const warnings: string[] = [];
  const notes: string[] = [];

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    service = redisService(redis.url, 'parley-outage');
    await ready(service);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
      warnings.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(function (this: Logger, message: unknown) {
      notes.push(String(message));
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await service?.onApplicationShutdown();
    await redis?.stop();
  });

  it('runs the script when Redis does not have it cached (after SCRIPT FLUSH, on this private Redis)', async () => {
    const client = service.client!;
    await client.script('FLUSH');
    expect(await takeToken(client, 'parley-outage:tb:flushed:ana', { burst: 1, perSecond: 1 })).toBe(0);
    expect(await takeToken(client, 'parley-outage:tb:flushed:ana', { burst: 1, perSecond: 1 })).toBe(1);
  });

  it('counts in process at once while Redis is down, says so once, and goes back to Redis when it returns', async () => {
    const limits = new RateLimitService(service);
    const sends = limits.tokenBuckets('send', { burst: 2, perSecond: 0.01 });
    expect(await sends.take('ana')).toBe(0);
    expect(await service.client!.exists('parley-outage:tb:send:ana')).toBe(1);

    await redis.stop();
    const started = Date.now();
    // The fallback starts full and counts: the burst, then refusals.
    const during = [await sends.take('bruno'), await sends.take('bruno'), await sends.take('bruno'), await sends.take('bruno')];
    expect(during.slice(0, 2)).toEqual([0, 0]);
    expect(during.slice(2).every((wait) => wait > 0)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    const outage = (message: string) => message.includes('rate limits count per instance');
    expect(warnings.filter(outage)).toHaveLength(1);

    await redis.start();
    await ready(service);
    expect(await sends.take('carla')).toBe(0);
    expect(await service.client!.exists('parley-outage:tb:send:carla')).toBe(1);
    expect(notes.filter((message) => message.includes('shared across instances again'))).toHaveLength(1);
    expect(warnings.filter(outage)).toHaveLength(1);
  });
});
