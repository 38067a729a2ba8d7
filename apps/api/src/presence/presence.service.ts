import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PresenceDto, PresenceStatus, SetStatus, StatusUpdateEvent } from '@parley/contracts';
import { PEOPLE_SEEN } from '../access/access.rules';
import { MembershipRepository } from '../access/membership.repository';
import { WorkspaceAccess } from '../access/workspace-access';
import { APP_CONFIG, AppConfig } from '../config/config';
import { EventBus } from '../events/event-bus';
import { RedisService } from '../redis/redis.module';
import { MemoryPresenceStore, PresenceRecord, PresenceStore, RedisPresenceStore } from './presence-store';

/** A socket's entry lives this long unless its instance's heartbeat renews it (so a dead instance's sockets fade). */
const SOCKET_TTL_MS = 90_000;
const HEARTBEAT_MS = 30_000;
const IDLE_CHECK_MS = 30_000;

/** What others see of a record. */
export function visibleStatus(record: PresenceRecord | undefined): PresenceStatus {
  if (!record || record.liveSockets === 0 || record.manual === 'invisible') return 'offline';
  if (record.manual === 'dnd') return 'dnd';
  return record.away ? 'away' : 'online';
}

/**
 * Presence across all of a person's devices: online while any socket is connected and
 * active, away when the client says so or after a long idle, dnd and invisible when set,
 * offline a grace period after the last socket goes.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Presence');
  private readonly store: PresenceStore;
  /** This instance's sockets: who, and when they last did something. */
  private readonly local = new Map<string, { userId: string; lastActivity: number; autoAway: boolean }>();
  /** What was last announced per user, so only changes are sent. */
  private readonly announced = new Map<string, PresenceStatus>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | null = null;
  private idleCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly memberships: MembershipRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventBus,
    redis: RedisService,
  ) {
    this.store = redis.client ? new RedisPresenceStore(redis.client, redis.prefix) : new MemoryPresenceStore();
  }

  get typingStore(): PresenceStore {
    return this.store;
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.idleCheck = setInterval(() => this.markIdleAway(), Math.min(IDLE_CHECK_MS, this.config.presence.idleAwayMs));
    this.heartbeat.unref();
    this.idleCheck.unref();
  }

  onApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.idleCheck) clearInterval(this.idleCheck);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
  }

  async connected(userId: string, socketId: string): Promise<void> {
    this.local.set(socketId, { userId, lastActivity: Date.now(), autoAway: false });
    clearTimeout(this.graceTimers.get(userId));
    this.graceTimers.delete(userId);
    await this.store.addSocket(userId, socketId, SOCKET_TTL_MS);
    await this.announce(userId);
  }

  async disconnected(userId: string, socketId: string): Promise<void> {
    this.local.delete(socketId);
    await this.store.removeSocket(userId, socketId);
    clearTimeout(this.graceTimers.get(userId));
    const timer = setTimeout(() => {
      this.graceTimers.delete(userId);
      this.settleOffline(userId).catch((error: Error) => this.logger.warn(`Presence of ${userId}: ${error.message}`));
    }, this.config.presence.offlineGraceMs);
    timer.unref();
    this.graceTimers.set(userId, timer);
  }

  /** Any client event counts as activity; it ends an automatic away. */
  async activity(socketId: string): Promise<void> {
    const entry = this.local.get(socketId);
    if (!entry) return;
    entry.lastActivity = Date.now();
    if (entry.autoAway) {
      entry.autoAway = false;
      await this.store.setStatus(entry.userId, 'online');
      await this.announce(entry.userId);
    }
  }

  async setStatus(userId: string, status: SetStatus): Promise<StatusUpdateEvent> {
    await this.store.setStatus(userId, status);
    for (const entry of this.local.values()) if (entry.userId === userId) entry.autoAway = false;
    return this.announce(userId);
  }

  async forUsers(userIds: string[]): Promise<PresenceDto[]> {
    const records = await this.store.get(userIds);
    return userIds.map((userId) => {
      const record = records.get(userId);
      return { userId, status: visibleStatus(record), lastSeenAt: record?.lastSeenAt ?? null };
    });
  }

  /** The presence of the workspace's active members the caller may see (PEOPLE_SEEN: a guest, those sharing a channel). */
  async forWorkspace(access: WorkspaceAccess): Promise<PresenceDto[]> {
    const onlyChannelPeersOf = PEOPLE_SEEN.onlyChannelPeers(access) ? access.userId : null;
    return this.forUsers(await this.memberships.activeMemberIdsSeenBy(access.workspaceId, onlyChannelPeersOf));
  }

  private async settleOffline(userId: string): Promise<void> {
    const [record] = [(await this.store.get([userId])).get(userId)];
    if (record && record.liveSockets > 0) return;
    await this.store.setLastSeen(userId, new Date().toISOString());
    await this.announce(userId);
  }

  private async announce(userId: string): Promise<StatusUpdateEvent> {
    const [presence] = await this.forUsers([userId]);
    const event: StatusUpdateEvent = { userId, status: presence.status, lastSeenAt: presence.lastSeenAt };
    if (this.announced.get(userId) !== presence.status) {
      this.announced.set(userId, presence.status);
      await this.events.emit('presence.changed', event);
    }
    return event;
  }

  private beat(): void {
    const sockets = [...this.local].map(([socketId, { userId }]) => ({ userId, socketId }));
    this.store.touch(sockets, SOCKET_TTL_MS).catch((error: Error) => this.logger.warn(`Presence heartbeat: ${error.message}`));
  }

  /** People whose every socket here has been idle long enough become away (until they act again). */
  private markIdleAway(): void {
    const cutoff = Date.now() - this.config.presence.idleAwayMs;
    const byUser = new Map<string, { idle: boolean; entries: { autoAway: boolean }[] }>();
    for (const entry of this.local.values()) {
      const user = byUser.get(entry.userId) ?? { idle: true, entries: [] };
      user.idle &&= entry.lastActivity < cutoff;
      user.entries.push(entry);
      byUser.set(entry.userId, user);
    }
    for (const [userId, user] of byUser) {
      if (!user.idle || user.entries.every((entry) => entry.autoAway)) continue;
      void this.store
        .get([userId])
        .then(async (records) => {
          const record = records.get(userId);
          if (!record || record.manual || record.away) return;
          for (const entry of user.entries) entry.autoAway = true;
          await this.store.setStatus(userId, 'away');
          await this.announce(userId);
        })
        .catch((error: Error) => this.logger.warn(`Idle check for ${userId}: ${error.message}`));
    }
  }
}
