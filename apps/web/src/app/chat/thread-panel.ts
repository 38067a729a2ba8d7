import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { ChannelDto } from '@parley/contracts';

import { toApiError } from '../core/http/api-error';
import { Avatar } from './avatar';
import { ChannelsStore } from './channels-store';
import { Composer } from './composer';
import { DropOverlay } from './drop-overlay';
import { FileDrop } from './file-drop';
import { MessageBody } from './message-body';
import { MessageGutter, MessageHeader } from './message-gutter';
import { groupMessages, messageRows } from './message-groups';
import { MessagesStore } from './messages-store';
import { type HeldThread, ThreadStore } from './thread-store';
import { replyCountLabel } from './thread-summary';

/** Within this distance (px) of the bottom, the panel follows new replies. */
const PINNED_WITHIN = 40;

/**
 * A thread beside its channel (Slack/Mattermost style; on narrow screens it covers the channel):
 * the root, its replies as the channel shows messages (the same line component, so edit and delete
 * work on replies), and a composer whose sends are replies, optionally also sent to the channel.
 * Opening it marks the thread read; Escape or ✕ closes it (the address loses `?thread=`).
 */
@Component({
  selector: 'app-thread-panel',
  imports: [Avatar, Composer, DatePipe, DropOverlay, FileDrop, MessageBody, MessageGutter, MessageHeader],
  template: `
    <!-- Files dropped anywhere on the panel go to the thread's composer (not to the channel's beside it). -->
    <div class="relative flex min-h-0 flex-1 flex-col" appFileDrop #drop="fileDrop" (dropped)="dropFiles($event)" data-testid="thread-drop">
      @if (drop.dragging() && canAttach()) {
        <app-drop-overlay target="the thread" />
      }
      <p class="sr-only" aria-live="assertive">{{ drop.dragging() && canAttach() ? 'Drop files to upload to the thread' : '' }}</p>
      <header class="flex min-h-14 items-center gap-2 border-b border-line px-4 py-2">
        <div class="min-w-0 flex-1">
          <h2 class="text-base font-bold">Thread</h2>
          <p class="truncate text-xs text-muted">{{ where() }}</p>
        </div>
        <button
          type="button"
          class="btn btn-secondary h-8 px-3 text-xs"
          [attr.aria-pressed]="following()"
          [disabled]="followBusy()"
          [title]="following() ? 'Stop following: replies no longer count as unread in Threads' : 'Follow: replies count as unread in Threads'"
          (click)="toggleFollow()"
        >
          {{ following() ? 'Following' : 'Follow' }}
        </button>
        <button type="button" class="btn btn-ghost h-8 px-2" aria-label="Close thread" title="Close (Esc)" (click)="threads.closeThread()">✕</button>
      </header>
      @if (error(); as text) {
        <p role="alert" class="mx-4 mt-2 text-xs text-danger">{{ text }}</p>
      }
      <div #scroller class="min-h-0 flex-1 overflow-y-auto px-4 pb-3" aria-label="Thread replies" tabindex="-1" (scroll)="onScroll()">
        @if (root(); as r) {
          <article class="flex gap-3 pt-3 pb-2" [attr.aria-label]="store.displayName(r.senderId)" data-testid="thread-root">
            <app-avatar [name]="store.displayName(r.senderId)" [userId]="r.senderId" [size]="36" />
            <div class="min-w-0 flex-1">
              <div class="flex items-baseline gap-2">
                <span class="text-sm font-semibold">{{ store.displayName(r.senderId) }}</span>
                <time class="text-xs text-faint" [attr.datetime]="r.createdAt" [title]="r.createdAt | date: 'full'">{{ r.createdAt | date: 'short' }}</time>
              </div>
              <app-message-body [message]="rootLine()!" [archived]="archived()" [inThread]="true" />
            </div>
          </article>
        } @else if (thread()?.state === 'loading') {
          <p class="py-4 text-sm text-muted">Loading thread…</p>
        } @else {
          <p class="py-4 text-sm text-muted">The message this thread replies to is not loaded here.</p>
        }
        @if (replyCount() > 0) {
          <div class="my-2 flex items-center gap-3 text-xs text-muted" role="separator">
            {{ countLabel() }}<span class="h-px flex-1 bg-line"></span>
          </div>
        }
        @if (thread()?.state === 'failed') {
          <p role="alert" class="py-2 text-sm text-danger">The replies could not be loaded. Close the thread and open it again to retry.</p>
        }
        <div role="log" aria-live="polite" aria-label="Replies">
          @for (row of rows(); track row.key) {
            <article
              class="group/row flex gap-3 rounded-md px-1 has-[:focus-visible]:bg-surface-muted/60 hover:bg-surface-muted/60"
              [class.bg-amber-50]="store.mentionsMe(row.message)"
              [class.dark:bg-amber-950/30]="store.mentionsMe(row.message)"
              [attr.data-mentions-me]="store.mentionsMe(row.message) ? 'true' : null"
              [class.mt-1]="row.startsGroup"
              [class.pt-1]="row.startsGroup"
              [class.pb-1]="row.endsGroup"
              [attr.aria-label]="store.displayName(row.senderId)"
            >
              <app-message-gutter [senderId]="row.senderId" [createdAt]="row.message.createdAt" [startsGroup]="row.startsGroup" />
              <div class="min-w-0 flex-1">
                @if (row.startsGroup) {
                  <app-message-header [senderId]="row.senderId" [createdAt]="row.message.createdAt">
                    @if (row.message.alsoInChannel) {
                      <span class="text-xs text-faint">· also sent to the channel</span>
                    }
                  </app-message-header>
                }
                <app-message-body [message]="row.message" [archived]="archived()" [inThread]="true" />
              </div>
            </article>
          }
        </div>
      </div>
      @if (canAttach()) {
        <app-composer #composer [channelId]="channel().id" [threadRootId]="rootId()" [alsoSendLabel]="alsoSendLabel()" placeholder="Reply…" />
      }
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'complementary',
    'aria-label': 'Thread',
    class: 'flex h-full flex-col border-l border-line bg-surface',
    '(keydown)': 'onKey($event)',
    '(document:visibilitychange)': 'onVisibility()',
  },
})
export class ThreadPanel {
  protected readonly store = inject(ChannelsStore);
  protected readonly threads = inject(ThreadStore);
  private readonly messages = inject(MessagesStore);
  private readonly injector = inject(Injector);
  readonly rootId = input.required<string>();
  readonly channel = input.required<ChannelDto>();

  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  private readonly composer = viewChild<Composer>('composer');
  /** Replies (and files) may be sent where the composer is: a member, the channel not archived. */
  protected readonly canAttach = computed(() => this.channel().member && !this.channel().archivedAt);
  protected readonly thread = computed<HeldThread | undefined>(() => this.threads.threads()[this.rootId()]);
  protected readonly root = computed(() => this.threads.rootOf(this.rootId(), this.channel().id));
  protected readonly rootLine = computed(() => {
    const root = this.root();
    return root ? { ...root, state: 'sent' as const } : null;
  });
  protected readonly archived = computed(() => !!this.channel().archivedAt);
  protected readonly following = computed(() => this.thread()?.follow?.following ?? false);
  protected readonly followBusy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly replyCount = computed(() => Math.max(this.root()?.replyCount ?? 0, this.thread()?.replies.length ?? 0));
  protected readonly countLabel = computed(() => replyCountLabel(this.replyCount()));
  protected readonly where = computed(() => {
    const channel = this.channel();
    return channel.type === 'public' || channel.type === 'private' ? `#${channel.name}` : this.store.channelLabel(channel);
  });
  protected readonly alsoSendLabel = computed(() => {
    const channel = this.channel();
    return channel.type === 'public' || channel.type === 'private' ? `Also send to #${channel.name}` : 'Also send to the conversation';
  });
  /** The stored replies, then one's own on their way (they wait in the channel's outbox). */
  protected readonly rows = computed(() => {
    const stored = this.thread()?.replies ?? [];
    const arrived = new Set(stored.map((m) => m.clientMsgId));
    const pending = (this.messages.messages()[this.channel().id]?.outbox ?? []).filter((m) => m.threadRootId === this.rootId() && !arrived.has(m.clientMsgId));
    return messageRows(groupMessages([...stored, ...pending], 0, this.store.me()));
  });
  /** Following new replies while the person is at the bottom (or has not scrolled yet). */
  private pinned = true;

  constructor() {
    effect(() => {
      const rootId = this.rootId();
      const channelId = this.channel().id;
      untracked(() => {
        this.pinned = true;
        this.error.set(null);
        void this.threads.open(rootId, channelId);
      });
    });
    effect(() => {
      this.rows();
      untracked(() => {
        if (!this.pinned) return;
        afterNextRender(() => this.scrollToBottom(), { injector: this.injector });
      });
    });
    inject(DestroyRef).onDestroy(() => this.threads.close());
  }

  protected onKey(event: KeyboardEvent): void {
    // The inline editor takes its own Escape (it cancels the edit and says so by preventDefault).
    if (event.key === 'Escape' && !event.defaultPrevented) this.threads.closeThread();
  }

  protected onVisibility(): void {
    if (document.visibilityState === 'visible') void this.threads.markRead(this.rootId());
  }

  /** Files dropped on the panel are attached in the thread's composer (uploading at once). */
  protected dropFiles(files: File[]): void {
    if (this.canAttach()) this.composer()?.attach(files);
  }

  protected onScroll(): void {
    const element = this.scroller()?.nativeElement;
    if (element) this.pinned = element.scrollHeight - element.scrollTop - element.clientHeight < PINNED_WITHIN;
  }

  protected async toggleFollow(): Promise<void> {
    this.followBusy.set(true);
    this.error.set(null);
    try {
      await this.threads.setFollowing(this.rootId(), !this.following());
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'Could not change following this thread.');
    } finally {
      this.followBusy.set(false);
    }
  }

  private scrollToBottom(): void {
    const element = this.scroller()?.nativeElement;
    if (element) element.scrollTop = element.scrollHeight;
  }
}
