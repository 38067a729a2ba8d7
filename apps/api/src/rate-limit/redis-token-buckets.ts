import type { Redis } from 'ioredis';
import type { RedisService } from '../redis/redis.module';
import { BucketRate, TokenBucketLimiter, TokenBuckets } from './token-buckets';

/**
 * Refills the bucket by the time elapsed since it was last touched, takes one token if there
 * is one, and answers 0 (taken) or the whole seconds until a token is back, in one atomic step.
 * The clock is Redis's own, so instances whose clocks differ still count one bucket alike. The
 * key expires when the bucket would be full again: an absent key is a full bucket, so idle
 * buckets cost nothing and vanish by themselves.
 * KEYS[1] the bucket (a hash: t = tokens, at = ms of the last touch); ARGV burst, tokens/second.
 */
export const TAKE_TOKEN_LUA = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = burst
if state[1] and state[2] then
  tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) / 1000 * rate)
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - tokens) / rate * 1000)))
return wait
`;

const COMMAND = 'parleyTakeToken';

type WithTakeToken = Redis & { [COMMAND](key: string, burst: number, perSecond: number): Promise<number> };

/** Registers the script on a client (ioredis sends EVALSHA, and the script itself when Redis lacks it). */
export function defineTakeToken(client: Redis): void {
  if (!(COMMAND in client)) client.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
}

/** Takes a token from the bucket at `key` in Redis: 0 when allowed, else the seconds to wait. */
export async function takeToken(client: Redis, key: string, rate: BucketRate): Promise<number> {
  defineTakeToken(client);
  return Number(await (client as WithTakeToken)[COMMAND](key, rate.burst, rate.perSecond));
}

/** Told when Redis fails or answers, so that an outage is logged once, not once per request. */
export interface RedisHealth {
  failed(reason: string): void;
  answered(): void;
}

/**
 * Token buckets in Redis, one per key under `keyPrefix`, so every instance counts the same
 * bucket. While Redis is unreachable this instance counts on its own (in process) rather than
 * fail or hold the request: a limit that briefly counts per instance is better than a send
 * that does not commit.
 */
export class RedisTokenBuckets implements TokenBucketLimiter {
  private readonly fallback: TokenBuckets;

  constructor(
    private readonly redis: Pick<RedisService, 'client' | 'down'>,
    private readonly keyPrefix: string,
    private readonly rate: BucketRate,
    private readonly health: RedisHealth,
  ) {
    this.fallback = new TokenBuckets(rate.burst, rate.perSecond);
  }

  async take(key: string): Promise<number> {
    const client = this.redis.client;
    // Connection lost: answer at once from the fallback instead of queueing behind a reconnect.
    if (!client || this.redis.down) {
      this.health.failed(`connection ${client?.status ?? 'none'}`);
      return this.fallback.take(key);
    }
    try {
      const wait = await takeToken(client, this.keyPrefix + key, this.rate);
      this.health.answered();
      return wait;
    } catch (error) {
      this.health.failed((error as Error).message);
      return this.fallback.take(key);
    }
  }
}
