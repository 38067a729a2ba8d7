import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { READ_RECEIPTS_MAX_MEMBERS, type WorkspaceSettings } from '@parley/contracts';

import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { BroadcastMentionsSetting } from './broadcast-mentions-setting';

/** The workspace's settings (workspace.manage): each switch is saved as soon as it is changed. */
@Component({
  selector: 'app-admin-settings-page',
  imports: [BroadcastMentionsSetting],
  template: `
    <div>
      <h2 class="text-lg font-semibold tracking-tight text-ink">Settings</h2>
      <p class="mt-1 text-sm text-muted">How this workspace works for everyone in it.</p>
    </div>
    <section class="card mt-4 p-5" aria-labelledby="settings-receipts-title">
      <h3 id="settings-receipts-title" class="text-base font-semibold text-ink">Read receipts</h3>
      <label class="mt-3 flex cursor-pointer items-start gap-3">
        <input
          type="checkbox"
          class="mt-0.5 size-4 shrink-0 accent-brand-600"
          name="readReceipts"
          data-testid="workspace-read-receipts"
          [checked]="readReceipts()"
          [disabled]="saving()"
          aria-describedby="settings-receipts-hint"
          (change)="setReadReceipts($event)"
        />
        <span class="min-w-0">
          <span class="block text-sm text-ink">Read receipts</span>
          <span id="settings-receipts-hint" class="block text-xs text-muted">
            Show who has read what in DMs, group DMs and channels of up to {{ maxMembers }} members. Each person can still turn theirs off. Off: nobody sees anybody's.
          </span>
        </span>
      </label>
      <p role="status" class="mt-2 text-sm text-success empty:hidden">{{ status() }}</p>
      @if (error(); as message) {
        <div role="alert" class="alert-danger mt-2">{{ message }}</div>
      }
    </section>
    <section class="card mt-4 p-5" aria-labelledby="settings-mentions-title">
      <h3 id="settings-mentions-title" class="text-base font-semibold text-ink">Mentions</h3>
      <app-broadcast-mentions-setting class="mt-3" />
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SettingsPage {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly maxMembers = READ_RECEIPTS_MAX_MEMBERS;
  protected readonly readReceipts = computed(() => this.context.workspace()?.settings.readReceipts !== false);
  protected readonly saving = signal(false);
  protected readonly status = signal('');
  protected readonly error = signal<string | null>(null);

  protected setReadReceipts(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.save({ readReceipts: input.checked }, input, input.checked ? 'Read receipts are on.' : 'Read receipts are off for everyone.');
  }

  /** Saves a change of settings; on failure the switch goes back to what is stored. */
  private save(settings: WorkspaceSettings, input: HTMLInputElement, done: string): void {
    this.saving.set(true);
    this.status.set('');
    this.error.set(null);
    this.api
      .updateWorkspace(this.context.workspaceId(), { settings })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (workspace) => {
          this.context.set(workspace);
          this.saving.set(false);
          this.status.set(done);
        },
        error: (error: unknown) => {
          this.saving.set(false);
          input.checked = this.readReceipts();
          this.error.set(describeAdminError(error, 'change the settings'));
        },
      });
  }
}
