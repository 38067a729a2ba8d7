import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** A page that could not load its data: what went wrong, and a button to try again. */
@Component({
  selector: 'app-load-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <div role="alert" class="card flex flex-col items-start gap-3 p-5 text-sm sm:flex-row sm:items-center sm:justify-between">
      <span class="text-danger">{{ message() }}</span>
      <button type="button" class="btn btn-secondary h-9" (click)="retry.emit()">Try again</button>
    </div>
  `,
})
export class LoadError {
  readonly message = input.required<string>();
  readonly retry = output<void>();
}
