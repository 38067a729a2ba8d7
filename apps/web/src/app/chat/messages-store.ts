import { Injectable, inject, signal } from '@angular/core';
import { type FileDto, type MessageChangeEvent, type MessageDto, type ReactionDto, type SentMessage, type SyncResult, UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';

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
  /**
   * Newer messages exist after the last one held: a window around a linked message (`openAround`).
   * Live messages are not added to it (they come with the pages below, `loadNewer`), and sync
   * fetches only its changes; its `lastSeq` is the window's end, not the channel's.
   */
  hasNewer?: boolean;
  /** The highest seq held (the cursor for sync). */
  lastSeq: number;
  /** The last changeSeq applied (the change cursor for sync): change n + 1 is the one to apply next. */
  lastChangeSeq: number;
}

export const HISTORY_PAGE = 50;

/**
 * The messages held per channel: history pages, the outbox of sends on their way, and `sync`
 * from each channel's last seq. What a stored message does to the channel list, typing and
 * notifications is ChatStore's (it ties the stores together).
 *
 * Edits and deletes arrive as changes numbered per channel without gaps (MessageChangeEvent):
 * change n + 1 is applied, one already applied is ignored, and one past a gap waits for a
 * `sync` from the change cursor, which brings the missing ones in order. So each change is
 * applied exactly once and in order, live or after a reconnect.
 */
@Injectable({ providedIn: 'root' })
export class MessagesStore {
  private readonly api = inject(ChatApi);
  private readonly socket = inject(SocketService);
  private readonly auth = inject(AuthStore);

  readonly messages = signal<Record<string, ChannelMessages>>({});
  readonly activeChannelId = signal<string | null>(null);
  /** The id of the message being edited inline (one at a time, as ↑ in the composer picks it). */
  readonly editingId = signal<string | null>(null);
  /** Changes that arrived while a channel's first page was loading: applied once it is held. */
  private readonly arrivedWhileLoading = new Map<string, MessageChangeEvent[]>();
  /** Told of every stored message taken in, thread replies included (see onTaken). */
  private readonly takers = new Set<(message: MessageDto, actorId: string | null) => void>();

  constructor() {
    this.socket.on('messageUpdated', (change) => this.receiveChange(change));
    this.socket.on('messageDeleted', (change) => this.receiveChange(change));
    this.socket.on('reactionUpdated', (change) => this.receiveChange(change));
  }

  /** Forgets every channel's messages (another workspace opens). */
  clear(): void {
    this.messages.set({});
  }

  /**
   * Tells `listener` of every stored message this store takes in, as it now is and in the order
   * taken: new ones (live in their turn, or by sync) and changed ones (each change in its turn, or
   * the server's answer to one's own edit). Thread replies are among them although the channel's
   * list leaves them out: ThreadStore keeps them. `actorId` names who made a live change, whose
   * reactions' `me` the message carries; null when it carries the reader's own (a new message, a
   * sync, the answer to one's own edit).
   */
  onTaken(listener: (message: MessageDto, actorId: string | null) => void): () => void {
    this.takers.add(listener);
    return () => this.takers.delete(listener);
  }

  private took(messages: readonly MessageDto[], actorId: string | null = null): void {
    for (const message of messages) for (const listener of this.takers) listener(message, actorId);
  }

  /** The highest seq held for a channel (0 when none is held). */
  lastSeqOf(channelId: string): number {
    return this.messages()[channelId]?.lastSeq ?? 0;
  }

  /**
   * Shows a channel: loads its newest page the first time. `lastChangeSeq` is the channel's
   * change cursor as last listed (fetched here when not given). It is read before the page: a
   * cursor older than the page only replays changes the page already shows (each change carries
   * the whole message after it, so applying it again changes nothing), while one newer than the
   * page would skip a change the page does not show.
   */
  async openChannel(channelId: string, lastChangeSeq?: number): Promise<void> {
    this.activeChannelId.set(channelId);
    // A window around a linked message: opened again without the link, the channel shows its newest page.
    if (this.messages()[channelId]?.hasNewer) return this.openLatest(channelId);
    if (this.messages()[channelId] || this.arrivedWhileLoading.has(channelId)) return;
    this.arrivedWhileLoading.set(channelId, []);
    try {
      const changeCursor = lastChangeSeq ?? (await this.api.channel(channelId)).lastChangeSeq;
      const page = await this.api.history(channelId, { limit: HISTORY_PAGE });
      this.update(channelId, (held) => mergeSent({ ...held, hasOlder: page.hasMore, lastChangeSeq: changeCursor }, page.items));
    } finally {
      const arrived = this.arrivedWhileLoading.get(channelId) ?? [];
      this.arrivedWhileLoading.delete(channelId);
      for (const change of arrived) this.receiveChange(change);
    }
  }

