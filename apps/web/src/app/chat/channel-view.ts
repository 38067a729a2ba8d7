import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { DatePipe } from '@angular/common';

import { Avatar } from './avatar';
import { ChatStore } from './chat-store';
import { Composer } from './composer';
import { MembersPanel } from './members-panel';
import { ChatMessage, groupMessages, linkify } from './message-groups';

/** One channel or DM: header, the message log, who is typing, and the composer. */
@Component({
  selector: 'app-channel-view',
  imports: [Avatar, Composer, DatePipe, MembersPanel],
  templateUrl: './channel-view.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex min-h-0 flex-1' },
})
export class ChannelView {
  protected readonly store = inject(ChatStore);
  readonly channelId = input.required<string>();

  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  protected readonly channel = computed(() => this.store.channels().find((c) => c.id === this.channelId()) ?? null);
  protected readonly title = computed(() => {
    const channel = this.channel();
    if (!channel) return '';
    return channel.type === 'public' || channel.type === 'private' ? `# ${channel.name}` : this.store.channelLabel(channel);
  });
  private readonly held = computed(() => this.store.messages()[this.channelId()]);
  /** Where the "new since you left" line goes: the read position when the channel was opened. */
  private readonly readMark = signal(0);
  protected readonly groups = computed(() => {
    const held = this.held();
    if (!held) return [];
    return groupMessages([...held.messages, ...held.outbox], this.readMark(), this.store.me());
  });
  protected readonly loading = computed(() => !this.held());
  protected readonly hasOlder = computed(() => this.held()?.hasOlder ?? false);
  protected readonly typingText = computed(() => {
    this.store.typing();
    const names = this.store.typingIn(this.channelId()).map((id) => this.store.displayName(id));
    if (names.length === 0) return '';
    if (names.length === 1) return `${names[0]} is typing…`;
    if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
    return 'Several people are typing…';
  });
  /** The person scrolled up: new messages do not pull the view down; a button offers to. */
  protected readonly pinned = signal(true);
  protected readonly newBelow = signal(0);
  protected readonly loadingOlder = signal(false);
  protected readonly showMembers = signal(false);
  private lastCount = 0;
  private restoreFrom: { height: number; top: number } | null = null;

  constructor() {
    effect(() => {
      const id = this.channelId();
      untracked(() => {
        this.pinned.set(true);
        this.newBelow.set(0);
        this.lastCount = 0;
        this.readMark.set(this.store.channels().find((c) => c.id === id)?.lastReadSeq ?? 0);
        void this.store.openChannel(id).then(() => this.store.markRead(id));
      });
    });
    // Keep the read mark once the channel list (with read positions) arrives after a reload.
    effect(() => {
      const channel = this.channel();
      if (channel && untracked(() => this.readMark()) === 0 && channel.lastReadSeq > 0 && channel.lastReadSeq < channel.lastSeq) {
        untracked(() => this.readMark.set(channel.lastReadSeq));
      }
    });
    afterRenderEffect(() => {
      const count = this.groups().reduce((n, g) => n + g.messages.length, 0);
      const element = this.scroller()?.nativeElement;
      if (!element) return;
      if (this.restoreFrom) {
        // Older messages were added above: keep what the person was looking at in place.
        element.scrollTop = element.scrollHeight - this.restoreFrom.height + this.restoreFrom.top;
        this.restoreFrom = null;
      } else if (count !== this.lastCount) {
        if (untracked(() => this.pinned())) element.scrollTop = element.scrollHeight;
        else if (count > this.lastCount) this.newBelow.update((n) => n + (count - this.lastCount));
      }
      this.lastCount = count;
    });
  }

  protected async onScroll(): Promise<void> {
    const element = this.scroller()?.nativeElement;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    this.pinned.set(atBottom);
    if (atBottom) {
      this.newBelow.set(0);
      this.store.markRead(this.channelId());
    }
    if (element.scrollTop < 80 && this.hasOlder() && !this.loadingOlder()) {
      this.loadingOlder.set(true);
      this.restoreFrom = { height: element.scrollHeight, top: element.scrollTop };
      try {
        const loaded = await this.store.loadOlder(this.channelId());
        if (!loaded) this.restoreFrom = null;
      } finally {
        this.loadingOlder.set(false);
      }
    }
  }

  protected jumpToLatest(): void {
    const element = this.scroller()?.nativeElement;
    if (element) element.scrollTop = element.scrollHeight;
    this.pinned.set(true);
    this.newBelow.set(0);
    this.store.markRead(this.channelId());
  }

  protected parts(message: ChatMessage) {
    return linkify(message.text);
  }

  protected relative(iso: string): string {
    const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 24) return `${hours} h ago`;
    return `${Math.round(hours / 24)} d ago`;
  }
}
