import { ChangeDetectionStrategy, Component } from '@angular/core';

import { BroadcastMentionsSetting } from './broadcast-mentions-setting';

/** Workspace settings: each setting is a small component of its own, saved on change. */
@Component({
  selector: 'app-admin-settings-page',
  imports: [BroadcastMentionsSetting],
  template: `
    <section class="card space-y-6 p-6" aria-labelledby="settings-title">
      <h2 id="settings-title" class="text-base font-semibold text-ink">Workspace settings</h2>
      <app-broadcast-mentions-setting />
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class SettingsPage {}