  /** Loads the page before the oldest message held; false when there is nothing older. */
  async loadOlder(channelId: string): Promise<boolean> {
    const held = this.messages()[channelId];
    if (!held?.hasOlder || !held.messages.length) return false;
    const page = await this.api.history(channelId, { before: held.messages[0].seq, limit: HISTORY_PAGE });
    this.update(channelId, (current) => mergeSent({ ...current, hasOlder: page.hasMore }, page.items));
    return page.items.length > 0;
  }

  /**
   * Shows a channel around one message (a permalink): when the channel holds it already nothing
   * is loaded; otherwise the messages held give way to a page around it, which may have newer
   * messages after it (`hasNewer`). The change cursor is kept (or read before the page, as in
   * openChannel): the page shows every change up to it.
   */
  async openAround(channelId: string, seq: number, lastChangeSeq?: number): Promise<void> {
    this.activeChannelId.set(channelId);
    const held = this.messages()[channelId];
    if (held?.messages.some((m) => m.seq === seq)) return;
    if (this.arrivedWhileLoading.has(channelId)) return;
    this.arrivedWhileLoading.set(channelId, []);
    try {
      const changeCursor = held?.lastChangeSeq ?? lastChangeSeq ?? (await this.api.channel(channelId)).lastChangeSeq;
      const page = await this.api.history(channelId, { around: seq, limit: HISTORY_PAGE });
      const outbox = this.messages()[channelId]?.outbox ?? [];
      const window: ChannelMessages = { messages: [], outbox, hasOlder: page.hasMore, hasNewer: page.hasMoreAfter ?? false, lastSeq: 0, lastChangeSeq: changeCursor };
      this.messages.update((all) => ({ ...all, [channelId]: mergeSent(window, page.items) }));
    } finally {
      const arrived = this.arrivedWhileLoading.get(channelId) ?? [];
      this.arrivedWhileLoading.delete(channelId);
      for (const change of arrived) this.receiveChange(change);
    }
    // A window that reaches the newest end takes live messages again: one stored while the page was
    // on its way went to the messages it replaced, so sync fetches it.
    if (this.messages()[channelId] && !this.messages()[channelId].hasNewer) await this.sync([channelId]);
  }

  /**
   * Loads the page after the newest message of a window (`hasNewer`); false when there is nothing
   * newer. Once the window reaches the newest end it syncs, so a message stored while the last
   * page was on its way (and not added live) is fetched.
   */
  async loadNewer(channelId: string): Promise<boolean> {
    const held = this.messages()[channelId];
    if (!held?.hasNewer || !held.messages.length) return false;
    const page = await this.api.history(channelId, { after: held.lastSeq, limit: HISTORY_PAGE });
    this.update(channelId, (current) => mergeSent({ ...current, hasNewer: page.hasMore }, page.items));
    if (!page.hasMore) await this.sync([channelId]);
    return page.items.length > 0;
  }

  /** Back from a window to the channel's newest page (the change cursor stays: the page shows every change up to it). */
  async openLatest(channelId: string): Promise<void> {
    const held = this.messages()[channelId];
    if (!held?.hasNewer) return;
    const page = await this.api.history(channelId, { limit: HISTORY_PAGE });
    this.update(channelId, (current) =>
      mergeSent({ ...current, messages: [], lastSeq: 0, hasOlder: page.hasMore, hasNewer: false }, page.items),
    );
    // As after loadNewer: what was stored while the page was on its way.
    await this.sync([channelId]);
  }

