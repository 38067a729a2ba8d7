import { Injectable, computed, inject, signal } from '@angular/core';
import { countUnread, countsAsUnread, mentionsUser, type ChannelDto, type MemberDto, type MessageChangeEvent, type MessageDto, type WorkspaceDto, UNREAD_COUNTED_MAX } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { mentionsAsText } from './mention-tokens';
import type { MentionContext } from './message-text';
import { MessagesStore } from './messages-store';

/**
 * A channel read up to `seq`: nothing is unread once that is its newest seq, and its mention
 * count is gone with it. Read part of the way, it keeps its counts, never more than the seqs left
 * (which of the rest count, only the server knows; its next list tells). The rule for every
 * read: one's markRead, a read on another device, one's own send.
 */
export function readTo(channel: ChannelDto, seq: number): ChannelDto {
  const lastReadSeq = Math.max(channel.lastReadSeq, seq);
  const unreadCount = Math.min(channel.unreadCount, countUnread(channel.lastSeq, lastReadSeq));
  return { ...channel, lastReadSeq, unreadCount, mentionCount: unreadCount === 0 ? 0 : channel.mentionCount };
}

/**
 * A stored message arrived live: the channel's newest seq moves; it counts as unread
 * (countsAsUnread: shown in the history, someone else's), and as a mention when it mentions one
 * (mentionsUser), when it is new to this list and past one's read position (a list fetched after
 * it was stored counts it already). One's own message reads the channel up to it, as the server
 * does on send.
 */
export function withMessage(channel: ChannelDto, message: MessageDto, me: string | null): ChannelDto {
  const fresh = channel.member && message.seq > channel.lastSeq && message.seq > channel.lastReadSeq && me !== null;
  const unread = fresh && countsAsUnread(message, me) && channel.unreadCount < UNREAD_COUNTED_MAX;
  const mention = fresh && mentionsUser(message, me);
  const lastSeq = Math.max(channel.lastSeq, message.seq);
  const next = { ...channel, lastSeq, unreadCount: channel.unreadCount + (unread ? 1 : 0), mentionCount: channel.mentionCount + (mention ? 1 : 0) };
  return message.senderId === me ? readTo(next, message.seq) : next;
}

/** An unread message was deleted: it counts no more (the mention count is fetched again, see mayMoveMentions). */
export function withDeleted(channel: ChannelDto, change: MessageChangeEvent, me: string | null): ChannelDto {
  const message = change.message;
  const counted =
    channel.member && change.kind === 'deleted' && me !== null && message.seq > channel.lastReadSeq && message.seq <= channel.lastSeq && countsAsUnread({ ...message, deletedAt: null }, me);
  return counted ? { ...channel, unreadCount: Math.max(0, channel.unreadCount - 1) } : channel;
}

/**
 * A channel as a list fetched now shows it, and as this client knew it (live events may have
 * overtaken the request): the newest seq and read position either side knows; the list's counts
 * when it is as new as what is known, else the ones kept live; nothing unread once all is read.
 */
export function mergeFetched(fetched: ChannelDto, before: ChannelDto | undefined, heldLastSeq: number): ChannelDto {
  const known = before?.member ? before : undefined;
  const lastSeq = Math.max(fetched.lastSeq, before?.lastSeq ?? 0, heldLastSeq);
  const lastReadSeq = Math.max(fetched.lastReadSeq, known?.lastReadSeq ?? 0);
  if (!fetched.member || lastReadSeq >= lastSeq) return { ...fetched, lastSeq, lastReadSeq, unreadCount: 0, mentionCount: 0 };
  const fetchedIsNewest = fetched.lastSeq >= lastSeq && fetched.lastReadSeq >= lastReadSeq;
  const unread = fetchedIsNewest || !known ? fetched.unreadCount : known.unreadCount;
  const unreadCount = Math.min(unread, countUnread(lastSeq, lastReadSeq));
  // A mention counted live may not be in the list yet (or be in it already): the higher count.
  const mentionCount = fetchedIsNewest || !known ? fetched.mentionCount : Math.max(fetched.mentionCount, known.mentionCount);
  return { ...fetched, lastSeq, lastReadSeq, unreadCount, mentionCount };
}

/**
 * Whether an edit or a delete may have changed one's unread mentions in its channel: it is of
 * someone else's unread message, and either the channel counts mentions now or the message (as
 * edited) mentions one. Which unread messages mention one only the server knows: the channel is
 * then fetched again (recountMentions).
 */
export function mayMoveMentions(channel: ChannelDto | undefined, change: MessageChangeEvent, me: string | null): boolean {
  if (!channel?.member || me === null || (change.kind !== 'edited' && change.kind !== 'deleted')) return false;
  const message = change.message;
  if (message.senderId === me || message.seq <= channel.lastReadSeq || message.threadRootId) return false;
  return channel.mentionCount > 0 || mentionsUser(message, me);
}

