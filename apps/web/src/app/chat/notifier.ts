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

/** Words everyone in a channel answers to. */
const BROADCASTS = ['channel', 'here', 'everyone'];

/** Letters, digits (any script) and `_`: what a name is made of, and what ends a mention. */
const NAME_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The handles `name` answers to: the full name, each of its words, and the parts of a
 * dotted, underscored or hyphenated word ("Bruno Costa" → "bruno costa", "bruno", "costa";
 * "ana.lima" → "ana.lima", "ana", "lima"). Punctuation around a word is not part of it, and
 * a one-letter word ("J. Smith") is no handle, or every "@j" would ring.
 */
export function mentionHandles(name: string): string[] {
  const trim = (word: string) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const words = name.trim().split(/\s+/u).map(trim).filter(Boolean);
  const parts = words.flatMap((word) => word.split(/[._-]+/u).map(trim));
  const handles = [words.join(' '), ...words, ...parts].filter((handle) => [...handle].length >= 2);
  return [...new Set(handles.map((handle) => handle.toLowerCase()))];
}

/**
 * True when `text` mentions the person called `name`: `@` + their full name or one of its
 * words, or `@channel`/`@here`/`@everyone`, in any case. A mention starts a word (so an
 * email address is none) and ends at a word boundary (so `@Brunella` is not `@Bruno`).
 * Until the server parses mentions, this is how the client decides what to notify.
 */
export function mentions(text: string, name: string): boolean {
  const handles = [...BROADCASTS, ...mentionHandles(name)].map((h) => h.split(' ').map(escapeRegExp).join(String.raw`\s+`));
  const pattern = new RegExp(`(?<!${NAME_CHAR}|@)@(?:${handles.join('|')})(?!${NAME_CHAR})`, 'iu');
  return pattern.test(text);
}

/** What decides whether a message that arrived unseen becomes a desktop notification. */
export interface NotifyCheck {
  text: string;
  /** A DM or group DM: every message is for the person. */
  direct: boolean;
  /** The person's own display name. */
  myName: string;
  /** The person's own status: Do Not Disturb silences everything. */
  myStatus: PresenceStatus;
}

/** True when the message should ring: a DM or a mention, and never during Do Not Disturb. */
export function shouldNotify({ text, direct, myName, myStatus }: NotifyCheck): boolean {
  if (myStatus === 'dnd') return false;
  return direct || mentions(text, myName);
}
