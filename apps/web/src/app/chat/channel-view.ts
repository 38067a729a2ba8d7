import { CdkVirtualForOf, CdkVirtualScrollViewport, VIRTUAL_SCROLL_STRATEGY } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, DestroyRef, Injector, afterNextRender, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import type { MessageDto } from '@parley/contracts';

import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { MessagesStore, showsInChannel } from './messages-store';
import { PresenceStore } from './presence-store';
import { ReadReceiptsStore } from './read-receipts';
import { Composer } from './composer';
import { DropOverlay } from './drop-overlay';
import { FileDrop } from './file-drop';
import { FilesPanel } from './files-panel';
import { MembersPanel } from './members-panel';
import { MessageActions } from './message-actions';
import { MessageBody } from './message-body';
import { MessageGutter, MessageHeader } from './message-gutter';
import { SeenLine } from './message-receipts';
import { PinnedList, PinsStore } from './pinned-list';
import { MessageRow, groupMessages, messageRows } from './message-groups';
import { nextReadMark, type ReadMark } from './read-mark';
import { VariableHeightScrollStrategy } from './variable-height-scroll';
import { ThreadPanel } from './thread-panel';
import { ThreadContext, ThreadSummary } from './thread-summary';

/** What sits above the first message: loading, the way to older history, or the channel's beginning. */
interface IntroRow {
  kind: 'intro';
  key: string;
  state: 'loading' | 'older' | 'start';
}

type LogRow = IntroRow | MessageRow;

/** Older history loads when the view comes this close (px) to the top. */
const LOAD_OLDER_WITHIN = 200;
/** Within this distance (px) of the bottom, the view follows new messages. */
const PINNED_WITHIN = 40;
/** How long a linked message stays highlighted (ms). */
const HIGHLIGHT_MS = 4000;

/** A first guess at a row's height (px) until it has been rendered and measured. */
function estimateHeight(row: LogRow): number {
  if (row.kind === 'intro') return row.state === 'start' ? 80 : 44;
  const lines = row.message.text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 90)), 0);
  let height = 20 * lines;
  if (row.startsGroup) height = Math.max(height + 20, 36) + 8;
  if (row.endsGroup) height += 4;
  if (row.dayLabel) height += 40;
  if (row.newSince) height += 32;
  if (row.message.replyCount > 0) height += 28;
  if (row.message.threadRootId) height += 16;
  // Files: an image row (up to 240 px), a player or a row of cards.
  if (row.message.files.length && !row.message.deletedAt) height += row.message.files.some((f) => f.kind === 'image') ? 248 : 64;
  return height;
}

