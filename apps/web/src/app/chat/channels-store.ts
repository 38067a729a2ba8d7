import { Injectable, computed, inject, signal } from '@angular/core';
import { countUnread, type ChannelDto, type MemberDto, type MessageDto, type WorkspaceDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { MessagesStore } from './messages-store';

/**
 * The workspaces one belongs to, and of the open one: its channels (membership, read position,
 * unread counts) and its members. Membership changes arrive live (the server has already moved
 * this socket's rooms): the channel list, member counts and the workspace list follow without a
 * reload.
 */
@Injectable({ providedIn: 'root' })
export class ChannelsStore {
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

  constructor() {
    this.socket.onConnect(() => {
      const reads = [...this.unsentReads];
      this.unsentReads.clear();
      for (const [channelId, seq] of reads) void this.sendRead(channelId, seq);
    });
    this.socket.on('readUpdate', ({ channelId, userId, seq }) => {
      if (userId !== this.me()) return;
      this.patchChannel(channelId, (c) => {
        const lastReadSeq = Math.max(c.lastReadSeq, seq);
        return { ...c, lastReadSeq, unreadCount: countUnread(c.lastSeq, lastReadSeq) };
      });
    });
    this.socket.on('memberJoined', ({ channelId, userId, memberCount }) => {
      this.patchChannel(channelId, (c) => ({ ...c, memberCount }));
      if (userId === this.me()) void this.refreshChannels();
      else if (!this.members()[userId]) void this.refreshMembers();
    });
    this.socket.on('memberLeft', ({ channelId, userId, memberCount }) => {
      if (userId === this.me()) {
        this.channels.update((list) =>
          list.filter((c) => c.id !== channelId || c.type === 'public').map((c) => (c.id === channelId ? { ...c, member: false, memberCount, unreadCount: 0 } : c)),
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
    this.channels.set(
      fetched.map((channel) => {
        const before = known.get(channel.id);
        const lastSeq = Math.max(channel.lastSeq, before?.lastSeq ?? 0, this.messages.lastSeqOf(channel.id));
        const lastReadSeq = Math.max(channel.lastReadSeq, before?.member ? before.lastReadSeq : 0);
        return { ...channel, lastSeq, lastReadSeq, unreadCount: channel.member ? countUnread(lastSeq, lastReadSeq) : 0 };
      }),
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
   * A stored message moves its channel's newest seq. Sending moves the sender's own read position
   * on the server; anyone else's message is read by markRead, which must still see it unread here,
   * or the server would never be told.
   */
  noteMessage(message: MessageDto): void {
    const mine = message.senderId === this.me();
    this.patchChannel(message.channelId, (c) => {
      const lastSeq = Math.max(c.lastSeq, message.seq);
      const lastReadSeq = mine ? Math.max(c.lastReadSeq, message.seq) : c.lastReadSeq;
      return { ...c, lastSeq, lastReadSeq, unreadCount: countUnread(lastSeq, lastReadSeq) };
    });
  }

  /** Marks the channel read up to its newest message (when the person is looking at it). */
  markRead(channelId: string): void {
    const channel = this.find(channelId);
    const seq = Math.max(channel?.lastSeq ?? 0, this.messages.lastSeqOf(channelId));
    if (!channel || !channel.member || seq <= channel.lastReadSeq) return;
    this.patchChannel(channelId, (c) => ({ ...c, lastReadSeq: seq, unreadCount: 0 }));
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
    // One's own name comes from the account first: a rename on the profile page shows at once.
    const own = userId === this.me() ? this.auth.user()?.displayName : undefined;
    return own || (this.members()[userId]?.displayName ?? 'Someone');
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
