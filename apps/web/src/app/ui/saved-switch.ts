import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Observable } from 'rxjs';

/** What a SavedSwitch does when it is flipped: saves, and says how that went. */
export interface SwitchSaving {
  /** Saves the new state; the component keeps what it answers (a user, a workspace). */
  save: (on: boolean) => Observable<unknown>;
  /** The line under the switch once saved. */
  saved: (on: boolean) => string;
  /** Why it could not be saved. */
  failed: (error: unknown) => string;
}

/**
 * A setting saved as soon as it is changed: a checkbox with its label and hint, disabled while
 * saving, "saved" in a status line, and on failure back to `checked` (what is stored) with why.
 */
@Component({
  selector: 'app-saved-switch',
  template: `
    <label class="flex cursor-pointer items-start gap-3">
      <input
        type="checkbox"
        class="mt-0.5 size-4 shrink-0 accent-brand-600"
        [name]="name()"
        [attr.data-testid]="name()"
        [checked]="checked()"
        [disabled]="busy()"
        [attr.aria-describedby]="name() + '-hint'"
        (change)="flip($event)"
      />
      <span class="min-w-0">
        <span class="block text-sm text-ink">{{ label() }}</span>
        <span [id]="name() + '-hint'" class="block text-xs text-muted">{{ hint() }}</span>
      </span>
    </label>
    <p role="status" class="mt-2 text-sm text-success empty:hidden">{{ status() }}</p>
    @if (error(); as message) {
      <div role="alert" class="alert-danger mt-2">{{ message }}</div>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SavedSwitch {
  private readonly destroyRef = inject(DestroyRef);

  /** The input's name and test id; also names the hint. */
  readonly name = input.required<string>();
  readonly label = input.required<string>();
  readonly hint = input.required<string>();
  /** What is stored. */
  readonly checked = input.required<boolean>();
  readonly saver = input.required<SwitchSaving>();

  protected readonly busy = signal(false);
  protected readonly status = signal('');
  protected readonly error = signal<string | null>(null);

  protected flip(event: Event): void {
    const box = event.target as HTMLInputElement;
    const on = box.checked;
    const how = this.saver();
    this.busy.set(true);
    this.status.set('');
    this.error.set(null);
    how
      .save(on)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.status.set(how.saved(on));
        },
        error: (error: unknown) => {
          this.busy.set(false);
          box.checked = this.checked();
          this.error.set(how.failed(error));
        },
      });
  }
}
