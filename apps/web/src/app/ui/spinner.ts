import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A small busy indicator for buttons; the button's own text says what is happening. */
@Component({
  selector: 'app-spinner',
  template: `
    <svg class="size-4 animate-spin-fast" viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="9" stroke="currentColor" stroke-opacity="0.25" stroke-width="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
    </svg>
  `,
  host: { class: 'inline-flex' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Spinner {}
