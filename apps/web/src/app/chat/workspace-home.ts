import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { Router } from '@angular/router';

import { ChannelsStore } from './channels-store';

/** A workspace with no channel chosen: opens #general (or the first channel) once the list is in. */
@Component({
  selector: 'app-workspace-home',
  template: `<p class="p-8 text-sm text-muted" role="status">Loading channels…</p>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WorkspaceHome {
  private readonly store = inject(ChannelsStore);
  private readonly router = inject(Router);
  readonly workspaceId = input.required<string>();

  constructor() {
    effect(() => {
      const channels = this.store.joinedChannels();
      const dms = this.store.directMessages();
      if (this.store.workspaceId() !== this.workspaceId()) return;
      const first = channels.find((c) => c.name === 'general') ?? channels[0] ?? dms[0];
      if (first) untracked(() => void this.router.navigate(['/w', this.workspaceId(), 'c', first.id], { replaceUrl: true }));
    });
  }
}