  /**
   * Puts a new message in the outbox as pending, with the clientMsgId every retry will reuse. A
   * thread reply (`thread`) waits in its channel's outbox too, so retries and sends after a
   * reconnect treat it alike; the thread panel shows it, the channel only with alsoInChannel.
   */
  addPending(channelId: string, senderId: string, text: string, thread?: { rootId: string; alsoInChannel: boolean }, files: FileDto[] = []): ChatMessage {
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
      ...UNTOUCHED_MESSAGE_FIELDS,
      ...(thread ? { threadRootId: thread.rootId, alsoInChannel: thread.alsoInChannel } : {}),
      // Uploaded already: shown with the pending message, and sent (as fileIds) by every retry.
      files,
      state: 'pending',
    };
    this.update(channelId, (held) => ({ ...held, outbox: [...held.outbox, pending] }));
    return pending;
  }

  /**
   * Sends an outbox message; resolves to the stored message (with what only its sender is told), or null. A send that was tried and
   * not stored shows "Retry" (failed); one written while offline stays pending for the connection.
   */
  async deliver(message: ChatMessage): Promise<SentMessage | null> {
    if (this.socket.state() !== 'online') return null;
    const reply = message.threadRootId ? { threadRootId: message.threadRootId, alsoSendToChannel: message.alsoInChannel } : {};
    const attached = message.files.length ? { fileIds: message.files.map((f) => f.id) } : {};
    const ack = await this.socket.request('sendMessage', { channelId: message.channelId, text: message.text, clientMsgId: message.clientMsgId, ...reply, ...attached });
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
    if (held.hasNewer) {
      // A window away from the newest end: the message comes with the pages below. One's own send
      // is shown at once, so the channel goes back to its newest page (which holds it).
      if (held.outbox.some((m) => m.clientMsgId === message.clientMsgId)) void this.openLatest(message.channelId);
      return false;
    }
    if (held.messages.length > 0 && message.seq > held.lastSeq + 1) return true;
    this.update(message.channelId, (current) => mergeSent(current, [message]));
    this.took([message]);
    return false;
  }

  /**
   * A change from the server: applied when it is the next one of its channel, ignored when it was
   * applied already, and past a gap it syncs the channel, which returns the missing changes and
   * this one in order. A channel not held takes its cursor when it is loaded.
   */
  receiveChange(change: MessageChangeEvent): void {
    const waiting = this.arrivedWhileLoading.get(change.channelId);
    if (waiting) {
      waiting.push(change);
      return;
    }
    const held = this.messages()[change.channelId];
    if (!held || change.changeSeq <= held.lastChangeSeq) return;
    if (change.changeSeq > held.lastChangeSeq + 1) {
      void this.sync([change.channelId]);
      return;
    }
    this.update(change.channelId, (current) => applyChanges(current, [change], this.auth.user()?.id ?? null));
    this.took([change.message], change.actorId);
  }

  /**
   * Shows a message as the server answered an edit or delete of it, before its change arrives.
   * The change cursor does not move: the change still comes (live or by sync) and is applied
   * in its turn.
   */
  replaceMessage(message: MessageDto): void {
    this.took([message]);
    if (!this.messages()[message.channelId]) return;
    this.update(message.channelId, (held) => replaceHeld(held, message));
  }

  /** Replaces a message's text (the server refuses anyone but its sender, and in an archived channel). */
  async edit(message: MessageDto, text: string): Promise<void> {
    this.replaceMessage(await this.api.editMessage(message.id, { text }));
  }

  /** Deletes a message (its sender, or with message.delete.any); it shows as deleted at once. */
  async remove(message: MessageDto): Promise<void> {
    await this.api.deleteMessage(message.id);
    this.replaceMessage({ ...message, text: '', deletedAt: new Date().toISOString() });
  }

  /** The newest stored message of `senderId` in a channel, not deleted (what ↑ in the composer edits). */
  lastOwnMessage(channelId: string, senderId: string): ChatMessage | null {
    const list = this.messages()[channelId]?.messages ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].senderId === senderId && !list[i].deletedAt) return list[i];
    return null;
  }

  /**
   * Fetches what was missed after the last seq and the last change of each channel named
   * (default: every channel held).
   */
  async sync(only?: string[]): Promise<void> {
    const ids = only ?? Object.keys(this.messages());
    if (!ids.length) return;
    // A busy or slow server is asked again (with backoff) while connected; the next connection resyncs anyway.
    const result = await askUntilAnswered(
      () => {
        const now = this.messages();
        return this.socket.request('sync', {
          // A window away from the newest end asks for changes only: its messages come with its pages.
          cursors: Object.fromEntries(ids.filter((id) => !now[id]?.hasNewer).map((id) => [id, now[id]?.lastSeq ?? 0])),
          changeCursors: Object.fromEntries(ids.filter((id) => now[id]).map((id) => [id, now[id].lastChangeSeq])),
        });
      },
      () => this.socket.state() === 'online',
    );
    if (result?.ok) this.applySync(result.data);
  }

  // `changes` defaults to none: a server from before edits answers without it.
  private applySync({ messages, changes = [], truncated }: SyncResult): void {
    const byChannel = new Map<string, MessageDto[]>();
    for (const message of messages) byChannel.set(message.channelId, [...(byChannel.get(message.channelId) ?? []), message]);
    for (const [channelId, list] of byChannel) {
      if (truncated.includes(channelId) || this.messages()[channelId]?.hasNewer) continue;
      this.update(channelId, (held) => mergeSent(held, list));
      this.took(list);
    }
    // After the messages: a change to a message that came in this sync then finds it held.
    const changesByChannel = new Map<string, MessageChangeEvent[]>();
    for (const change of changes) changesByChannel.set(change.channelId, [...(changesByChannel.get(change.channelId) ?? []), change]);
    for (const [channelId, list] of changesByChannel) {
      if (truncated.includes(channelId) || !this.messages()[channelId]) continue;
      this.update(channelId, (held) => applyChanges(held, list));
      // Changes from sync carry the reader's own reactions (see ReactionDto): no actor to keep them from.
      for (const change of [...list].sort((a, b) => a.changeSeq - b.changeSeq)) this.took([change.message]);
    }
    // Too far behind: start those channels again from their newest page.
    for (const channelId of truncated) {
      this.messages.update((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== channelId)));
      if (this.activeChannelId() === channelId) void this.openChannel(channelId);
    }
  }

  private update(channelId: string, change: (held: ChannelMessages) => ChannelMessages): void {
    this.messages.update((all) => ({ ...all, [channelId]: change(all[channelId] ?? { messages: [], outbox: [], hasOlder: false, lastSeq: 0, lastChangeSeq: 0 }) }));
  }
}

