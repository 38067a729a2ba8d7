import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { DialogFrame } from './dialog-frame';

export interface DeleteMessageData {
  /** The text, quoted so the person sees which message goes. */
  text: string;
}

/** "Delete this message?": closes with true only on Delete (Cancel, Esc and the backdrop keep it). */
@Component({
  selector: 'app-delete-message-dialog',
  imports: [DialogFrame],
  template: `
    <app-dialog-frame title="Delete message" titleId="delete-message-title">
      <p class="text-sm text-muted">Delete this message for everyone in the channel? This cannot be undone.</p>
      <blockquote class="mt-3 max-h-32 overflow-hidden border-l-2 border-line-strong pl-3 text-sm break-words whitespace-pre-wrap">{{ data.text }}</blockquote>
      <div class="mt-5 flex justify-end gap-2">
        <button type="button" class="btn btn-secondary" (click)="ref.close(false)">Cancel</button>
        <button type="button" class="btn bg-red-600 text-white shadow-sm hover:bg-red-700 dark:bg-red-500 dark:hover:bg-red-400" (click)="ref.close(true)">
          Delete
        </button>
      </div>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteMessageDialog {
  protected readonly ref = inject<DialogRef<boolean>>(DialogRef);
  protected readonly data = inject<DeleteMessageData>(DIALOG_DATA);
}
