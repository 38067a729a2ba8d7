import { Injectable, signal } from '@angular/core';
import type { PresenceStatus } from '@parley/contracts';

/**
 * Desktop notifications for DMs and mentions that arrive while the person looks elsewhere.
 * Permission is asked only when they press the button for it, never on page load.
 */
@Injectable({ providedIn: 'root' })
export class Notifier {
  readonly permission = signal<NotificationPermission | 'unsupported'>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

  async enable(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.permission.set(await Notification.requestPermission());
  }

  notify(title: string, body: string, onClick: () => void): void {
    if (this.permission() !== 'granted') return;
    const notification = new Notification(title, { body: body.slice(0, 200), tag: title });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  }
}

/** What decides whether a message that arrived unseen becomes a desktop notification. */
export interface NotifyCheck {
  /** A DM or group DM: every message is for the person. */
  direct: boolean;
  /** The server's mention list names the person, or the message was sent with @channel/@here (mentionsUser). */
  mentioned: boolean;
  /** The person's own status: Do Not Disturb silences everything. */
  myStatus: PresenceStatus;
}

/** True when the message should ring: a DM or a mention, and never during Do Not Disturb. */
export function shouldNotify({ direct, mentioned, myStatus }: NotifyCheck): boolean {
  if (myStatus === 'dnd') return false;
  return direct || mentioned;
}
