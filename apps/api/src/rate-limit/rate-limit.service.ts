import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from '../redis/redis.module';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/**
 * Fixed-window counters: in Redis when it is configured (so every instance counts
 * together), in process otherwise. If Redis is unreachable the limit falls back to
 * the process's own counter rather than failing the request.
 */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly redis: RedisService) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const client = this.redis.client;
    if (client) {
      try {
        const redisKey = `${this.redis.prefix}:rl:${key}`;
        const results = await client.multi().incr(redisKey).pttl(redisKey).exec();
        const count = Number(results?.[0]?.[1] ?? 0);
        let ttl = Number(results?.[1]?.[1] ?? -1);
        if (ttl < 0) {
          await client.pexpire(redisKey, windowSeconds * 1000);
          ttl = windowSeconds * 1000;
        }
        return { allowed: count <= limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
      } catch (error) {
        this.logger.warn(`Falling back to in-process rate limit: ${(error as Error).message}`);
      }
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
