import { Injectable, inject, signal } from '@angular/core';
import type { MessageDto, SyncResult } from '@parley/contracts';

import { askUntilAnswered } from '../core/realtime/retry';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
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

export const HISTORY_PAGE = 50;

/**
 * The messages held per channel: history pages, the outbox of sends on their way, and `sync`
 * from each channel's last seq. What a stored message does to the channel list, typing and
 * notifications is ChatStore's (it ties the stores together).
 */
@Injectable({ providedIn: 'root' })
export class MessagesStore {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);

  readonly messages = signal<Record<string, ChannelMessages>>({});
  readonly activeChannelId = signal<string | null>(null);

  /** Forgets every channel's messages (another workspace opens). */
  clear(): void {
    this.messages.set({});
  }

  /** The highest seq held for a channel (0 when none is held). */
  lastSeqOf(channelId: string): number {
    return this.messages()[channelId]?.lastSeq ?? 0;
  }

  /** Shows a channel: loads its newest page the first time. */
  async openChannel(channelId: string): Promise<void> {
    this.activeChannelId.set(channelId);
    if (this.messages()[channelId]) return;
    const page = await this.api.history(channelId, { limit: HISTORY_PAGE });
    this.update(channelId, (held) => mergeSent({ ...held, hasOlder: page.hasMore }, page.items));
  }

  /** Loads the page before the oldest message held; false when there is nothing older. */
  async loadOlder(channelId: string): Promise<boolean> {
    const held = this.messages()[channelId];
    if (!held?.hasOlder || !held.messages.length) return false;
    const page = await this.api.history(channelId, { before: held.messages[0].seq, limit: HISTORY_PAGE });
    this.update(channelId, (current) => mergeSent({ ...current, hasOlder: page.hasMore }, page.items));
    return page.items.length > 0;
  }

  /** Puts a new message in the outbox as pending, with the clientMsgId every retry will reuse. */
  addPending(channelId: string, senderId: string, text: string): ChatMessage {
    const clientMsgId = crypto.randomUUID();
    const pending: ChatMessage = {
      id: clientMsgId,
      channelId,
      seq: Number.MAX_SAFE_INTEGER,
      senderId,
      text,
      clientMsgId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      threadRootId: null,
      state: 'pending',
    };
    this.update(channelId, (held) => ({ ...held, outbox: [...held.outbox, pending] }));
    return pending;
  }

  /**
   * Sends an outbox message; resolves to the stored message, or null. A send that was tried and
   * not stored shows "Retry" (failed); one written while offline stays pending for the connection.
   */
  async deliver(message: ChatMessage): Promise<MessageDto | null> {
    if (this.socket.state() !== 'online') return null;
    const ack = await this.socket.request('sendMessage', { channelId: message.channelId, text: message.text, clientMsgId: message.clientMsgId });
    if (ack.ok) return ack.data;
    this.setOutboxState(message, 'failed');
    return null;
  }

  /** Pending sends of every channel, in the order they were written per channel. */
  pendingOutbox(): ChatMessage[] {
    return Object.values(this.messages()).flatMap((held) => held.outbox.filter((m) => m.state === 'pending'));
  }

  setOutboxState(message: ChatMessage, state: ChatMessage['state']): void {
    this.update(message.channelId, (held) => ({
      ...held,
      outbox: held.outbox.map((m) => (m.clientMsgId === message.clientMsgId ? { ...m, state } : m)),
    }));
  }

  discard(message: ChatMessage): void {
    this.update(message.channelId, (held) => ({ ...held, outbox: held.outbox.filter((m) => m.clientMsgId !== message.clientMsgId) }));
  }

  /**
   * Adds a stored message to a channel held (one not held is loaded when opened). True when it
   * comes after a gap: it is not merged then, so `lastSeq` stays below the gap and the sync the
   * caller asks for fetches the missing messages together with this one.
   */
  receive(message: MessageDto): boolean {
    const held = this.messages()[message.channelId];
    if (!held) return false;
    if (held.messages.length > 0 && message.seq > held.lastSeq + 1) return true;
    this.update(message.channelId, (current) => mergeSent(current, [message]));
    return false;
  }

  /** Fetches what was missed after the last seq of each channel named (default: every channel held). */
  async sync(only?: string[]): Promise<void> {
    const ids = only ?? Object.keys(this.messages());
    if (!ids.length) return;
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

  private applySync({ messages, truncated }: SyncResult): void {
    const byChannel = new Map<string, MessageDto[]>();
    for (const message of messages) byChannel.set(message.channelId, [...(byChannel.get(message.channelId) ?? []), message]);
    for (const [channelId, list] of byChannel) {
      if (truncated.includes(channelId)) continue;
      this.update(channelId, (held) => mergeSent(held, list));
    }
    // Too far behind: start those channels again from their newest page.
    for (const channelId of truncated) {
      this.messages.update((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== channelId)));
      if (this.activeChannelId() === channelId) void this.openChannel(channelId);
    }
  }

  private update(channelId: string, change: (held: ChannelMessages) => ChannelMessages): void {
    this.messages.update((all) => ({ ...all, [channelId]: change(all[channelId] ?? { messages: [], outbox: [], hasOlder: false, lastSeq: 0 }) }));
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
