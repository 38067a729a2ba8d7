import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { tap } from 'rxjs';

import { AuthStore } from '@web/core/auth/auth-store';
import { isNetworkError, toApiError } from '@web/core/http/api-error';
import { UsersApi } from '@web/core/users/users-api';
import { SavedSwitch, type SwitchSaving } from '@web/ui/saved-switch';

/** "Send read receipts": saved as soon as it is changed (PATCH /api/users/me). */
@Component({
  selector: 'app-read-receipts-switch',
  imports: [SavedSwitch],
  template: `
    <section class="card mt-6 max-w-xl p-5 sm:p-6" aria-labelledby="privacy-title">
      <h2 id="privacy-title" class="text-base font-semibold text-ink">Privacy</h2>
      <app-saved-switch
        class="mt-3"
        name="read-receipts-switch"
        label="Send read receipts"
        hint='People in your DMs and small channels see how far you have read ("Seen"). Turned off, they do not, and you do not see theirs either.'
        [checked]="on()"
        [saver]="saver"
      />
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class ReadReceiptsSwitch {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthStore);

  protected readonly on = computed(() => this.auth.user()?.readReceipts !== false);
  protected readonly saver: SwitchSaving = {
    save: (readReceipts) => this.api.updateMe({ readReceipts }).pipe(tap((user) => this.auth.setUser(user))),
    saved: (on) => (on ? 'Read receipts are on.' : 'Read receipts are off.'),
    failed: (error) => {
      const apiError = toApiError(error);
      return isNetworkError(apiError) ? 'Cannot reach Parley. Check your connection.' : `Could not save. ${apiError.message ?? 'Try again in a moment.'}`;
    },
  };
}
