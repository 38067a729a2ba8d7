import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { type FileDto, mentionsUser, type MessageDto } from '@parley/contracts';

import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { MentionNotices } from './mention-notices';
import type { ChatMessage } from './message-groups';
import { MessagesStore } from './messages-store';
import { Notifier, shouldNotify } from './notifier';
import { PresenceStore } from './presence-store';
import { ThreadStore } from './thread-store';

const LAST_WORKSPACE_KEY = 'parley.lastWorkspace';

/**
 * What ties the chat's stores together: opening and leaving a workspace, and the way of a
 * message. State lives in ChannelsStore (workspaces, channels, members, unread), MessagesStore
 * (messages, outbox, history, sync) and PresenceStore (presence, typing); components read those.
 * After every (re)connection this syncs each channel held from its last seq and its last
 * change, so no message, edit or delete is missed. Sends are optimistic and keep their clientMsgId, so a retry can never post twice;
 * sends made offline go out on reconnect.
 */
@Injectable({ providedIn: 'root' })
export class ChatStore {
  private readonly socket = inject(SocketService);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly channels = inject(ChannelsStore);
  private readonly messages = inject(MessagesStore);
  private readonly presence = inject(PresenceStore);
  private readonly threads = inject(ThreadStore);
  private readonly mentionNotices = inject(MentionNotices);

  readonly connection = this.socket.state;

  constructor() {
    this.socket.onConnect(() => void this.resync());
    this.socket.on('newMessage', (message) => this.receive(message));
    this.socket.on('workspaceLeft', ({ workspaceId }) => this.leftWorkspace(workspaceId));
  }

  static rememberedWorkspace(): string | null {
    try {
      return localStorage.getItem(LAST_WORKSPACE_KEY);
    } catch {
      return null;
    }
  }

  async openWorkspace(workspaceId: string): Promise<void> {
    if (this.channels.workspaceId() === workspaceId && this.channels.channels().length) return;
    this.channels.select(workspaceId);
    this.messages.clear();
    this.threads.clear();
    try {
      localStorage.setItem(LAST_WORKSPACE_KEY, workspaceId);
    } catch {
      // storage disabled: nothing remembered
    }
    if (!this.channels.workspaces().some((w) => w.id === workspaceId)) await this.channels.loadWorkspaces();
    await Promise.all([this.channels.refreshChannels(), this.channels.refreshMembers(), this.presence.refresh()]);
  }

  /**
   * Shows the message at once as pending; it becomes sent on the acknowledgement. With `thread`, a reply in that thread;
   * with `files` (uploaded already), they go as its fileIds, and the text may then be empty.
   */
  send(channelId: string, text: string, thread?: { rootId: string; alsoInChannel: boolean }, files: FileDto[] = []): void {
    const me = this.channels.me();
    if (!me || (!text.trim() && !files.length)) return;
    void this.deliver(this.messages.addPending(channelId, me, text, thread, files));
  }

  /** Sends a failed message again with the same clientMsgId: it can only ever be stored once. */
  retry(message: ChatMessage): void {
    this.messages.setOutboxState(message, 'pending');
    void this.deliver({ ...message, state: 'pending' });
  }

  /** Removed from a workspace (or it was deleted): it goes from the list, and if it is open, the chat leaves it. */
  private leftWorkspace(workspaceId: string): void {
    if (!this.channels.forget(workspaceId)) return;
    this.messages.clear();
    this.messages.activeChannelId.set(null);
    void this.router.navigate(['/']);
  }

  private async deliver(message: ChatMessage): Promise<void> {
    // Offline, it goes out from resync() once connected.
    const stored = await this.messages.deliver(message);
    if (!stored) return;
    this.mentionNotices.noteSent(stored);
    this.receive(stored);
  }

  private receive(message: MessageDto): void {
    if (this.messages.receive(message)) void this.resync([message.channelId]);
    // A channel this client does not list yet (just joined, or a new DM): fetch the list again.
    if (!this.channels.has(message.channelId)) void this.channels.refreshChannels();
    const mine = message.senderId === this.channels.me();
    const watching = this.messages.activeChannelId() === message.channelId && document.visibilityState === 'visible';
    this.channels.noteMessage(message);
    this.threads.noteMessage(message);
    this.presence.setTyping(message.channelId, message.senderId, false);
    if (watching && !mine) this.channels.markRead(message.channelId);
    if (!watching && !mine) this.maybeNotify(message);
  }

  private maybeNotify(message: MessageDto): void {
    const channel = this.channels.find(message.channelId);
    if (!channel) return;
    const direct = channel.type === 'dm' || channel.type === 'group_dm';
    const me = this.channels.me();
    const name = (userId: string) => this.channels.displayName(userId);
    if (!me || !shouldNotify({ direct, mentioned: mentionsUser(message, me), myStatus: this.presence.presenceOf(me) })) return;
    const where = direct ? name(message.senderId) : `${name(message.senderId)} in #${channel.name}`;
    this.notifier.notify(where, this.channels.plainText(message.text), () => void this.router.navigate(['/w', channel.workspaceId, 'c', channel.id]));
  }

  /** After a (re)connection: fetch what was missed in every channel held, then send the outbox. */
  private async resync(only?: string[]): Promise<void> {
    await this.messages.sync(only);
    if (only) return;
    void this.channels.refreshChannels();
    void this.presence.refresh();
    for (const message of this.messages.pendingOutbox()) void this.deliver(message);
  }
}
