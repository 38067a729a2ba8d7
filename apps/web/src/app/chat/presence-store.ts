import { Injectable, computed, inject, signal } from '@angular/core';
import type { PresenceStatus } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { ChannelsStore } from './channels-store';

export const TYPING_TTL_MS = 6000;

/** Who is online/away/busy in the open workspace, and who is typing where. Live from the socket. */
@Injectable({ providedIn: 'root' })
export class PresenceStore {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);
  private readonly auth = inject(AuthStore);
  private readonly channels = inject(ChannelsStore);

  readonly presence = signal<Record<string, PresenceStatus>>({});
  /** channelId → userId → when their typing indicator lapses. */
  readonly typing = signal<Record<string, Record<string, number>>>({});

  private readonly me = computed(() => this.auth.user()?.id ?? null);

  constructor() {
    this.socket.on('statusUpdate', ({ userId, status }) => this.set(userId, status));
    this.socket.on('userTyping', ({ userId, channelId, typing }) => this.setTyping(channelId, userId, typing));
  }

  /** Reloads the open workspace's presence (dropped if another workspace was opened meanwhile). */
  async refresh(): Promise<void> {
    const id = this.channels.workspaceId();
    if (!id) return;
    const list = await this.api.presence(id);
    if (this.channels.workspaceId() !== id) return;
    this.presence.set(Object.fromEntries(list.map((p) => [p.userId, p.status])));
  }

  set(userId: string, status: PresenceStatus): void {
    this.presence.update((p) => ({ ...p, [userId]: status }));
  }

  presenceOf(userId: string): PresenceStatus {
    return (this.presence() as Partial<Record<string, PresenceStatus>>)[userId] ?? 'offline';
  }

  /** The others typing in a channel now (an indicator lapses after TYPING_TTL_MS without news). */
  typingIn(channelId: string, now = Date.now()): string[] {
    const me = this.me();
    return Object.entries(this.typing()[channelId] ?? {})
      .filter(([userId, until]) => until > now && userId !== me)
      .map(([userId]) => userId);
  }

  setTyping(channelId: string, userId: string, typing: boolean): void {
    this.typing.update((all) => {
      const channel = { ...(all[channelId] ?? {}) };
      if (typing) channel[userId] = Date.now() + TYPING_TTL_MS;
      else delete channel[userId];
      return { ...all, [channelId]: channel };
    });
  }
}
