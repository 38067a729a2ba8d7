import { Injectable, computed, inject, signal, untracked } from '@angular/core';
import { READ_RECEIPTS_MAX_MEMBERS, type ChannelDto, type MessageDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import type { DeliveryState } from './message-groups';
import { MessagesStore } from './messages-store';

/** How a channel shows read receipts: "Seen" lines in DMs and group DMs, "Read by" on hover in a small channel. */
export type ReceiptsKind = 'dm' | 'group_dm' | 'channel';

/** The open channel's read receipts: the other members' read positions (user id → seq). */
export interface ChannelReceipts {
  channelId: string;
  kind: ReceiptsKind;
  positions: Readonly<Record<string, number>>;
}

/** How `channel` shows receipts, or null when it shows none (a channel of more than READ_RECEIPTS_MAX_MEMBERS members). */
export function receiptsKind(channel: Pick<ChannelDto, 'type' | 'memberCount'>): ReceiptsKind | null {
  if (channel.type === 'dm' || channel.type === 'group_dm') return channel.type;
  return channel.memberCount <= READ_RECEIPTS_MAX_MEMBERS ? 'channel' : null;
}

/**
 * Where each reader's "Seen" goes: under the newest of my messages they have read (as in
 * Messenger). Messages in seq order; pending, failed and deleted ones carry none. Seq → readers.
 */
export function seenUnder(
  messages: readonly (Pick<MessageDto, 'seq' | 'senderId' | 'deletedAt'> & { state?: DeliveryState })[],
  positions: Readonly<Record<string, number>>,
  me: string | null,
): Map<number, string[]> {
  const mine = messages.filter((m) => m.senderId === me && (m.state ?? 'sent') === 'sent' && !m.deletedAt).map((m) => m.seq);
  const placed = new Map<number, string[]>();
  for (const [userId, readSeq] of Object.entries(positions)) {
    let i = mine.length - 1;
    while (i >= 0 && mine[i] > readSeq) i--;
    if (i >= 0) placed.set(mine[i], [...(placed.get(mine[i]) ?? []), userId]);
  }
  return placed;
}

/** Who has read `message`: the members whose position reached it, never its sender. */
export function readersOf(message: Pick<MessageDto, 'seq' | 'senderId'>, positions: Readonly<Record<string, number>>): string[] {
  return Object.entries(positions)
    .filter(([userId, readSeq]) => readSeq >= message.seq && userId !== message.senderId)
    .map(([userId]) => userId);
}

/** "Seen" in a DM (there is one reader), "Seen by Ana, Bruno" in a group DM. */
export function seenLabel(kind: ReceiptsKind, names: readonly string[]): string {
  return kind === 'dm' ? 'Seen' : `Seen by ${names.join(', ')}`;
}

/** "Read by Ana", "Read by Ana and Bruno", "Read by Ana, Bruno and Carla", "Read by Ana, Bruno and 3 others". */
export function readByLabel(names: readonly string[]): string {
  if (names.length <= 3) return `Read by ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' and ' : ''}${names.at(-1) ?? ''}`;
  const rest = names.length - 2;
  return `Read by ${names[0]}, ${names[1]} and ${rest} others`;
}

/**
 * The read receipts of the open channel: loaded when it opens (or when what decides them
 * changes: its size, your own switch), followed live through `readUpdate`, and loaded again after
 * a reconnection (events missed meanwhile). The server sends a member's reads only to those
 * allowed to see them, so every event for the open channel applies.
 */
@Injectable({ providedIn: 'root' })
export class ReadReceiptsStore {
  private readonly api = inject(ChatApi);
  private readonly auth = inject(AuthStore);
  private readonly socket = inject(SocketService);
  private readonly messages = inject(MessagesStore);

  /** Null: none to show (not available, or no channel open); empty positions while loading. */
  readonly receipts = signal<ChannelReceipts | null>(null);
  /** In a DM or group DM: seq of one of my messages → who is "Seen" under it. */
  readonly seen = computed(() => {
    const shown = this.receipts();
    if (!shown || shown.kind === 'channel') return new Map<number, string[]>();
    return seenUnder(this.messages.messages()[shown.channelId]?.messages ?? [], shown.positions, this.auth.user()?.id ?? null);
  });
  /** What the receipts shown were loaded for (channel, kind and your switch). */
  private followed: string | null = null;
  private channel: Pick<ChannelDto, 'id' | 'type' | 'memberCount'> | null = null;

  constructor() {
    this.socket.on('readUpdate', ({ channelId, userId, seq }) => {
      if (userId === this.auth.user()?.id) return;
      this.receipts.update((shown) =>
        shown?.channelId === channelId ? { ...shown, positions: { ...shown.positions, [userId]: Math.max(shown.positions[userId] ?? 0, seq) } } : shown,
      );
    });
    // Someone turned their receipts off: their "Seen" goes now (it comes back once they turn them on and read again).
    this.socket.on('readReceiptsWithdrawn', ({ userId }) => {
      this.receipts.update((shown) => {
        if (!shown || !(userId in shown.positions)) return shown;
        const { [userId]: _withdrawn, ...positions } = shown.positions;
        return { ...shown, positions };
      });
    });
    this.socket.onConnect(() => {
      if (this.channel) void this.load(this.channel);
    });
  }

  /** The channel on screen (null: none). Cheap to call on every change of the channel: it loads only when that changes what is shown. */
  follow(channel: Pick<ChannelDto, 'id' | 'type' | 'memberCount'> | null): void {
    const kind = channel && receiptsKind(channel);
    const key = channel && kind ? `${channel.id}:${kind}:${this.auth.user()?.readReceipts !== false}` : null;
    if (key === this.followed) return;
    this.followed = key;
    this.channel = key ? channel : null;
    untracked(() => {
      // Events that arrive while loading are kept (see load).
      this.receipts.set(channel && kind ? { channelId: channel.id, kind, positions: {} } : null);
      if (this.channel) void this.load(this.channel);
    });
  }

  private async load(channel: Pick<ChannelDto, 'id' | 'type' | 'memberCount'>): Promise<void> {
    let reads: Record<string, number> | null;
    try {
      const answer = await this.api.reads(channel.id);
      reads = answer.available ? Object.fromEntries(answer.reads.map((read) => [read.userId, read.lastReadSeq])) : null;
    } catch {
      return; // receipts are a nicety: the channel works without them (and a reconnection loads them again)
    }
    this.receipts.update((shown) => {
      if (shown?.channelId !== channel.id) return shown;
      if (!reads) return null;
      // An event that arrived while loading may be newer than the answer.
      const positions = { ...reads };
      for (const [userId, seq] of Object.entries(shown.positions)) positions[userId] = Math.max(positions[userId] ?? 0, seq);
      return { ...shown, positions };
    });
  }
}
