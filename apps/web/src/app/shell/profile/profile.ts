import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DISPLAY_NAME_MAX_LENGTH } from '@parley/contracts';

import { AuthStore } from '@web/core/auth/auth-store';
import { isNetworkError, toApiError } from '@web/core/http/api-error';
import { UsersApi } from '@web/core/users/users-api';
import { Spinner } from '@web/ui/spinner';

import { ReadReceiptsSwitch } from './read-receipts-switch';

/** Who you are to your teammates: your display name (your email is fixed), and whether you send read receipts. */
@Component({
  selector: 'app-profile',
  imports: [ReadReceiptsSwitch, Spinner],
  templateUrl: './profile.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class Profile {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly user = this.auth.user;
  protected readonly nameMax = DISPLAY_NAME_MAX_LENGTH;
  protected readonly name = signal(this.auth.user()?.displayName ?? '');
  protected readonly nameError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly status = signal('');
  protected readonly saving = signal(false);

  protected onName(event: Event): void {
    this.name.set((event.target as HTMLInputElement).value);
    this.nameError.set(null);
    this.status.set('');
  }

  protected save(event: Event): void {
    event.preventDefault();
    if (this.saving()) return;
    const displayName = this.name().trim();
    if (!displayName) {
      this.nameError.set('Enter the name your teammates will see.');
      return;
    }
    if (displayName.length > DISPLAY_NAME_MAX_LENGTH) {
      this.nameError.set(`Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.`);
      return;
    }
    this.error.set(null);
    this.saving.set(true);
    this.api
      .updateMe({ displayName })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.auth.setUser(user);
          this.name.set(user.displayName);
          this.saving.set(false);
          this.status.set('Saved. Your teammates see the new name when they next load Parley.');
        },
        error: (error: unknown) => {
          this.saving.set(false);
          const apiError = toApiError(error);
          const field = apiError.fields.find((f) => f.field === 'displayName');
          if (field) this.nameError.set(field.errors.join(' '));
          else this.error.set(isNetworkError(apiError) ? 'Cannot reach Parley. Check your connection.' : `Could not save your name. ${apiError.message ?? 'Try again in a moment.'}`);
        },
      });
  }
}
