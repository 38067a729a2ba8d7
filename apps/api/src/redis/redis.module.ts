import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * The shared Redis connection, or null in single-instance mode (no REDIS_URL).
 * Commands queue while Redis is away and fail after a bounded wait, so a Redis
 * outage never hangs a request.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis | null;
  /** Prefix for every key, e.g. `${prefix}:presence:…`. */
  readonly prefix: string;
  /** The first connection attempt has ended, either way. */
  private settled = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redisPrefix;
    this.client = config.redisUrl
      ? new Redis(config.redisUrl, {
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectTimeout: 5000,
          commandTimeout: 2000,
          lazyConnect: false,
        })
      : null;
    this.client?.on('error', (error: Error) => {
      this.settled = true;
      this.logger.warn(`Redis: ${error.message}`);
    });
    this.client?.on('ready', () => (this.settled = true));
  }

  /**
   * Not connected, and not merely still making the first connection: a command would wait in
   * the offline queue (up to the command timeout), so callers with a local fallback (rate limits)
   * use it at once. While the instance boots, the first connection is worth its short wait.
   */
  get down(): boolean {
    return this.settled && this.client?.status !== 'ready';
  }

  /** A second connection for subscriptions (a subscribed connection can do nothing else). */
  duplicate(): Redis | null {
    return this.client?.duplicate() ?? null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  async ping(): Promise<'up' | 'down' | 'disabled'> {
    if (!this.client) return 'disabled';
    try {
      return (await this.client.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client && this.client.status !== 'end') await this.client.quit().catch(() => undefined);
  }
}

@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