/**
 * The workspaces one belongs to, and of the open one: its channels (membership, read position,
 * unread counts) and its members. Membership changes arrive live (the server has already moved
 * this socket's rooms): the channel list, member counts and the workspace list follow without a
 * reload.
 */
@Injectable({ providedIn: 'root' })
export class ChannelsStore implements MentionContext {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);
  private readonly auth = inject(AuthStore);
  private readonly messages = inject(MessagesStore);

  readonly workspaces = signal<WorkspaceDto[]>([]);
  readonly workspaceId = signal<string | null>(null);
  readonly channels = signal<ChannelDto[]>([]);
  readonly members = signal<Record<string, MemberDto>>({});

  readonly me = computed(() => this.auth.user()?.id ?? null);
  readonly workspace = computed(() => this.workspaces().find((w) => w.id === this.workspaceId()) ?? null);
  readonly joinedChannels = computed(() => this.channels().filter((c) => c.member && (c.type === 'public' || c.type === 'private')));
  readonly directMessages = computed(() => this.channels().filter((c) => c.member && (c.type === 'dm' || c.type === 'group_dm')));
  readonly browsableChannels = computed(() => this.channels().filter((c) => !c.member && c.type === 'public' && !c.archivedAt));
  readonly totalUnread = computed(() => this.channels().reduce((sum, c) => sum + (c.member ? c.unreadCount : 0), 0));

  /** Read positions the server has not taken yet: channel id → seq. */
  private readonly unsentReads = new Map<string, number>();
  /** Channels whose mention count is fetched again soon (a burst of edits asks once). */
  private readonly recounts = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    this.socket.onConnect(() => {
      const reads = [...this.unsentReads];
      this.unsentReads.clear();
      for (const [channelId, seq] of reads) void this.sendRead(channelId, seq);
    });
    const recountAfter = (change: MessageChangeEvent) => {
      if (mayMoveMentions(this.find(change.channelId), change, this.me())) this.recountMentions(change.channelId);
    };
    this.socket.on('messageUpdated', recountAfter);
    this.socket.on('messageDeleted', (change) => {
      this.patchChannel(change.channelId, (c) => withDeleted(c, change, this.me()));
      recountAfter(change);
    });
    this.socket.on('readUpdate', ({ channelId, userId, seq }) => {
      if (userId !== this.me()) return;
      this.patchChannel(channelId, (c) => readTo(c, seq));
    });
    // A new name or picture shows at once wherever the person is shown (and on one's other devices).
    this.socket.on('userUpdated', ({ userId, displayName, avatarUrl, statusText }) => {
      const known = this.members()[userId];
      if (known) this.members.update((all) => ({ ...all, [userId]: { ...known, displayName, avatarUrl } }));
      const own = userId === this.me() ? this.auth.user() : null;
      if (own && this.auth.setUser) this.auth.setUser({ ...own, displayName, avatarUrl, statusText });
    });
    this.socket.on('memberJoined', ({ channelId, userId, memberCount }) => {
      this.patchChannel(channelId, (c) => ({ ...c, memberCount }));
      if (userId === this.me()) void this.refreshChannels();
      else if (!this.members()[userId]) void this.refreshMembers();
    });
    this.socket.on('memberLeft', ({ channelId, userId, memberCount }) => {
      if (userId === this.me()) {
        this.channels.update((list) =>
          list.filter((c) => c.id !== channelId || c.type === 'public').map((c) => (c.id === channelId ? { ...c, member: false, memberCount, unreadCount: 0, mentionCount: 0 } : c)),
        );
      } else this.patchChannel(channelId, (c) => ({ ...c, memberCount }));
    });
    this.socket.on('channelUpdated', (channel) =>
      this.patchChannel(channel.id, (c) => ({ ...c, name: channel.name, topic: channel.topic, archivedAt: channel.archivedAt, memberCount: channel.memberCount })),
    );
    this.socket.on('channelsChanged', ({ workspaceId }) => {
      if (workspaceId === this.workspaceId()) void this.refreshChannels();
    });
    this.socket.on('workspaceJoined', ({ workspaceId }) => {
      void this.loadWorkspaces();
      if (workspaceId === this.workspaceId()) void Promise.all([this.refreshChannels(), this.refreshMembers()]);
    });
  }

  async loadWorkspaces(): Promise<WorkspaceDto[]> {
    const list = await this.api.workspaces();
    this.workspaces.set(list);
    return list;
  }

  /** Makes a workspace the open one, with no channels yet (the caller loads them). */
  select(workspaceId: string): void {
    this.workspaceId.set(workspaceId);
    this.channels.set([]);
  }

  /**
   * Removed from a workspace (or it was deleted): it goes from the list, and if it is the open
   * one, nothing is open any more. True when it was the open one.
   */
  forget(workspaceId: string): boolean {
    this.workspaces.update((list) => list.filter((w) => w.id !== workspaceId));
    if (this.workspaceId() !== workspaceId) return false;
    this.workspaceId.set(null);
    this.channels.set([]);
    return true;
  }

  /**
   * Reloads the channel list. Live events may have overtaken the request: a channel keeps the
   * newest seq and read position either side knows.
   */
  async refreshChannels(): Promise<void> {
    const id = this.workspaceId();
    if (!id) return;
    const fetched = await this.api.channels(id);
    // Another workspace was opened meanwhile: this list is not its list.
    if (this.workspaceId() !== id) return;
    const known = new Map(this.channels().map((c) => [c.id, c]));
    this.channels.set(fetched.map((channel) => mergeFetched(channel, known.get(channel.id), this.messages.lastSeqOf(channel.id))));
  }

  /**
   * Fetches one channel again for its mention count (an edit added or took away a mention of one,
   * a delete took one away). Its read position may have moved meanwhile: nothing is counted
   * once all is read.
   */
  recountMentions(channelId: string, delayMs = 300): void {
    if (this.recounts.has(channelId)) return;
    this.recounts.set(
      channelId,
      setTimeout(() => {
        this.recounts.delete(channelId);
        this.api
          .channel(channelId)
          .then((fetched) => this.patchChannel(channelId, (c) => ({ ...c, mentionCount: c.unreadCount ? fetched.mentionCount : 0 })))
          // Not readable now (offline, just removed): the next list tells.
          .catch(() => undefined);
      }, delayMs),
    );
  }

  async refreshMembers(): Promise<void> {
    const id = this.workspaceId();
    if (!id) return;
    const list = await this.api.members(id);
    if (this.workspaceId() !== id) return;
    this.members.set(Object.fromEntries(list.map((m) => [m.userId, m])));
  }

  has(channelId: string): boolean {
    return this.channels().some((c) => c.id === channelId);
  }

  find(channelId: string): ChannelDto | undefined {
    return this.channels().find((c) => c.id === channelId);
  }

  /**
   * A stored message moves its channel's newest seq (and its mention count: withMessage). Sending
   * moves the sender's own read position on the server; anyone else's message is read by markRead,
   * which must still see it unread here, or the server would never be told.
   */
  noteMessage(message: MessageDto): void {
    this.patchChannel(message.channelId, (c) => withMessage(c, message, this.me()));
  }

  /** Whether a message mentions the person signed in (highlighted; the one rule, mentionsUser). */
  mentionsMe(message: MessageDto): boolean {
    const me = this.me();
    return !!me && mentionsUser(message, me);
  }

  /** Marks the channel read up to its newest message (when the person is looking at it). */
  markRead(channelId: string): void {
    const channel = this.find(channelId);
    const seq = Math.max(channel?.lastSeq ?? 0, this.messages.lastSeqOf(channelId));
    if (!channel || !channel.member || seq <= channel.lastReadSeq) return;
    this.patchChannel(channelId, (c) => readTo({ ...c, lastSeq: Math.max(c.lastSeq, seq) }, seq));
    void this.sendRead(channelId, seq);
  }

  /**
   * Tells the server. A read the server could not take now (the socket still connecting after a
   * reload, a busy server) is kept, and sent on the next connection: dropped, the channel would
   * be unread again after the next reload.
   */
  private async sendRead(channelId: string, seq: number): Promise<void> {
    const ack = await this.socket.request('markRead', { channelId, seq });
    if (!ack.ok && ack.error.retryable) this.unsentReads.set(channelId, Math.max(seq, this.unsentReads.get(channelId) ?? 0));
  }

  displayName(userId: string): string {
    return this.userName(userId) ?? 'Someone';
  }

  /** A person's current name, or null for an id that is nobody of this workspace (a mention of them shows "@unknown"). */
  userName(userId: string): string | null {
    // One's own name comes from the account first: a rename on the profile page shows at once.
    const own = userId === this.me() ? this.auth.user()?.displayName : undefined;
    return own || (this.members()[userId]?.displayName ?? null);
  }

  /** A channel's current name, or null for one not listed (unknown, or private and not one's own): "#unknown". */
  channelName(channelId: string): string | null {
    return this.find(channelId)?.name ?? null;
  }

  /** A message's text with its mentions as names, for places that show plain text (mentionsAsText). */
  plainText(text: string): string {
    return mentionsAsText(text, this);
  }

  /** A channel's path in the app, null for one not listed. */
  channelPath(channelId: string): string | null {
    const channel = this.find(channelId);
    return channel ? `/w/${channel.workspaceId}/c/${channel.id}` : null;
  }

  /** A DM's name: the other people in it. */
  channelLabel(channel: ChannelDto): string {
    if (channel.name) return channel.name;
    const others = (channel.dmUserIds ?? []).filter((id) => id !== this.me());
    return others.map((id) => this.displayName(id)).join(', ') || 'Just you';
  }

  private patchChannel(channelId: string, change: (channel: ChannelDto) => ChannelDto): void {
    this.channels.update((list) => list.map((c) => (c.id === channelId ? change(c) : c)));
  }
}
