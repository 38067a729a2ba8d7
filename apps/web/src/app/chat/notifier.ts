import { Injectable, signal } from '@angular/core';

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

/** True when `text` mentions `name` as `@name` (any case), or `@here`/`@channel`. */
export function mentions(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes('@here') || lower.includes('@channel') || (name.length > 0 && lower.includes(`@${name.toLowerCase()}`));
}
