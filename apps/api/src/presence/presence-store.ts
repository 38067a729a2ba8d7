import type { Redis } from 'ioredis';
import type { SetStatus } from '@parley/contracts';

/** What is kept about a person's presence, shared by every instance when Redis is on. */
export interface PresenceRecord {
  /** Sockets still alive (each refreshed by its instance's heartbeat). */
  liveSockets: number;
  /** dnd or invisible when set by the person; online/away otherwise. */
  manual: 'dnd' | 'invisible' | null;
  away: boolean;
  lastSeenAt: string | null;
}

export interface PresenceStore {
  addSocket(userId: string, socketId: string, ttlMs: number): Promise<void>;
  removeSocket(userId: string, socketId: string): Promise<void>;
  /** Refreshes the expiry of these sockets (the heartbeat of one instance). */
  touch(sockets: { userId: string; socketId: string }[], ttlMs: number): Promise<void>;
  setStatus(userId: string, status: SetStatus): Promise<void>;
  setLastSeen(userId: string, at: string): Promise<void>;
  get(userIds: string[]): Promise<Map<string, PresenceRecord>>;
  setTyping(channelId: string, userId: string, ttlMs: number): Promise<void>;
  clearTyping(channelId: string, userId: string): Promise<void>;
}

function applyStatus(record: { manual: PresenceRecord['manual']; away: boolean }, status: SetStatus): void {
  if (status === 'dnd' || status === 'invisible') {
    record.manual = status;
  } else {
    record.manual = null;
    record.away = status === 'away';
  }
}

/** One instance alone: everything in process. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Map<string, number>>();
  private readonly state = new Map<string, { manual: PresenceRecord['manual']; away: boolean; lastSeenAt: string | null }>();
  private readonly typing = new Map<string, number>();

  async addSocket(userId: string, socketId: string, ttlMs: number): Promise<void> {
    const mine = this.sockets.get(userId) ?? new Map<string, number>();
    mine.set(socketId, Date.now() + ttlMs);
    this.sockets.set(userId, mine);
  }

  async removeSocket(userId: string, socketId: string): Promise<void> {
    this.sockets.get(userId)?.delete(socketId);
  }

  async touch(sockets: { userId: string; socketId: string }[], ttlMs: number): Promise<void> {
    for (const { userId, socketId } of sockets) this.sockets.get(userId)?.set(socketId, Date.now() + ttlMs);
  }

  async setStatus(userId: string, status: SetStatus): Promise<void> {
    const record = this.record(userId);
    applyStatus(record, status);
  }

  async setLastSeen(userId: string, at: string): Promise<void> {
    this.record(userId).lastSeenAt = at;
  }

  async get(userIds: string[]): Promise<Map<string, PresenceRecord>> {
    const now = Date.now();
    const result = new Map<string, PresenceRecord>();
    for (const userId of userIds) {
      const live = [...(this.sockets.get(userId)?.values() ?? [])].filter((expiry) => expiry > now).length;
      const record = this.state.get(userId);
      result.set(userId, { liveSockets: live, manual: record?.manual ?? null, away: record?.away ?? false, lastSeenAt: record?.lastSeenAt ?? null });
    }
    return result;
  }

  async setTyping(channelId: string, userId: string, ttlMs: number): Promise<void> {
    this.typing.set(`${channelId}:${userId}`, Date.now() + ttlMs);
  }

  async clearTyping(channelId: string, userId: string): Promise<void> {
    this.typing.delete(`${channelId}:${userId}`);
  }

  private record(userId: string) {
    let record = this.state.get(userId);
    if (!record) {
      record = { manual: null, away: false, lastSeenAt: null };
      this.state.set(userId, record);
    }
    return record;
  }
}

/**
 * Several instances: sockets in a sorted set per user (score = expiry), the status in a
 * hash, typing in keys that expire by themselves.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private socketsKey(userId: string): string {
    return `${this.prefix}:presence:sockets:${userId}`;
  }

  private stateKey(userId: string): string {
    return `${this.prefix}:presence:state:${userId}`;
  }

  async addSocket(userId: string, socketId: string, ttlMs: number): Promise<void> {
    await this.redis.multi().zadd(this.socketsKey(userId), Date.now() + ttlMs, socketId).pexpire(this.socketsKey(userId), ttlMs * 2).exec();
  }

  async removeSocket(userId: string, socketId: string): Promise<void> {
    await this.redis.zrem(this.socketsKey(userId), socketId);
  }

  async touch(sockets: { userId: string; socketId: string }[], ttlMs: number): Promise<void> {
    if (!sockets.length) return;
    const pipeline = this.redis.pipeline();
    const expiry = Date.now() + ttlMs;
    for (const { userId, socketId } of sockets) pipeline.zadd(this.socketsKey(userId), 'XX', expiry, socketId).pexpire(this.socketsKey(userId), ttlMs * 2);
    await pipeline.exec();
  }

  async setStatus(userId: string, status: SetStatus): Promise<void> {
    const record = { manual: null as PresenceRecord['manual'], away: false };
    applyStatus(record, status);
    await this.redis.hset(this.stateKey(userId), 'manual', record.manual ?? '', 'away', record.away ? '1' : '0');
  }

  async setLastSeen(userId: string, at: string): Promise<void> {
    await this.redis.hset(this.stateKey(userId), 'lastSeenAt', at);
  }

  async get(userIds: string[]): Promise<Map<string, PresenceRecord>> {
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.zcount(this.socketsKey(userId), `(${now}`, '+inf').hgetall(this.stateKey(userId));
    const results = (await pipeline.exec()) ?? [];
    const map = new Map<string, PresenceRecord>();
    userIds.forEach((userId, i) => {
      const live = Number(results[i * 2]?.[1] ?? 0);
      const hash = (results[i * 2 + 1]?.[1] ?? {}) as Record<string, string>;
      map.set(userId, {
        liveSockets: live,
        manual: hash.manual === 'dnd' || hash.manual === 'invisible' ? hash.manual : null,
        away: hash.away === '1',
        lastSeenAt: hash.lastSeenAt || null,
      });
    });
    return map;
  }

  async setTyping(channelId: string, userId: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}:typing:${channelId}:${userId}`, '1', 'PX', ttlMs);
  }

  async clearTyping(channelId: string, userId: string): Promise<void> {
    await this.redis.del(`${this.prefix}:typing:${channelId}:${userId}`);
  }
}
