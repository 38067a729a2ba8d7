import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { HISTORY_PAGE_MAX, type MessageDto, type ReactionDto, type ThreadDto, type ThreadFollowState } from '@parley/contracts';

import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import type { ChatMessage } from './message-groups';
import { MessagesStore } from './messages-store';

/** What the client holds of one thread it has opened. */
export interface HeldThread {
  rootId: string;
  channelId: string;
  /** The root as last known here; the channel's list, when it holds the root, has the same or newer. */
  root: MessageDto | null;
  /** The stored replies in seq order (pending ones wait in the channel's outbox, see MessagesStore.addPending). */
  replies: ChatMessage[];
  state: 'loading' | 'loaded' | 'failed';
  /** Following and the read position, once the server has said (null: not known yet). */
  follow: ThreadFollowState | null;
}

/** A thread loads in pages of this many replies, up to THREAD_PAGES_MAX pages (the rest is not shown). */
const THREAD_PAGE = HISTORY_PAGE_MAX;
const THREAD_PAGES_MAX = 20;
/** Replies come in bursts: the threads list is fetched again once they settle (ms). */
export const THREADS_REFRESH_MS = 500;

/**
 * Threads: the replies of each thread opened in the panel, the thread shown in it, and the list of
 * threads one follows (the sidebar's "Threads", with how many have unread replies).
 *
 * Replies share their channel's seqs and arrive with the channel's messages (newMessage, sync):
 * MessagesStore takes them in seq order, so its sync cursor stays gap-free, and hands each to this
 * store (MessagesStore.onTaken) instead of listing it. Changes to replies (edits, deletes,
 * reactions) and to roots ('replied': the reply count, repliers and last reply time) come the
 * same way, each in its turn. A thread being loaded keeps what arrives meanwhile and applies it
 * after the page, so the page never hides a newer state.
 */
@Injectable({ providedIn: 'root' })
export class ThreadStore {
  private readonly api = inject(ChatApi);
  private readonly messages = inject(MessagesStore);
  private readonly channels = inject(ChannelsStore);
  private readonly router = inject(Router);

  readonly threads = signal<Record<string, HeldThread>>({});
  /** The thread shown in the panel (the address says which: `?thread=<rootId>`). */
  readonly openRootId = signal<string | null>(null);
  /** The threads one follows in the open workspace, newest activity first. */
  readonly followed = signal<ThreadDto[]>([]);
  readonly followedLoaded = signal(false);
  /** How many followed threads have replies one has not read (the sidebar's count). */
  readonly unreadThreads = computed(() => this.followed().filter((t) => t.following && t.unreadReplies > 0).length);

