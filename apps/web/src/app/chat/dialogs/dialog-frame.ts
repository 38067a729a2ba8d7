import { DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

/** The look of every dialog: a card with a title, content and a close button (Esc closes too). */
@Component({
  selector: 'app-dialog-frame',
  template: `
    <div class="w-[min(92vw,28rem)] rounded-xl border border-line bg-surface p-5 text-ink shadow-xl">
      <div class="mb-4 flex items-start justify-between gap-4">
        <h2 [id]="titleId()" class="text-lg font-semibold">{{ title() }}</h2>
        <button type="button" class="btn btn-ghost -mt-1 -mr-2 h-8 px-2" aria-label="Close" (click)="ref.close()">✕</button>
      </div>
      <ng-content />
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialogFrame {
  protected readonly ref = inject(DialogRef);
  readonly title = input.required<string>();
  readonly titleId = input.required<string>();
}