/** Whether a message shows in its channel's list: a thread reply only when also sent to the channel. */
export function showsInChannel(message: MessageDto): boolean {
  return !message.threadRootId || message.alsoInChannel;
}

/**
 * Adds stored messages (deduplicated by id, ordered by seq) and clears their outbox entries. A
 * thread reply not sent to the channel is not listed, but it still moves `lastSeq`: replies take
 * the channel's seqs, so without it the next message would look like it came after a gap.
 */
export function mergeSent(held: ChannelMessages, incoming: readonly MessageDto[]): ChannelMessages {
  if (!incoming.length) return held;
  const byId = new Map(held.messages.map((m) => [m.id, m]));
  for (const message of incoming) if (showsInChannel(message)) byId.set(message.id, { ...message, state: 'sent' });
  const messages = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const arrived = new Set(incoming.map((m) => m.clientMsgId));
  return {
    ...held,
    messages,
    outbox: held.outbox.filter((m) => !arrived.has(m.clientMsgId)),
    lastSeq: Math.max(held.lastSeq, ...incoming.map((m) => m.seq)),
  };
}

/**
 * Applies changes of one channel in changeSeq order, each exactly once: those at or below the
 * cursor are skipped, and the run stops at a gap (the sync that follows brings the rest). A
 * change to a message not held (older than the pages loaded) only moves the cursor: the page
 * that loads it later shows it as it is.
 */
export function applyChanges(held: ChannelMessages, changes: readonly MessageChangeEvent[], me?: string | null): ChannelMessages {
  let current = held;
  for (const change of [...changes].sort((a, b) => a.changeSeq - b.changeSeq)) {
    if (change.changeSeq <= current.lastChangeSeq) continue;
    if (change.changeSeq > current.lastChangeSeq + 1) break;
    const message = me === undefined || change.actorId === me ? change.message : keepMyReactions(current, change.message);
    current = { ...replaceHeld(current, message), lastChangeSeq: change.changeSeq };
  }
  return current;
}

/**
 * A live change carries its actor's `me` on each reaction (see ReactionDto): someone else's change
 * keeps the reader's own `me` per emoji from the message held (false for an emoji new to it).
 * Changes from `sync` carry the reader's own and are applied as they are (`me` undefined above).
 */
function keepMyReactions(held: ChannelMessages, message: MessageDto): MessageDto {
  const before = held.messages.find((m) => m.id === message.id);
  const mine = new Map((before?.reactions ?? []).map((r) => [r.emoji, r.me]));
  const reactions: ReactionDto[] = message.reactions.map((r) => ({ ...r, me: mine.get(r.emoji) ?? false }));
  return { ...message, reactions };
}

/** Puts a stored message's new state in place of the one held with its id (none held: unchanged). */
function replaceHeld(held: ChannelMessages, message: MessageDto): ChannelMessages {
  if (!held.messages.some((m) => m.id === message.id)) return held;
  return { ...held, messages: held.messages.map((m) => (m.id === message.id ? { ...message, state: 'sent' } : m)) };
}
