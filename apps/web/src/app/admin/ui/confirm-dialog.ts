import { Dialog, DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { map, type Observable } from 'rxjs';

import { adminDialogConfig, dialogId } from './dialog-config';

export interface ConfirmData {
  title: string;
  message: string;
  confirmLabel: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
}

/** "Are you sure?" as a CDK dialog: Cancel gets the focus first; Esc or the backdrop cancel. */
@Component({
  selector: 'app-admin-confirm-dialog',
  template: `
    <div class="card w-full p-6 shadow-xl">
      <h2 [id]="titleId" class="text-lg font-semibold tracking-tight text-ink">{{ data.title }}</h2>
      <p [id]="messageId" class="mt-2 text-sm text-muted">{{ data.message }}</p>
      <div class="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <button type="button" class="btn btn-secondary" (click)="ref.close(false)">Cancel</button>
        <button
          type="button"
          class="btn"
          [class]="
            data.danger ? 'bg-red-600 text-white shadow-sm hover:bg-red-700 dark:bg-red-500 dark:hover:bg-red-400' : 'btn-primary'
          "
          (click)="ref.close(true)"
        >
          {{ data.confirmLabel }}
        </button>
      </div>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmData>(DIALOG_DATA);
  protected readonly ref = inject<DialogRef<boolean>>(DialogRef);
  protected readonly titleId = this.ref.config.ariaLabelledBy ?? '';
  protected readonly messageId = this.ref.config.ariaDescribedBy ?? '';
}

/** Opens a confirmation; emits true only when the person confirmed. */
export function confirmAction(dialog: Dialog, data: ConfirmData): Observable<boolean> {
  const ref = dialog.open<boolean, ConfirmData, ConfirmDialog>(ConfirmDialog, {
    ...adminDialogConfig(data),
    ariaLabelledBy: dialogId('confirm-title'),
    ariaDescribedBy: dialogId('confirm-message'),
  });
  return ref.closed.pipe(map((result) => result === true));
}
