import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { AuthStore } from '@web/core/auth/auth-store';
import { isNetworkError, toApiError } from '@web/core/http/api-error';
import { UsersApi } from '@web/core/users/users-api';

/** "Send read receipts": saved as soon as it is changed (PATCH /api/users/me). */
@Component({
  selector: 'app-read-receipts-switch',
  template: `
    <section class="card mt-6 max-w-xl p-5 sm:p-6" aria-labelledby="privacy-title">
      <h2 id="privacy-title" class="text-base font-semibold text-ink">Privacy</h2>
      <label class="mt-3 flex cursor-pointer items-start gap-3">
        <input
          type="checkbox"
          class="mt-0.5 size-4 shrink-0 accent-brand-600"
          name="readReceipts"
          data-testid="read-receipts-switch"
          [checked]="on()"
          [disabled]="saving()"
          aria-describedby="read-receipts-hint"
          (change)="set($event)"
        />
        <span class="min-w-0">
          <span class="block text-sm text-ink">Send read receipts</span>
          <span id="read-receipts-hint" class="block text-xs text-muted">
            People in your DMs and small channels see how far you have read ("Seen"). Turned off, they do not, and you do not see theirs either.
          </span>
        </span>
      </label>
      <p role="status" class="mt-2 text-sm text-success empty:hidden">{{ status() }}</p>
      @if (error(); as message) {
        <div role="alert" class="alert-danger mt-2">{{ message }}</div>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class ReadReceiptsSwitch {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly on = computed(() => this.auth.user()?.readReceipts !== false);
  protected readonly saving = signal(false);
  protected readonly status = signal('');
  protected readonly error = signal<string | null>(null);

  protected set(event: Event): void {
    const input = event.target as HTMLInputElement;
    const readReceipts = input.checked;
    this.saving.set(true);
    this.status.set('');
    this.error.set(null);
    this.api
      .updateMe({ readReceipts })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.auth.setUser(user);
          this.saving.set(false);
          this.status.set(user.readReceipts ? 'Read receipts are on.' : 'Read receipts are off.');
        },
        error: (error: unknown) => {
          this.saving.set(false);
          input.checked = this.on(); // back to what is stored
          const apiError = toApiError(error);
          this.error.set(isNetworkError(apiError) ? 'Cannot reach Parley. Check your connection.' : `Could not save. ${apiError.message ?? 'Try again in a moment.'}`);
        },
      });
  }
}
