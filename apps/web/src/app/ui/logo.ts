import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Parley's mark (a speech bubble on the brand square) with an optional wordmark. */
@Component({
  selector: 'app-logo',
  template: `
    <svg [attr.width]="size()" [attr.height]="size()" viewBox="0 0 32 32" aria-hidden="true" class="shrink-0">
      <rect width="32" height="32" rx="8" class="fill-brand-600 dark:fill-brand-500" />
      <path
        d="M9 10.5A2.5 2.5 0 0 1 11.5 8h9A2.5 2.5 0 0 1 23 10.5v6a2.5 2.5 0 0 1-2.5 2.5H15l-4.2 3.6c-.5.4-1.3 0-1.3-.6V19.6A2.5 2.5 0 0 1 9 17.5z"
        fill="#fff"
      />
    </svg>
    @if (wordmark()) {
      <span class="text-lg font-semibold tracking-tight text-ink">Parley</span>
    } @else {
      <span class="sr-only">Parley</span>
    }
  `,
  host: { class: 'inline-flex items-center gap-2' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Logo {
  readonly size = input(28);
  readonly wordmark = input(true);
}