  private readonly arrivedWhileLoading = new Map<string, [MessageDto, string | null][]>();
  /** The highest read position asked for per thread, so one reply is not marked read twice. */
  private readonly readAsked = new Map<string, number>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.messages.onTaken((message, actorId) => this.take(message, actorId));
    // Back after a disconnection: replies to followed threads may have come meanwhile.
    inject(SocketService).onConnect(() => void this.refreshList().catch(() => undefined));
  }

  /** Forgets every thread (another workspace opens). */
  clear(): void {
    clearTimeout(this.refreshTimer);
    this.threads.set({});
    this.followed.set([]);
    this.followedLoaded.set(false);
    this.readAsked.clear();
    this.openRootId.set(null);
  }

  /** Shows a thread in the panel (the channel view follows the address). */
  openThread(rootId: string): void {
    void this.router.navigate([], { queryParams: { thread: rootId }, queryParamsHandling: 'merge' });
  }

  closeThread(): void {
    void this.router.navigate([], { queryParams: { thread: null }, queryParamsHandling: 'merge' });
  }

  /** A thread's root where the client knows it: the channel's list first (the newest state), then the thread, then the threads list. */
  rootOf(rootId: string, channelId?: string): MessageDto | null {
    const inChannel = channelId ? this.messages.messages()[channelId]?.messages.find((m) => m.id === rootId) : undefined;
    return inChannel ?? this.threads()[rootId]?.root ?? this.followed().find((t) => t.root.id === rootId)?.root ?? null;
  }

  /**
   * Loads a thread's replies for the panel (again each time it is opened: what is held may be
   * stale after a reconnect), then marks it read.
   */
  async open(rootId: string, channelId: string): Promise<void> {
    this.openRootId.set(rootId);
    if (this.arrivedWhileLoading.has(rootId)) return;
    const listed = this.followed().find((t) => t.root.id === rootId);
    this.threads.update((all) => {
      const before = all[rootId];
      const follow = before?.follow ?? (listed ? { rootId, following: listed.following, lastReadSeq: listed.lastReadSeq, unreadReplies: listed.unreadReplies } : null);
      return {
        ...all,
        [rootId]: {
          rootId,
          channelId,
          root: this.rootOf(rootId, channelId),
          replies: before?.replies ?? [],
          state: before?.state === 'loaded' ? 'loaded' : 'loading',
          follow,
        },
      };
    });
    this.arrivedWhileLoading.set(rootId, []);
    // A root the client does not hold (a thread opened from a link, a root far up the history) is fetched on its own.
    const rootFetch = this.threads()[rootId]?.root
      ? null
      : this.api
          .message(rootId)
          .then((root) => this.patch(rootId, (thread) => ({ ...thread, root: thread.root ?? root })))
          .catch(() => undefined); // not readable, or gone: the panel says the root is not there
    try {
      const replies: MessageDto[] = [];
      let after = 0;
      for (let page = 0; page < THREAD_PAGES_MAX; page++) {
        const got = await this.api.replies(rootId, { after, limit: THREAD_PAGE });
        replies.push(...got.items);
        if (!got.hasMore || !got.items.length) break;
        after = got.items[got.items.length - 1].seq;
      }
      this.patch(rootId, (thread) => ({ ...thread, replies: mergeReplies(thread.replies, replies), state: 'loaded' }));
    } catch {
      this.patch(rootId, (thread) => ({ ...thread, state: thread.replies.length ? 'loaded' : 'failed' }));
    } finally {
      await rootFetch;
      const arrived = this.arrivedWhileLoading.get(rootId) ?? [];
      this.arrivedWhileLoading.delete(rootId);
      for (const [message, actorId] of arrived) this.take(message, actorId);
    }
    if (this.openRootId() === rootId && document.visibilityState === 'visible') await this.markRead(rootId);
  }

  /** The panel was closed. */
  close(): void {
    this.openRootId.set(null);
  }

  /** Marks the thread read up to its newest reply held (the person is looking at it). */
  async markRead(rootId: string): Promise<void> {
    const thread = this.threads()[rootId];
    const seq = thread?.replies.at(-1)?.seq ?? 0;
    if (!thread || !seq || seq <= (this.readAsked.get(rootId) ?? 0)) return;
    if (thread.follow && thread.follow.lastReadSeq >= seq && thread.follow.unreadReplies === 0) return;
    this.readAsked.set(rootId, seq);
    try {
      this.setFollow(await this.api.readThread(rootId, seq));
    } catch {
      // Not taken (a busy server, a network blip): asked again when the next reply comes or the panel opens.
      if (this.readAsked.get(rootId) === seq) this.readAsked.delete(rootId);
    }
  }

  /** Follows or unfollows the thread; the list and its count follow the server's answer. */
  async setFollowing(rootId: string, following: boolean): Promise<void> {
    this.setFollow(await this.api.follow(rootId, following));
  }

  /** The newest reply of `senderId` in a thread, not deleted (what ↑ in the thread's composer edits). */
  lastOwnReply(rootId: string, senderId: string): ChatMessage | null {
    const replies = this.threads()[rootId]?.replies ?? [];
    for (let i = replies.length - 1; i >= 0; i--) if (replies[i].senderId === senderId && !replies[i].deletedAt) return replies[i];
    return null;
  }

  /** Fetches the threads list again (the open workspace's). */
  async refreshList(): Promise<void> {
    const workspaceId = this.channels.workspaceId();
    if (!workspaceId) return;
    const list = await this.api.threads(workspaceId);
    if (this.channels.workspaceId() !== workspaceId) return;
    // A read answered after the list was made is newer than the list.
    this.followed.set(
      list.map((entry) => {
        const local = this.threads()[entry.root.id]?.follow;
        return local && local.lastReadSeq > entry.lastReadSeq ? { ...entry, lastReadSeq: local.lastReadSeq, unreadReplies: local.unreadReplies } : entry;
      }),
    );
    this.followedLoaded.set(true);
  }

  /**
   * A live message (ChatStore hands each newMessage here): a reply that may change the threads
   * list (a followed thread, one's own reply, which follows it, or a reply to one's own message)
   * fetches the list again once the burst settles.
   */
  noteMessage(message: MessageDto): void {
    const rootId = message.threadRootId;
    if (!rootId) return;
    const me = this.channels.me();
    const root = this.rootOf(rootId, message.channelId);
    const concerns =
      message.senderId === me ||
      root?.senderId === me ||
      this.followed().some((t) => t.root.id === rootId) ||
      this.threads()[rootId]?.follow?.following === true;
    if (concerns) this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshList().catch(() => undefined), THREADS_REFRESH_MS);
  }

  /** A message MessagesStore took in: a reply joins (or replaces its copy in) its thread; a root replaces the thread's copy. */
  private take(message: MessageDto, actorId: string | null): void {
    const rootId = message.threadRootId ?? message.id;
    const waiting = this.arrivedWhileLoading.get(rootId);
    if (waiting) {
      waiting.push([message, actorId]);
      return;
    }
    const thread = this.threads()[rootId];
    if (!thread) {
      if (!message.threadRootId) this.patchListed(message);
      return;
    }
    const me = this.channels.me();
    const keep = actorId !== null && actorId !== me;
    if (!message.threadRootId) {
      this.patch(rootId, (t) => ({ ...t, root: keep && t.root ? keepMyReactions(t.root, message) : message }));
      this.patchListed(message);
      return;
    }
    this.patch(rootId, (t) => {
      const before = t.replies.find((m) => m.id === message.id);
      return { ...t, replies: mergeReplies(t.replies, [keep && before ? keepMyReactions(before, message) : message]) };
    });
    if (message.senderId === me) {
      // Writing in a thread follows it and reads it up to one's reply (the server does the same).
      this.patch(rootId, (t) => ({
        ...t,
        follow: { rootId, following: true, lastReadSeq: Math.max(t.follow?.lastReadSeq ?? 0, message.seq), unreadReplies: 0 },
      }));
    } else if (this.openRootId() === rootId && document.visibilityState === 'visible') {
      void this.markRead(rootId);
    }
  }

  /** Keeps the threads list's root in step with live changes to it (its reply count, an edit). */
  private patchListed(root: MessageDto): void {
    if (!this.followed().some((t) => t.root.id === root.id)) return;
    this.followed.update((list) => list.map((t) => (t.root.id === root.id ? { ...t, root: { ...root, reactions: t.root.reactions } } : t)));
  }

  /** The server's word on following and reading a thread: for the panel and the threads list. */
  private setFollow(state: ThreadFollowState): void {
    this.patch(state.rootId, (t) => {
      // An answer overtaken by a later read keeps the later read position.
      const older = t.follow && t.follow.lastReadSeq > state.lastReadSeq;
      return { ...t, follow: older && t.follow ? { ...t.follow, following: state.following } : state };
    });
    const listed = this.followed().some((t) => t.root.id === state.rootId);
    if (!state.following) {
      this.followed.update((list) => list.filter((t) => t.root.id !== state.rootId));
    } else if (listed) {
      this.followed.update((list) =>
        list.map((t) =>
          t.root.id === state.rootId && state.lastReadSeq >= t.lastReadSeq ? { ...t, lastReadSeq: state.lastReadSeq, unreadReplies: state.unreadReplies } : t,
        ),
      );
    } else {
      this.scheduleRefresh();
    }
  }

  private patch(rootId: string, change: (thread: HeldThread) => HeldThread): void {
    this.threads.update((all) => (all[rootId] ? { ...all, [rootId]: change(all[rootId]) } : all));
  }
}

/** Adds stored replies (deduplicated by id, ordered by seq); a reply already held takes the newer copy. */
export function mergeReplies(held: readonly ChatMessage[], incoming: readonly MessageDto[]): ChatMessage[] {
  if (!incoming.length) return [...held];
  const byId = new Map(held.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, { ...message, state: 'sent' });
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Someone else's live change carries their `me` on each reaction (see ReactionDto): the reader's
 * own `me` per emoji is kept from the copy held (false for an emoji new to it).
 */
function keepMyReactions(before: MessageDto, message: MessageDto): MessageDto {
  const mine = new Map(before.reactions.map((r) => [r.emoji, r.me]));
  const reactions: ReactionDto[] = message.reactions.map((r) => ({ ...r, me: mine.get(r.emoji) ?? false }));
  return { ...message, reactions };
}
