import { DestroyRef, Injectable, inject } from '@angular/core';

import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { PresenceStore } from './presence-store';

/** No input for this long turns an online person away (the server also does so after 10 min). */
export const IDLE_AWAY_MS = 5 * 60_000;

/**
 * Reports inactivity: after IDLE_AWAY_MS without keyboard, pointer or focus, an online person
 * becomes away; the next activity brings them back. A status they chose themselves is left alone.
 */
@Injectable()
export class IdleAway {
  private readonly socket = inject(SocketService);
  private readonly channels = inject(ChannelsStore);
  private readonly presence = inject(PresenceStore);
  private lastActivity = Date.now();
  private autoAway = false;

  constructor() {
    const onActivity = () => this.activity();
    const events = ['keydown', 'pointerdown', 'pointermove', 'focus', 'visibilitychange'] as const;
    for (const event of events) window.addEventListener(event, onActivity, { passive: true });
    const timer = setInterval(() => this.check(), 30_000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      for (const event of events) window.removeEventListener(event, onActivity);
    });
  }

  private activity(): void {
    this.lastActivity = Date.now();
    if (this.autoAway) {
      this.autoAway = false;
      void this.set('online');
    }
  }

  private check(): void {
    const me = this.channels.me();
    if (this.autoAway || !me || Date.now() - this.lastActivity < IDLE_AWAY_MS) return;
    if ((this.presence.presence()[me] ?? 'online') !== 'online') return;
    this.autoAway = true;
    void this.set('away');
  }

  private async set(status: 'online' | 'away'): Promise<void> {
    const ack = await this.socket.request('setStatus', { status });
    const me = this.channels.me();
    if (ack.ok && me) this.presence.set(me, ack.data.status);
  }
}
