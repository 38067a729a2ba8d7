import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from '../redis/redis.module';
import { RedisHealth, RedisTokenBuckets } from './redis-token-buckets';
import { BucketRate, TokenBucketLimiter, TokenBuckets } from './token-buckets';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/**
 * Every rate limit of the api: in Redis when it is configured (so every instance counts
 * together), in process otherwise, chosen once at boot. If Redis is unreachable a limit falls
 * back to the process's own count rather than failing the request, and says so once.
 */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private redisDown = false;
  private readonly health: RedisHealth = {
    failed: (reason) => {
      if (this.redisDown) return;
      this.redisDown = true;
      this.logger.warn(`Redis unreachable (${reason}): rate limits count per instance until it answers again`);
    },
    answered: () => {
      if (!this.redisDown) return;
      this.redisDown = false;
      this.logger.log('Redis answers again: rate limits are shared across instances again');
    },
  };

  constructor(private readonly redis: RedisService) {}

  /**
   * Token buckets named `name` (`send`, `auth`, …; part of each Redis key) at `rate`: shared by
   * every instance through Redis when it is configured, in process otherwise.
   */
  tokenBuckets(name: string, rate: BucketRate): TokenBucketLimiter {
    if (!this.redis.enabled) return new TokenBuckets(rate.burst, rate.perSecond);
    return new RedisTokenBuckets(this.redis, `${this.redis.prefix}:tb:${name}:`, rate, this.health);
  }

  /** A fixed-window counter: `limit` hits per `windowSeconds` for `key`. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const client = this.redis.client;
    if (client && !this.redis.down) {
      try {
        const redisKey = `${this.redis.prefix}:rl:${key}`;
        const results = await client.multi().incr(redisKey).pttl(redisKey).exec();
        const count = Number(results?.[0]?.[1] ?? 0);
        let ttl = Number(results?.[1]?.[1] ?? -1);
        if (ttl < 0) {
          await client.pexpire(redisKey, windowSeconds * 1000);
          ttl = windowSeconds * 1000;
        }
        this.health.answered();
        return { allowed: count <= limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
      } catch (error) {
        this.health.failed((error as Error).message);
      }
    } else if (client) {
      this.health.failed(`connection ${client.status}`);
    }
    return this.hitLocal(key, limit, windowSeconds);
  }

  private hitLocal(key: string, limit: number, windowSeconds: number): RateLimitResult {
    const now = Date.now();
    let entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.local.set(key, entry);
      if (this.local.size > 100_000) this.sweep(now);
    }
    entry.count += 1;
    return { allowed: entry.count <= limit, retryAfter: Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.local) if (entry.resetAt <= now) this.local.delete(key);
  }
}
