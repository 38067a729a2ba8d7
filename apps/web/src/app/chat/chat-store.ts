import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ChannelDto, MemberDto, MessageDto, PresenceStatus, SyncResult, WorkspaceDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { askUntilAnswered } from '../core/realtime/retry';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { Notifier, shouldNotify } from './notifier';
import type { ChatMessage } from './message-groups';

/** What the client holds of one channel's messages. */
export interface ChannelMessages {
  /** Stored messages in seq order, with no gap from the first one held to `lastSeq`. */
  messages: ChatMessage[];
  /** Sends on their way (pending) or refused (failed), in the order they were written. */
  outbox: ChatMessage[];
  /** Older messages exist before the first one held. */
  hasOlder: boolean;
  /** The highest seq held (the cursor for sync). */
  lastSeq: number;
}

const PAGE = 50;
const TYPING_TTL_MS = 6000;
const LAST_WORKSPACE_KEY = 'parley.lastWorkspace';

/**
 * The chat's state for the open workspace: channels, messages, typing, presence. Live events
 * come from the socket; after every (re)connection the store syncs each channel it holds from
 * its last seq, so nothing is missed. Sends are optimistic and keep their clientMsgId, so a
 * retry can never post twice; sends made offline go out on reconnect.
 */
@Injectable({ providedIn: 'root' })
export class ChatStore {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);
  private readonly auth = inject(AuthStore);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);

  readonly workspaces = signal<WorkspaceDto[]>([]);
  readonly workspaceId = signal<string | null>(null);
  readonly channels = signal<ChannelDto[]>([]);
  readonly members = signal<Record<string, MemberDto>>({});
  readonly presence = signal<Record<string, PresenceStatus>>({});
  readonly messages = signal<Record<string, ChannelMessages>>({});
  /** channelId → userId → when their typing indicator lapses. */
  readonly typing = signal<Record<string, Record<string, number>>>({});
  readonly activeChannelId = signal<string | null>(null);
  readonly connection = this.socket.state;

  readonly me = computed(() => this.auth.user()?.id ?? null);
  readonly workspace = computed(() => this.workspaces().find((w) => w.id === this.workspaceId()) ?? null);
  readonly joinedChannels = computed(() => this.channels().filter((c) => c.member && (c.type === 'public' || c.type === 'private')));
  readonly directMessages = computed(() => this.channels().filter((c) => c.member && (c.type === 'dm' || c.type === 'group_dm')));
  readonly browsableChannels = computed(() => this.channels().filter((c) => !c.member && c.type === 'public' && !c.archivedAt));
  readonly totalUnread = computed(() => this.channels().reduce((sum, c) => sum + (c.member ? c.unreadCount : 0), 0));

  constructor() {
    this.socket.onConnect(() => void this.resync());
    this.socket.on('newMessage', (message) => this.receive(message));
    this.socket.on('statusUpdate', ({ userId, status }) => this.presence.update((p) => ({ ...p, [userId]: status })));
    this.socket.on('userTyping', ({ userId, channelId, typing }) => this.setTyping(channelId, userId, typing));
    this.socket.on('readUpdate', ({ channelId, userId, seq }) => {
      if (userId === this.me()) this.patchChannel(channelId, (c) => ({ ...c, lastReadSeq: Math.max(c.lastReadSeq, seq), unreadCount: Math.max(0, c.lastSeq - Math.max(c.lastReadSeq, seq)) }));
    });
    // Membership changes arrive live (the server has already moved this socket's rooms): the
    // channel list, member counts and the workspace list follow without a reload.
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
    this.socket.on('workspaceLeft', ({ workspaceId }) => this.leftWorkspace(workspaceId));
  }

  static rememberedWorkspace(): string | null {
    try {
      return localStorage.getItem(LAST_WORKSPACE_KEY);
    } catch {
      return null;
    }
  }

  async loadWorkspaces(): Promise<WorkspaceDto[]> {
    const list = await this.api.workspaces();
    this.workspaces.set(list);
    return list;
  }

  async openWorkspace(workspaceId: string): Promise<void> {
    if (this.workspaceId() === workspaceId && this.channels().length) return;
    this.workspaceId.set(workspaceId);
    this.messages.set({});
    this.channels.set([]);
    try {
      localStorage.setItem(LAST_WORKSPACE_KEY, workspaceId);
    } catch {
      // storage disabled: nothing remembered
    }
    if (!this.workspaces().some((w) => w.id === workspaceId)) await this.loadWorkspaces();
    await Promise.all([this.refreshChannels(), this.refreshMembers(), this.refreshPresence()]);
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
        const lastSeq = Math.max(channel.lastSeq, before?.lastSeq ?? 0, this.messages()[channel.id]?.lastSeq ?? 0);
        const lastReadSeq = Math.max(channel.lastReadSeq, before?.member ? before.lastReadSeq : 0);
        return { ...channel, lastSeq, lastReadSeq, unreadCount: channel.member ? Math.max(0, lastSeq - lastReadSeq) : 0 };
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

  async refreshPresence(): Promise<void> {
    const id = this.workspaceId();
    if (!id) return;
    const list = await this.api.presence(id);
    if (this.workspaceId() !== id) return;
    this.presence.set(Object.fromEntries(list.map((p) => [p.userId, p.status])));
  }

  /** Removed from a workspace (or it was deleted): it goes from the list, and if it is open, the chat leaves it. */
  private leftWorkspace(workspaceId: string): void {
    this.workspaces.update((list) => list.filter((w) => w.id !== workspaceId));
    if (this.workspaceId() !== workspaceId) return;
    this.workspaceId.set(null);
    this.channels.set([]);
    this.messages.set({});
    this.activeChannelId.set(null);
    void this.router.navigate(['/']);
  }

  /** Shows a channel: loads its newest page the first time. */
  async openChannel(channelId: string): Promise<void> {
    this.activeChannelId.set(channelId);
    if (this.messages()[channelId]) return;
    const page = await this.api.history(channelId, { limit: PAGE });
    this.setMessages(channelId, (held) => mergeSent({ ...held, hasOlder: page.hasMore }, page.items));
  }

  /** Loads the page before the oldest message held; false when there is nothing older. */
  async loadOlder(channelId: string): Promise<boolean> {
    const held = this.messages()[channelId];
    if (!held?.hasOlder || !held.messages.length) return false;
    const page = await this.api.history(channelId, { before: held.messages[0].seq, limit: PAGE });
    this.setMessages(channelId, (current) => mergeSent({ ...current, hasOlder: page.hasMore }, page.items));
    return page.items.length > 0;
  }

  /** Shows the message at once as pending; it becomes sent on the acknowledgement. */
  send(channelId: string, text: string): void {
    const me = this.me();
    if (!me || !text.trim()) return;
    const clientMsgId = crypto.randomUUID();
    const pending: ChatMessage = {
      id: clientMsgId,
      channelId,
      seq: Number.MAX_SAFE_INTEGER,
      senderId: me,
      text,
      clientMsgId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      threadRootId: null,
      state: 'pending',
    };
    this.setMessages(channelId, (held) => ({ ...held, outbox: [...held.outbox, pending] }));
    void this.deliver(pending);
  }

  /** Sends a failed message again with the same clientMsgId: it can only ever be stored once. */
  retry(message: ChatMessage): void {
    this.setOutboxState(message, 'pending');
    void this.deliver({ ...message, state: 'pending' });
  }

  discard(message: ChatMessage): void {
    this.setMessages(message.channelId, (held) => ({ ...held, outbox: held.outbox.filter((m) => m.clientMsgId !== message.clientMsgId) }));
  }

  /** Marks the channel read up to its newest message (when the person is looking at it). */
  markRead(channelId: string): void {
    const channel = this.channels().find((c) => c.id === channelId);
    const held = this.messages()[channelId];
    const seq = Math.max(channel?.lastSeq ?? 0, held?.lastSeq ?? 0);
    if (!channel || !channel.member || seq <= channel.lastReadSeq) return;
    this.patchChannel(channelId, (c) => ({ ...c, lastReadSeq: seq, unreadCount: 0 }));
    void this.socket.request('markRead', { channelId, seq });
  }

  typingIn(channelId: string): string[] {
    const now = Date.now();
    const me = this.me();
    return Object.entries(this.typing()[channelId] ?? {})
      .filter(([userId, until]) => until > now && userId !== me)
      .map(([userId]) => userId);
  }

  presenceOf(userId: string): PresenceStatus {
    return (this.presence() as Partial<Record<string, PresenceStatus>>)[userId] ?? 'offline';
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

  private async deliver(message: ChatMessage): Promise<void> {
    if (this.socket.state() !== 'online') return; // goes out from resync() once connected
    const ack = await this.socket.request('sendMessage', { channelId: message.channelId, text: message.text, clientMsgId: message.clientMsgId });
    // A send that was tried and not stored shows "Retry"; one written while offline waits for the connection.
    if (ack.ok) this.receive(ack.data);
    else this.setOutboxState(message, 'failed');
  }

  private receive(message: MessageDto): void {
    const held = this.messages()[message.channelId];
    if (held) {
      const gap = held.messages.length > 0 && message.seq > held.lastSeq + 1;
      this.setMessages(message.channelId, (current) => mergeSent(current, [message]));
      if (gap) void this.resync([message.channelId]);
    }
    // A channel this client does not list yet (just joined, or a new DM): fetch the list again.
    if (!this.channels().some((c) => c.id === message.channelId)) void this.refreshChannels();
    const mine = message.senderId === this.me();
    const watching = this.activeChannelId() === message.channelId && document.visibilityState === 'visible';
    // Sending moves the sender's own read position on the server; anyone else's message is read
    // by markRead below, which must still see it unread here, or the server would never be told.
    this.patchChannel(message.channelId, (c) => {
      const lastSeq = Math.max(c.lastSeq, message.seq);
      const lastReadSeq = mine ? Math.max(c.lastReadSeq, message.seq) : c.lastReadSeq;
      return { ...c, lastSeq, lastReadSeq, unreadCount: Math.max(0, lastSeq - lastReadSeq) };
    });
    this.setTyping(message.channelId, message.senderId, false);
    if (watching && !mine) this.markRead(message.channelId);
    if (!watching && !mine) this.maybeNotify(message);
  }

  private maybeNotify(message: MessageDto): void {
    const channel = this.channels().find((c) => c.id === message.channelId);
    if (!channel) return;
    const direct = channel.type === 'dm' || channel.type === 'group_dm';
    const me = this.me();
    if (!me || !shouldNotify({ text: message.text, direct, myName: this.displayName(me), myStatus: this.presenceOf(me) })) return;
    const where = direct ? this.displayName(message.senderId) : `${this.displayName(message.senderId)} in #${channel.name}`;
    this.notifier.notify(where, message.text, () => void this.router.navigate(['/w', channel.workspaceId, 'c', channel.id]));
  }

  /** After a (re)connection: fetch what was missed in every channel held, then send the outbox. */
  private async resync(only?: string[]): Promise<void> {
    const ids = only ?? Object.keys(this.messages());
    if (ids.length) {
      // A busy or slow server is asked again (with backoff) while connected; the next connection resyncs anyway.
      const result = await askUntilAnswered(
        () => {
          const now = this.messages();
          return this.socket.request('sync', { cursors: Object.fromEntries(ids.map((id) => [id, now[id]?.lastSeq ?? 0])) });
        },
        () => this.socket.state() === 'online',
      );
      if (result?.ok) this.applySync(result.data);
    }
    if (!only) {
      void this.refreshChannels();
      void this.refreshPresence();
      for (const channel of Object.values(this.messages())) for (const message of channel.outbox) if (message.state === 'pending') void this.deliver(message);
    }
  }

  private applySync({ messages, truncated }: SyncResult): void {
    const byChannel = new Map<string, MessageDto[]>();
    for (const message of messages) byChannel.set(message.channelId, [...(byChannel.get(message.channelId) ?? []), message]);
    for (const [channelId, list] of byChannel) {
      if (truncated.includes(channelId)) continue;
      this.setMessages(channelId, (held) => mergeSent(held, list));
    }
    // Too far behind: start those channels again from their newest page.
    for (const channelId of truncated) {
      this.messages.update((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== channelId)));
      if (this.activeChannelId() === channelId) void this.openChannel(channelId);
    }
  }

  private setTyping(channelId: string, userId: string, typing: boolean): void {
    this.typing.update((all) => {
      const channel = { ...(all[channelId] ?? {}) };
      if (typing) channel[userId] = Date.now() + TYPING_TTL_MS;
      else delete channel[userId];
      return { ...all, [channelId]: channel };
    });
  }

  private setOutboxState(message: ChatMessage, state: ChatMessage['state']): void {
    this.setMessages(message.channelId, (held) => ({
      ...held,
      outbox: held.outbox.map((m) => (m.clientMsgId === message.clientMsgId ? { ...m, state } : m)),
    }));
  }

  private setMessages(channelId: string, change: (held: ChannelMessages) => ChannelMessages): void {
    this.messages.update((all) => ({ ...all, [channelId]: change(all[channelId] ?? { messages: [], outbox: [], hasOlder: false, lastSeq: 0 }) }));
  }

  private patchChannel(channelId: string, change: (channel: ChannelDto) => ChannelDto): void {
    this.channels.update((list) => list.map((c) => (c.id === channelId ? change(c) : c)));
  }
}

/** Adds stored messages (deduplicated by id, ordered by seq) and clears their outbox entries. */
export function mergeSent(held: ChannelMessages, incoming: readonly MessageDto[]): ChannelMessages {
  if (!incoming.length) return held;
  const byId = new Map(held.messages.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, { ...message, state: 'sent' });
  const messages = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const arrived = new Set(incoming.map((m) => m.clientMsgId));
  return {
    ...held,
    messages,
    outbox: held.outbox.filter((m) => !arrived.has(m.clientMsgId)),
    lastSeq: Math.max(held.lastSeq, ...incoming.map((m) => m.seq)),
  };
}
