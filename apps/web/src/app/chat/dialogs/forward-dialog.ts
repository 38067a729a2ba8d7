import { DIALOG_DATA, Dialog, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { FORWARD_COMMENT_MAX_LENGTH, type MessageDto } from '@parley/contracts';

import { toApiError } from '@web/core/http/api-error';
import { ChannelsStore } from '../channels-store';
import { MessageActions } from '../message-actions';
import { DialogFrame } from './dialog-frame';

export interface ForwardDialogData {
  message: MessageDto;
}

/**
 * Forward a message: pick one of the channels one can post in (a member, not archived), add a
 * comment if one likes. Closes with true once the forwarded copy is stored. One clientMsgId per
 * dialog, so pressing Forward again after a lost answer does not post twice.
 */
@Component({
  selector: 'app-forward-dialog',
  imports: [FormsModule, DialogFrame],
  template: `
    <app-dialog-frame title="Forward message" titleId="forward-title">
      <blockquote class="mb-4 max-h-24 overflow-hidden border-l-2 border-line-strong pl-3 text-sm break-words whitespace-pre-wrap text-muted">
        {{ data.message.text }}
      </blockquote>
      <label for="forward-filter" class="field-label">To</label>
      <input
        id="forward-filter"
        class="field-input mb-2"
        [ngModel]="query()"
        (ngModelChange)="query.set($event)"
        placeholder="Find a channel or conversation"
        autocomplete="off"
      />
      <ul class="max-h-52 space-y-0.5 overflow-y-auto" role="radiogroup" aria-label="Where to forward">
        @for (c of targets(); track c.id) {
          <li>
            <label class="flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-surface-muted">
              <input type="radio" name="forward-target" [value]="c.id" [checked]="picked() === c.id" (change)="picked.set(c.id)" />
              <span class="min-w-0 flex-1 truncate">{{ c.label }}</span>
            </label>
          </li>
        } @empty {
          <li class="px-2 text-sm text-muted">No channel matches.</li>
        }
      </ul>
      <label for="forward-comment" class="field-label mt-3">Comment (optional)</label>
      <textarea
        id="forward-comment"
        class="field-input min-h-16"
        rows="2"
        [maxlength]="maxLength"
        [ngModel]="comment()"
        (ngModelChange)="comment.set($event)"
        placeholder="Add a message"
      ></textarea>
      @if (error(); as message) {
        <p role="alert" class="mt-3 text-sm text-danger">{{ message }}</p>
      }
      <div class="mt-4 flex justify-end gap-2">
        <button type="button" class="btn btn-secondary" (click)="ref.close(false)">Cancel</button>
        <button type="button" class="btn btn-primary" [disabled]="busy() || !picked()" (click)="send()">Forward</button>
      </div>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForwardDialog {
  protected readonly ref = inject<DialogRef<boolean>>(DialogRef);
  protected readonly data = inject<ForwardDialogData>(DIALOG_DATA);
  private readonly store = inject(ChannelsStore);
  private readonly actions = inject(MessageActions);
  protected readonly maxLength = FORWARD_COMMENT_MAX_LENGTH;
  protected readonly query = signal('');
  protected readonly comment = signal('');
  protected readonly picked = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly clientMsgId = crypto.randomUUID();
  protected readonly targets = computed(() => {
    const q = this.query().trim().toLowerCase();
    return this.store
      .channels()
      .filter((c) => c.member && !c.archivedAt)
      .map((c) => ({ id: c.id, label: c.type === 'public' || c.type === 'private' ? `# ${c.name}` : this.store.channelLabel(c) }))
      .filter((c) => !q || c.label.toLowerCase().includes(q))
      .sort((a, b) => a.label.localeCompare(b.label));
  });

  protected async send(): Promise<void> {
    const channelId = this.picked();
    if (!channelId) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.actions.forward(this.data.message, channelId, this.comment().trim(), this.clientMsgId);
      const target = this.targets().find((c) => c.id === channelId);
      this.actions.say(`Forwarded to ${target?.label ?? 'the conversation'}`);
      this.ref.close(true);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The message could not be forwarded. Try again.');
    } finally {
      this.busy.set(false);
    }
  }
}

/** Opens "Forward message" for `message` (from its toolbar, its ⋯ menu or its long-press sheet). */
export function openForward(dialog: Dialog, message: MessageDto): void {
  dialog.open<boolean, ForwardDialogData>(ForwardDialog, { data: { message }, ariaLabelledBy: 'forward-title' });
}
