import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { READ_RECEIPTS_MAX_MEMBERS } from '@parley/contracts';
import { tap } from 'rxjs';

import { SavedSwitch, type SwitchSaving } from '@web/ui/saved-switch';

import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { BroadcastMentionsSetting } from './broadcast-mentions-setting';

/** The workspace's settings (workspace.manage): each switch is saved as soon as it is changed. */
@Component({
  selector: 'app-admin-settings-page',
  imports: [BroadcastMentionsSetting, SavedSwitch],
  template: `
    <div>
      <h2 class="text-lg font-semibold tracking-tight text-ink">Settings</h2>
      <p class="mt-1 text-sm text-muted">How this workspace works for everyone in it.</p>
    </div>
    <section class="card mt-4 p-5" aria-labelledby="settings-receipts-title">
      <h3 id="settings-receipts-title" class="text-base font-semibold text-ink">Read receipts</h3>
      <app-saved-switch
        class="mt-3"
        name="workspace-read-receipts"
        label="Read receipts"
        [hint]="receiptsHint"
        [checked]="readReceipts()"
        [saver]="receiptsSaver"
      />
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

  protected readonly receiptsHint = `Show who has read what in DMs, group DMs and channels of up to ${READ_RECEIPTS_MAX_MEMBERS} members. Each person can still turn theirs off. Off: nobody sees anybody's.`;
  protected readonly readReceipts = computed(() => this.context.workspace()?.settings.readReceipts !== false);
  protected readonly receiptsSaver: SwitchSaving = {
    save: (readReceipts) => this.api.updateWorkspace(this.context.workspaceId(), { settings: { readReceipts } }).pipe(tap((workspace) => this.context.set(workspace))),
    saved: (on) => (on ? 'Read receipts are on.' : 'Read receipts are off for everyone.'),
    failed: (error) => describeAdminError(error, 'change the settings'),
  };
}
