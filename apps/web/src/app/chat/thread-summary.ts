import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { THREAD_REPLIERS_SHOWN, type MessageDto } from '@parley/contracts';

import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { ThreadStore } from './thread-store';

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

export function replyCountLabel(count: number): string {
  return `${count} ${count === 1 ? 'reply' : 'replies'}`;
}

/** How often "Last reply … ago" is brought up to date (ms). */
const CLOCK_MS = 30_000;

/**
 * Under a thread root in the channel: "3 replies", the first repliers' avatars and when the last
 * reply came. The whole line opens the thread (as in Slack). It follows the root's 'replied'
 * changes, which replace the message in the channel's list.
 */
@Component({
  selector: 'app-thread-summary',
  imports: [Avatar],
  template: `
    @let m = message();
    <button
      type="button"
      class="group/summary mt-1 flex max-w-full items-center gap-2 rounded-md border border-transparent py-0.5 pr-2 pl-0.5 text-xs hover:border-line hover:bg-surface"
      data-testid="thread-summary"
      (click)="threads.openThread(m.id)"
    >
      <span class="flex shrink-0 gap-0.5" aria-hidden="true">
        @for (userId of repliers(); track userId) {
          <app-avatar [name]="store.displayName(userId)" [userId]="userId" [size]="20" />
        }
      </span>
      <span class="font-semibold text-brand-600 group-hover/summary:underline dark:text-brand-300">{{ countLabel() }}</span>
      @if (m.lastReplyAt) {
        <span class="truncate text-faint">Last reply {{ ago() }}</span>
      }
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class ThreadSummary {
  protected readonly store = inject(ChannelsStore);
  protected readonly threads = inject(ThreadStore);
  readonly message = input.required<MessageDto>();
  private readonly now = signal(Date.now());

  protected readonly repliers = computed(() => this.message().replierIds.slice(0, THREAD_REPLIERS_SHOWN));
  protected readonly countLabel = computed(() => replyCountLabel(this.message().replyCount));
  protected readonly ago = computed(() => {
    const at = this.message().lastReplyAt;
    return at ? timeAgo(at, this.now()) : '';
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), CLOCK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}

/**
 * Above a thread reply that was also sent to the channel: "replied to a thread: <the root's
 * start>", which opens the thread.
 */
@Component({
  selector: 'app-thread-context',
  template: `
    <button type="button" class="flex max-w-full items-baseline gap-1 text-xs text-muted hover:underline" data-testid="thread-context" (click)="threads.openThread(rootId())">
      <span class="shrink-0">replied to a thread:</span>
      @if (excerpt(); as text) {
        <span class="truncate text-brand-600 dark:text-brand-300">{{ text }}</span>
      } @else {
        <span class="text-brand-600 dark:text-brand-300">view thread</span>
      }
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class ThreadContext {
  protected readonly threads = inject(ThreadStore);
  private readonly channels = inject(ChannelsStore);
  /** The reply (its threadRootId is set). */
  readonly message = input.required<MessageDto>();
  protected readonly rootId = computed(() => this.message().threadRootId ?? this.message().id);
  protected readonly excerpt = computed(() => {
    const root = this.threads.rootOf(this.rootId(), this.message().channelId);
    if (!root) return '';
    if (root.deletedAt) return 'This message was deleted';
    return excerptOf(this.channels.plainText(root.text));
  });
}

/** A message's start on one line, for lists and references. */
export function excerptOf(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
