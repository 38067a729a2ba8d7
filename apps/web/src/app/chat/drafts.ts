import { Injectable, signal } from '@angular/core';

/** What was being written in each channel, kept while switching channels (and across reloads). */
@Injectable({ providedIn: 'root' })
export class Drafts {
  private readonly key = 'parley.drafts';
  private readonly drafts = signal<Record<string, string>>(this.read());

  get(channelId: string): string {
    return this.drafts()[channelId] ?? '';
  }

  set(channelId: string, text: string): void {
    this.drafts.update((all) => {
      const next = { ...all };
      if (text) next[channelId] = text;
      else delete next[channelId];
      return next;
    });
    try {
      sessionStorage.setItem(this.key, JSON.stringify(this.drafts()));
    } catch {
      // storage disabled: drafts live in memory
    }
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(sessionStorage.getItem(this.key) ?? '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }
}
