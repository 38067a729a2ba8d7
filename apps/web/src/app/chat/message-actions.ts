import { Clipboard } from '@angular/cdk/clipboard';
import { Dialog } from '@angular/cdk/dialog';
import { Injectable, Injector, inject, signal } from '@angular/core';
import type { MessageDto } from '@parley/contracts';

import { isNetworkError, toApiError } from '../core/http/api-error';

import { ChannelsStore } from './channels-store';
import { ChatApi } from './chat-api';
import { EditHistoryDialog, type EditHistoryData } from './dialogs/edit-history-dialog';
import { pickEmoji } from './emoji-picker';
import { MessagesStore } from './messages-store';
import { toggledReactions } from './reactions';

/**
 * What one does to a message besides editing and deleting it: react, pin, forward, link to it,
 * read its edit history. The toolbar, the ⋯ menu and the long-press sheet all act through here.
 * Each answer replaces the message held at once; the change event that follows (live or by sync)
 * is applied in its turn (MessagesStore), so what shows ends as the server has it.
 */
@Injectable({ providedIn: 'root' })
export class MessageActions {
  private readonly api = inject(ChatApi);
  private readonly messages = inject(MessagesStore);
  private readonly channels = inject(ChannelsStore);
  private readonly clipboard = inject(Clipboard);
  private readonly dialog = inject(Dialog);
  private readonly injector = inject(Injector);
  /** A short word on what just happened ("Link copied", or why an action was refused), shown by the channel for a few seconds. */
  readonly notice = signal<{ text: string; error: boolean } | null>(null);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  say(text: string, error = false): void {
    clearTimeout(this.noticeTimer);
    this.notice.set({ text, error });
    this.noticeTimer = setTimeout(() => this.notice.set(null), error ? 6000 : 2500);
  }

  /** Says why `what` failed ("The reaction could not be added: …"). */
  sayFailed(what: string, error: unknown): void {
    const api = toApiError(error);
    const why = isNetworkError(api) ? 'the server could not be reached' : (api.message ?? 'try again');
    this.say(`${what}: ${why}.`.replace(/\.\.$/, '.'), true);
  }

  /**
   * Adds one's reaction, or takes it back when one has it. The chip changes at once; a refusal
   * puts the message back as it was and rethrows (the caller shows why).
   */
  async toggleReaction(message: MessageDto, emoji: string, add = !message.reactions.some((r) => r.emoji === emoji && r.me)): Promise<void> {
    const me = this.channels.me();
    if (!me) return;
    this.messages.replaceMessage({ ...message, reactions: toggledReactions(message.reactions, emoji, me, add) });
    try {
      this.messages.replaceMessage(await this.api.react(message.id, emoji, add));
    } catch (error) {
      this.messages.replaceMessage(message);
      throw error;
    }
  }

  async setPinned(message: MessageDto, pinned: boolean): Promise<MessageDto> {
    const answer = await this.api.pin(message.id, pinned);
    this.messages.replaceMessage(answer);
    return answer;
  }

  /** Forwards into another channel with a fresh clientMsgId (a retry of the same click reuses it). */
  forward(message: MessageDto, channelId: string, comment: string, clientMsgId: string = crypto.randomUUID()): Promise<MessageDto> {
    return this.api.forward(message.id, { channelId, comment: comment || undefined, clientMsgId });
  }

  /** Toggles one's reaction with `emoji` (a chip, a quick reaction); a refusal is said. */
  async react(message: MessageDto, emoji: string, add?: boolean): Promise<void> {
    try {
      await this.toggleReaction(message, emoji, add);
    } catch (error) {
      this.sayFailed(add ? 'The reaction could not be added' : 'The reaction could not be changed', error);
    }
  }

  /** Opens the emoji picker next to `origin` and adds the emoji picked. */
  async pickReaction(message: MessageDto, origin: HTMLElement): Promise<void> {
    const emoji = await pickEmoji(this.dialog, this.injector, origin);
    if (emoji) await this.react(message, emoji, true);
  }

  async togglePin(message: MessageDto): Promise<void> {
    const pin = !message.pinnedAt;
    try {
      await this.setPinned(message, pin);
      this.say(pin ? 'Pinned to the channel' : 'Unpinned');
    } catch (error) {
      this.sayFailed(pin ? 'The message could not be pinned' : 'The message could not be unpinned', error);
    }
  }

  copyLink(message: MessageDto): void {
    const copied = this.clipboard.copy(this.permalink(message));
    this.say(copied ? 'Link copied' : 'The link could not be copied', !copied);
  }

  /** The message's text as written (its Markdown), for pasting elsewhere. */
  copyText(message: MessageDto): void {
    const copied = this.clipboard.copy(message.text);
    this.say(copied ? 'Text copied' : 'The text could not be copied', !copied);
  }

  /** The "Edit history" dialog (offered to the sender and to holders of audit.read or ediscovery.export). */
  openHistory(message: MessageDto): void {
    this.dialog.open<void, EditHistoryData>(EditHistoryDialog, { data: { message }, ariaLabelledBy: 'edit-history-title' });
  }

  /** The address that opens the channel at this message (see ChannelView's `m`). */
  permalink(message: Pick<MessageDto, 'channelId' | 'seq'>): string {
    const workspaceId = this.channels.find(message.channelId)?.workspaceId ?? this.channels.workspaceId();
    return `${location.origin}/w/${workspaceId}/c/${message.channelId}?m=${message.seq}`;
  }
}
