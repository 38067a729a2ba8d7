import { Dialog } from '@angular/cdk/dialog';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Permission } from '@parley/contracts';
import { firstValueFrom } from 'rxjs';

import { toApiError } from '../core/http/api-error';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { DeleteMessageDialog, type DeleteMessageData } from './dialogs/delete-message-dialog';
import type { ChatMessage } from './message-groups';
import { messageChangeError } from './message-errors';
import { MessageEditor } from './message-editor';
import { MessageText } from './message-text';
import { MessageExtras } from './message-extras';
import { MessageToolbarActions } from './message-toolbar-actions';
import { ReadBy } from './message-receipts';
import { MessagesStore } from './messages-store';
import { ThreadStore } from './thread-store';

/**
 * One message's line in the log: its text (or the inline editor, or "This message was deleted"),
 * how its send is going, and the actions bar shown on hover and on keyboard focus. The buttons
 * only follow what the server allows (edit: the sender, not in an archived channel; delete: the
 * sender or message.delete.any); the server decides, and a refusal shows here.
 */
@Component({
  selector: 'app-message-body',
  imports: [DatePipe, MessageEditor, MessageExtras, MessageText, MessageToolbarActions, ReadBy],
  template: `
    @let m = message();
    <div class="group relative flex items-start gap-2" [attr.data-state]="m.state" data-testid="message">
      @if (editing()) {
        <app-message-editor [text]="m.text" [channelId]="m.channelId" [inputId]="'edit-' + m.id" [busy]="busy()" (saved)="save($event)" (cancelled)="stopEditing()" />
      } @else if (m.deletedAt) {
        <p class="min-w-0 flex-1 text-sm text-muted italic" data-testid="deleted">This message was deleted</p>
      } @else {
        <parley-message-text class="text-sm" [text]="m.text" [mentions]="channels" [class.flex-1]="!m.editedAt" [class.text-faint]="m.state !== 'sent'" [title]="relative(m.createdAt)" />
        @if (m.editedAt) {
          <!-- Right after the text, as in Slack (the text does not stretch when edited). -->
          <span class="flex-1 shrink-0 self-end text-xs text-faint" [title]="'Edited ' + (m.editedAt | date: 'medium')" data-testid="edited">(edited)</span>
        }
      }
      @if (m.state === 'pending') {
        <span class="shrink-0 text-xs text-faint" data-testid="pending">Sending…</span>
      } @else if (m.state === 'failed') {
        <span class="shrink-0 text-xs text-danger">Not sent</span>
        <button type="button" class="shrink-0 text-xs font-semibold text-brand-600 underline" (click)="chat.retry(m)">Retry</button>
        <button type="button" class="shrink-0 text-xs text-muted underline" (click)="messages.discard(m)">Discard</button>
      }
      @if (!editing() && changeable()) {
        <div
          role="toolbar"
          aria-label="Message actions"
          class="absolute -top-4 right-1 z-10 flex gap-0.5 rounded-md border border-line bg-surface p-0.5 opacity-0 shadow-sm group-hover:opacity-100 focus-within:opacity-100 has-[[data-picking]]:opacity-100"
        >
          @if (!inThread()) {
            <!-- Read positions are the channel's: a thread reply is not read by reading the channel. -->
            <app-read-by [message]="m" />
          }
          <app-message-toolbar-actions [message]="m" [archived]="archived()" />
          @if (canEdit()) {
            <!-- Icons only: the line's text stays the message's own (tests and screen readers read it; the labels name the buttons). -->
            <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Edit message" title="Edit" (click)="startEditing()">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M13.586 3.586a2 2 0 1 1 2.828 2.828l-.793.793-2.828-2.828.793-.793ZM11.379 5.793 3 14.172V17h2.828l8.38-8.379-2.83-2.828Z" />
              </svg>
            </button>
          }
          @if (canDelete()) {
            <button type="button" class="btn btn-ghost h-7 px-1.5 text-danger" aria-label="Delete message" title="Delete" (click)="confirmDelete()">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path
                  fill-rule="evenodd"
                  d="M8.75 1A2.75 2.75 0 0 0 6 3.75v.443c-.795.077-1.584.176-2.365.298a.75.75 0 1 0 .23 1.482l.149-.022.841 10.518A2.75 2.75 0 0 0 7.596 19h4.807a2.75 2.75 0 0 0 2.742-2.53l.841-10.52.149.023a.75.75 0 0 0 .23-1.482A41.03 41.03 0 0 0 14 4.193V3.75A2.75 2.75 0 0 0 11.25 1h-2.5ZM10 4c.84 0 1.673.025 2.5.075V3.75c0-.69-.56-1.25-1.25-1.25h-2.5c-.69 0-1.25.56-1.25 1.25v.325C8.327 4.025 9.16 4 10 4ZM8.58 7.72a.75.75 0 0 0-1.5.06l.3 7.5a.75.75 0 1 0 1.5-.06l-.3-7.5Zm4.34.06a.75.75 0 1 0-1.5-.06l-.3 7.5a.75.75 0 1 0 1.5.06l.3-7.5Z"
                  clip-rule="evenodd"
                />
              </svg>
            </button>
          }
          @if (canReply()) {
            <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Reply in thread" title="Reply in thread" (click)="threads.openThread(m.threadRootId ?? m.id)">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path
                  fill-rule="evenodd"
                  d="M3.43 2.52A41.1 41.1 0 0 1 10 2c2.24 0 4.44.18 6.57.52 1.6.26 2.68 1.66 2.68 3.22v5.02c0 1.56-1.08 2.96-2.68 3.22-1.35.22-2.73.36-4.13.44a.75.75 0 0 0-.5.22l-2.91 2.91A.75.75 0 0 1 7.75 17v-2.6a.75.75 0 0 0-.66-.75c-1.24-.13-2.46-.3-3.66-.49C1.83 12.9.75 11.5.75 9.94V5.74c0-1.56 1.08-2.96 2.68-3.22Z"
                  clip-rule="evenodd"
                />
              </svg>
            </button>
          }
        </div>
      }
    </div>
    @if (!editing()) {
      <app-message-extras [message]="m" [archived]="archived()" />
    }
    @if (error(); as text) {
      <p role="alert" class="text-xs text-danger">{{ text }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class MessageBody {
  protected readonly chat = inject(ChatStore);
  protected readonly messages = inject(MessagesStore);
  protected readonly channels = inject(ChannelsStore);
  private readonly dialog = inject(Dialog);
  readonly message = input.required<ChatMessage>();
  /** The channel is archived: read-only, so nothing is edited. */
  readonly archived = input(false);
  /** Shown in the thread panel (the root or a reply): a thread has no threads, so no "Reply in thread". */
  readonly inThread = input(false);
  protected readonly threads = inject(ThreadStore);

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  // A message deleted meanwhile (by a moderator, or in another tab) is not edited any more.
  protected readonly editing = computed(() => this.messages.editingId() === this.message().id && !this.message().deletedAt);
  protected readonly changeable = computed(() => this.message().state === 'sent' && !this.message().deletedAt);
  private readonly mine = computed(() => this.message().senderId === this.channels.me());
  // A reply also sent to the channel opens its root's thread.
  protected readonly canReply = computed(() => this.changeable() && !this.inThread() && !this.archived());
  protected readonly canEdit = computed(() => this.changeable() && this.mine() && !this.archived());
  protected readonly canDelete = computed(
    () => this.changeable() && (this.mine() || (this.channels.workspace()?.permissions.includes(Permission.MessageDeleteAny) ?? false)),
  );

  protected startEditing(): void {
    this.error.set(null);
    this.messages.editingId.set(this.message().id);
  }

  protected stopEditing(): void {
    if (this.editing()) this.messages.editingId.set(null);
  }

  protected async save(text: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.messages.edit(this.message(), text);
      this.stopEditing();
    } catch (error) {
      this.error.set(messageChangeError('edit', toApiError(error)));
    } finally {
      this.busy.set(false);
    }
  }

  protected async confirmDelete(): Promise<void> {
    this.error.set(null);
    const ref = this.dialog.open<boolean, DeleteMessageData>(DeleteMessageDialog, {
      data: { text: this.message().text },
      ariaLabelledBy: 'delete-message-title',
    });
    if ((await firstValueFrom(ref.closed)) !== true) return;
    try {
      await this.messages.remove(this.message());
    } catch (error) {
      this.error.set(messageChangeError('delete', toApiError(error)));
    }
  }

  protected relative(iso: string): string {
    const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 24) return `${hours} h ago`;
    return `${Math.round(hours / 24)} d ago`;
  }
}
