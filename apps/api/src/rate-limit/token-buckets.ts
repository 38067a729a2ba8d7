/** A family of token buckets: `burst` actions at once, then `perSecond`. */
export interface BucketRate {
  burst: number;
  perSecond: number;
}

/**
 * Token buckets per key (a person, an address). `take` spends a token and answers 0 when
 * allowed, else the whole seconds to wait before one is back (for Retry-After). The Redis
 * implementation answers asynchronously, the in-process one at once.
 */
export interface TokenBucketLimiter {
  take(key: string): number | Promise<number>;
}

/** Seconds until a bucket holding `tokens` (< 1) has a whole token again: at least 1. */
export function secondsUntilToken(tokens: number, perSecond: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / perSecond));
}

/** Tokens after `elapsedMs` of refill, never above the burst (a clock going back refills nothing). */
export function refilled(tokens: number, elapsedMs: number, rate: BucketRate): number {
  return Math.min(rate.burst, tokens + (Math.max(0, elapsedMs) / 1000) * rate.perSecond);
}

/**
 * Token buckets in process: cheap enough for every message send, and what a single instance
 * (no Redis) uses; with Redis, the fallback while Redis is unreachable. Each instance counts
 * its own.
 */
export class TokenBuckets implements TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  private readonly rate: BucketRate;

  constructor(
    burst: number,
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = { burst, perSecond };
  }

  /** Takes a token; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rate.burst, updatedAt: now };
    bucket.tokens = refilled(bucket.tokens, now - bucket.updatedAt, this.rate);
    bucket.updatedAt = now;
    const wait = bucket.tokens >= 1 ? 0 : secondsUntilToken(bucket.tokens, this.rate.perSecond);
    if (wait === 0) bucket.tokens -= 1;
    // Sweep before storing: a sweep after it would drop this bucket too, while still full.
    if (this.buckets.size >= 50_000 && !this.buckets.has(key)) this.sweep(now);
    this.buckets.set(key, bucket);
    return wait;
  }

  /** How many keys are held (a full bucket is forgotten by the sweep). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (refilled(bucket.tokens, now - bucket.updatedAt, this.rate) >= this.rate.burst) this.buckets.delete(key);
    }
  }
}