/** One channel or DM: header, the message log, who is typing, and the composer. */
@Component({
  selector: 'app-channel-view',
  imports: [CdkVirtualForOf, CdkVirtualScrollViewport, Composer, DropOverlay, FileDrop, FilesPanel, MembersPanel, MessageBody, MessageGutter, MessageHeader, PinnedList, SeenLine, ThreadContext, ThreadPanel, ThreadSummary],
  templateUrl: './channel-view.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex min-h-0 flex-1', '(document:visibilitychange)': 'onVisibility()' },
  // The log renders only the rows near the viewport; the strategy measures them and keeps the view still.
  providers: [{ provide: VIRTUAL_SCROLL_STRATEGY, useFactory: () => inject(ChannelView).scrollStrategy }],
})
export class ChannelView {
  protected readonly chat = inject(ChatStore);
  protected readonly store = inject(ChannelsStore);
  protected readonly messages = inject(MessagesStore);
  private readonly presence = inject(PresenceStore);
  protected readonly pins = inject(PinsStore);
  protected readonly actions = inject(MessageActions);
  private readonly readReceipts = inject(ReadReceiptsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  readonly channelId = input.required<string>();
  /** The thread open beside the log (`?thread=<rootId>`: a reload keeps it open). */
  readonly thread = input<string | undefined>();
  /** A permalink's message (`?m=<seq>`, see MessageActions.permalink): shown and highlighted on open. */
  readonly m = input<string | undefined>();

  protected readonly channel = computed(() => this.store.channels().find((c) => c.id === this.channelId()) ?? null);
  protected readonly title = computed(() => {
    const channel = this.channel();
    if (!channel) return '';
    return channel.type === 'public' || channel.type === 'private' ? `# ${channel.name}` : this.store.channelLabel(channel);
  });
  private readonly held = computed(() => this.messages.messages()[this.channelId()]);
  /** Where the "new since you left" line goes (see read-mark.ts). */
  private readonly readMark = signal<ReadMark>(null);
  /** The channel the view was last set up for. */
  private openedId: string | null = null;
  protected readonly hasOlder = computed(() => this.held()?.hasOlder ?? false);
  /** The log shows a window around a linked message, with newer messages not loaded yet. */
  protected readonly hasNewer = computed(() => this.held()?.hasNewer ?? false);
  protected readonly loadingNewer = signal(false);
  protected readonly showPins = signal(false);
  protected readonly pinCount = computed(() => this.pins.pins()[this.channelId()]?.length ?? 0);
  /** The row key (clientMsgId) of the linked message while it is highlighted. */
  protected readonly highlighted = signal<string | null>(null);
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** The permalink last shown, so a change of the channel's data does not jump there again. */
  private shownLink: string | null = null;
  /** The log's rows: what is above the first message, then one row per message. */
  protected readonly rows = computed<LogRow[]>(() => {
    const held = this.held();
    if (!held) return [{ kind: 'intro', key: 'intro:loading', state: 'loading' }];
    const intro: IntroRow = held.hasOlder
      ? { kind: 'intro', key: 'intro:older', state: 'older' }
      : { kind: 'intro', key: 'intro:start', state: 'start' };
    // A thread reply on its way shows in the thread panel, and here only when also sent to the channel.
    const outbox = held.outbox.filter(showsInChannel);
    return [intro, ...messageRows(groupMessages([...held.messages, ...outbox], this.readMark() ?? 0, this.store.me()))];
  });
  protected readonly typingText = computed(() => {
    this.presence.typing();
    const names = this.presence.typingIn(this.channelId()).map((id) => this.store.displayName(id));
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
  protected readonly showFiles = signal(false);
  private readonly composer = viewChild<Composer>('composer');
  /** Files may be dropped where the composer is (a member, not archived). */
  protected readonly canAttach = computed(() => !!this.channel()?.member && !this.channel()?.archivedAt);
  readonly scrollStrategy = new VariableHeightScrollStrategy<LogRow>(
    {
      rows: () => this.rows(),
      estimate: estimateHeight,
      // Older history loads above the intro row: the first message holds the view still, not the intro.
      anchorable: (row) => row.kind === 'message',
      scrolled: () => this.onScroll(),
    },
    inject(Injector),
  );
  /** The newest row seen, to count what arrives below it while the person is scrolled up. */
  private lastKey: string | null = null;
  /** The window had newer messages not loaded when the rows last changed. */
  private hadNewer = false;

  constructor() {
    // One effect, so the order is fixed: a newly opened channel first takes its divider from the
    // read position, and only then is it marked read (which moves the read position, not the divider).
    effect(() => {
      const id = this.channelId();
      const channel = this.channel();
      const loaded = this.held() !== undefined;
      untracked(() => {
        if (id !== this.openedId) {
          this.openedId = id;
          this.pinned.set(true);
          this.scrollStrategy.stickToBottom(true);
          this.newBelow.set(0);
          this.lastKey = null;
          this.messages.editingId.set(null);
          this.readMark.set(nextReadMark(this.readMark(), { kind: 'opened', lastReadSeq: channel?.lastReadSeq ?? null }));
          this.showPins.set(false);
          this.showFiles.set(false);
          this.pins.load(id).catch(() => undefined); // the count shows once loaded; the list says why it failed
          if (!this.linkedSeq()) void this.messages.openChannel(id, channel?.lastChangeSeq);
        }
        if (!channel) return; // after a reload the channel list may come after the messages
        this.readMark.update((mark) => nextReadMark(mark, { kind: 'known', lastReadSeq: channel.lastReadSeq }));
        // Marked read whenever the person is looking at what is new (on open, or once the list is in).
        if (loaded && document.visibilityState === 'visible') this.store.markRead(id);
      });
    });
    // Read receipts follow the open channel (and its size, and your own switch; see ReadReceiptsStore).
    effect(() => this.readReceipts.follow(this.channel()));
    inject(DestroyRef).onDestroy(() => this.readReceipts.follow(null));
    // A permalink: load the history around the message, show it and highlight it.
    effect(() => {
      const id = this.channelId();
      const seq = this.linkedSeq();
      untracked(() => {
        const link = seq ? `${id}:${seq}` : null;
        if (link === this.shownLink) return;
        this.shownLink = link;
        if (!seq) return;
        void this.showLinked(id, seq);
      });
    });
    // Gone from the screen: what arrives in the channel now is unseen (unread, and may notify).
    inject(DestroyRef).onDestroy(() => {
      if (this.messages.activeChannelId() === this.openedId) this.messages.activeChannelId.set(null);
    });
    // Messages that arrive below while the person is scrolled up are counted for the "N new messages" button.
    effect(() => {
      const rows = this.rows();
      untracked(() => {
        const last = rows.at(-1);
        const lastKey = last?.kind === 'message' ? last.key : null;
        // Rows below a window around a linked message are pages loaded on scrolling, not new messages.
        const loadedBelow = this.hadNewer;
        this.hadNewer = this.hasNewer();
        if (this.lastKey && lastKey && lastKey !== this.lastKey && !this.pinned() && !loadedBelow) {
          let added = 0;
          for (let i = rows.length - 1; i >= 0 && rows[i].key !== this.lastKey; i--) added++;
          if (added < rows.length) this.newBelow.update((n) => n + added);
        }
        this.lastKey = lastKey;
      });
    });
  }

  /** Files dropped anywhere on the conversation are attached in the composer (uploading at once). */
  protected dropFiles(files: File[]): void {
    if (this.canAttach()) this.composer()?.attach(files);
  }

  protected trackRow(_index: number, row: LogRow): string {
    return row.key;
  }

  /** Back to the tab: the divider moves above what arrived meanwhile, then the channel is read. */
  protected onVisibility(): void {
    const channel = this.channel();
    if (!channel || document.visibilityState !== 'visible') return;
    const lastSeq = Math.max(channel.lastSeq, this.held()?.lastSeq ?? 0);
    this.readMark.update((mark) => nextReadMark(mark, { kind: 'returned', lastReadSeq: channel.lastReadSeq, lastSeq }));
    this.store.markRead(channel.id);
  }

  /** The permalink's seq, when the address names a valid one. */
  private linkedSeq(): number | null {
    const seq = Number(this.m());
    return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
  }

  private async showLinked(channelId: string, seq: number): Promise<void> {
    await this.messages.openAround(channelId, seq, this.channel()?.lastChangeSeq);
    if (this.channelId() !== channelId) return;
    const key = this.held()?.messages.find((message) => message.seq === seq)?.clientMsgId;
    if (!key) return;
    this.pinned.set(false);
    this.scrollStrategy.stickToBottom(false);
    // After the rows are in the list: the strategy knows them (and their place) only then.
    afterNextRender(
      () => {
        const index = this.rows().findIndex((row) => row.key === key);
        if (index >= 0) this.scrollStrategy.scrollToIndex(index);
      },
      { injector: this.injector },
    );
    this.highlighted.set(key);
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => this.highlighted.set(null), HIGHLIGHT_MS);
  }

  /** A pinned message chosen in the list: shown as a permalink would (the address says which one). */
  protected showPinned(message: MessageDto): void {
    // The address already names it: the effect does not run again, so it is shown from here.
    if (this.linkedSeq() === message.seq) void this.showLinked(this.channelId(), message.seq);
    else void this.router.navigate([], { relativeTo: this.route, queryParams: { m: message.seq }, replaceUrl: true });
  }

  private onScroll(): void {
    // A window with newer messages below is never "at the bottom": the newest are not shown.
    const atBottom = this.scrollStrategy.distanceFromBottom() < PINNED_WITHIN && !this.hasNewer();
    this.pinned.set(atBottom);
    this.scrollStrategy.stickToBottom(atBottom);
    if (atBottom) {
      this.newBelow.set(0);
      this.store.markRead(this.channelId());
    }
    if (this.scrollStrategy.scrollTop() < LOAD_OLDER_WITHIN && this.hasOlder() && !this.loadingOlder()) void this.loadOlder();
    if (this.scrollStrategy.distanceFromBottom() < LOAD_OLDER_WITHIN && this.hasNewer() && !this.loadingNewer()) void this.loadNewer();
  }

  private async loadNewer(): Promise<void> {
    this.loadingNewer.set(true);
    try {
      await this.messages.loadNewer(this.channelId());
    } finally {
      this.loadingNewer.set(false);
    }
  }

  private async loadOlder(): Promise<void> {
    this.loadingOlder.set(true);
    try {
      await this.messages.loadOlder(this.channelId());
    } finally {
      this.loadingOlder.set(false);
    }
  }

  protected async jumpToLatest(): Promise<void> {
    if (this.hasNewer()) {
      await this.messages.openLatest(this.channelId());
      void this.router.navigate([], { relativeTo: this.route, queryParams: { m: null }, replaceUrl: true });
    }
    this.scrollStrategy.scrollToBottom();
    this.pinned.set(true);
    this.newBelow.set(0);
    this.store.markRead(this.channelId());
  }
}
