import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ThreadDto } from '@parley/contracts';

import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { ThreadStore } from './thread-store';
import { excerptOf, replyCountLabel, timeAgo } from './thread-summary';

/**
 * The threads one follows in the workspace (the sidebar's "Threads"), newest activity first: the
 * root's start, where it is, and how many replies are unread. Each opens the thread beside its
 * channel.
 */
@Component({
  selector: 'app-threads-view',
  imports: [Avatar, RouterLink],
  template: `
    <header class="flex min-h-14 items-center border-b border-line px-4 py-2">
      <h1 class="text-base font-bold">Threads</h1>
    </header>
    <div class="min-h-0 flex-1 overflow-y-auto p-4">
      @if (error(); as text) {
        <p role="alert" class="alert-danger p-3 text-sm">{{ text }}</p>
      } @else if (!threads.followedLoaded()) {
        <p class="text-sm text-muted" role="status">Loading threads…</p>
      } @else if (!threads.followed().length) {
        <p class="text-sm text-muted">No threads yet. Threads you reply in, start, or follow show here.</p>
      }
      <ul class="space-y-2" aria-label="Followed threads">
        @for (entry of threads.followed(); track entry.root.id) {
          <li>
            <a
              [routerLink]="['/w', store.workspaceId(), 'c', entry.root.channelId]"
              [queryParams]="{ thread: entry.root.id }"
              class="flex gap-3 rounded-lg border border-line p-3 hover:bg-surface-muted/60"
              [class.border-brand-500]="entry.unreadReplies > 0"
              data-testid="thread-entry"
            >
              <app-avatar [name]="store.displayName(entry.root.senderId)" [userId]="entry.root.senderId" [size]="32" />
              <span class="min-w-0 flex-1">
                <span class="flex items-baseline gap-2 text-xs text-muted">
                  <span class="font-semibold text-ink">{{ store.displayName(entry.root.senderId) }}</span>
                  <span>in {{ channelName(entry) }}</span>
                  @if (entry.unreadReplies > 0) {
                    <span class="ml-auto rounded-full bg-red-500 px-1.5 font-bold text-white" data-testid="thread-unread">{{ entry.unreadReplies }} unread</span>
                  }
                </span>
                <span class="block truncate text-sm" [class.font-semibold]="entry.unreadReplies > 0">{{ excerpt(entry) }}</span>
                <span class="block text-xs text-faint">
                  {{ count(entry) }}@if (entry.root.lastReplyAt) {
                    · last reply {{ ago(entry.root.lastReplyAt) }}
                  }
                </span>
              </span>
            </a>
          </li>
        }
      </ul>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex min-h-0 flex-1 flex-col' },
})
export class ThreadsView {
  protected readonly store = inject(ChannelsStore);
  protected readonly threads = inject(ThreadStore);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.threads.refreshList().catch(() => this.error.set('Your threads could not be loaded. Try again in a moment.'));
  }

  protected channelName(entry: ThreadDto): string {
    const channel = this.store.find(entry.root.channelId);
    if (!channel) return 'a channel';
    return channel.type === 'public' || channel.type === 'private' ? `#${channel.name}` : this.store.channelLabel(channel);
  }

  protected excerpt(entry: ThreadDto): string {
    return entry.root.deletedAt ? 'This message was deleted' : excerptOf(this.store.plainText(entry.root.text), 140);
  }

  protected count(entry: ThreadDto): string {
    return replyCountLabel(entry.root.replyCount);
  }

  protected ago(iso: string): string {
    return timeAgo(iso);
  }
}
