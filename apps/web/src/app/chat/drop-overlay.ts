import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * "Drop files to upload" over a drop target while files are held over it (see FileDrop); the
 * target must be positioned (`relative`). It lets the pointer through, so the drop lands on the
 * target beneath.
 */
@Component({
  selector: 'app-drop-overlay',
  template: `
    <div class="text-center">
      <svg class="mx-auto size-10 text-brand-600 dark:text-brand-300" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path
          d="M9.25 13.25a.75.75 0 0 0 1.5 0V4.636l2.955 3.129a.75.75 0 0 0 1.09-1.03l-4.25-4.5a.75.75 0 0 0-1.09 0l-4.25 4.5a.75.75 0 1 0 1.09 1.03L9.25 4.636v8.614Z"
        />
        <path
          d="M3.5 12.75a.75.75 0 0 0-1.5 0v2.5A2.75 2.75 0 0 0 4.75 18h10.5A2.75 2.75 0 0 0 18 15.25v-2.5a.75.75 0 0 0-1.5 0v2.5c0 .69-.56 1.25-1.25 1.25H4.75c-.69 0-1.25-.56-1.25-1.25v-2.5Z"
        />
      </svg>
      <p class="mt-2 text-base font-semibold text-brand-700 dark:text-brand-200">Drop files to upload</p>
      <p class="text-sm text-brand-600 dark:text-brand-300">to {{ target() }}</p>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class:
      'pointer-events-none absolute inset-2 z-30 flex items-center justify-center rounded-xl border-2 border-dashed border-brand-500 bg-brand-50/90 dark:bg-brand-900/80',
    'data-testid': 'drop-zone',
  },
})
export class DropOverlay {
  /** Where the files go, as the person knows it ("#design", "the thread"). */
  readonly target = input.required<string>();
}
