import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { BROADCAST_MENTION_POLICIES, type BroadcastMentionPolicy, Permission } from '@parley/contracts';
import { firstValueFrom } from 'rxjs';

import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';

const LABELS: Record<BroadcastMentionPolicy, string> = {
  everyone: 'Everyone who may post',
  managers: 'Channel managers only',
  nobody: 'Nobody',
};

/**
 * The workspace setting "Who can use @channel and @here" (WorkspaceSettings.broadcastMentions), a
 * section of the settings page. Saved on change; the server keeps the other settings as they are
 * (it merges).
 */
@Component({
  selector: 'app-broadcast-mentions-setting',
  template: `
    <div class="flex flex-col gap-1.5">
      <label for="broadcast-mentions" class="text-sm font-medium text-ink">Who can use &#64;channel and &#64;here</label>
      <select
        id="broadcast-mentions"
        class="field-input h-9 max-w-xs"
        [disabled]="saving() || !canManage()"
        (change)="save($any($event.target).value)"
        aria-describedby="broadcast-mentions-help"
      >
        @for (option of options; track option) {
          <!-- selected per option: a [value] on the select is set before its options exist. -->
          <option [value]="option" [selected]="option === policy()">{{ labels[option] }}</option>
        }
      </select>
      <p id="broadcast-mentions-help" class="text-xs text-muted">
        A message with &#64;channel or &#64;here from someone else is still sent, but notifies nobody, and its sender is told.
      </p>
      @if (status()) {
        <p role="status" class="text-xs text-muted">{{ status() }}</p>
      }
      @if (error()) {
        <p role="alert" class="text-xs text-danger">{{ error() }}</p>
      }
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class BroadcastMentionsSetting {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  protected readonly options = BROADCAST_MENTION_POLICIES;
  protected readonly labels = LABELS;
  protected readonly saving = signal(false);
  protected readonly status = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly canManage = computed(() => this.context.can(Permission.WorkspaceManage));
  protected readonly policy = computed<BroadcastMentionPolicy>(() => this.context.workspace()?.settings.broadcastMentions ?? 'everyone');

  protected async save(value: string): Promise<void> {
    const policy = value as BroadcastMentionPolicy;
    if (!BROADCAST_MENTION_POLICIES.includes(policy) || policy === this.policy()) return;
    this.saving.set(true);
    this.status.set('');
    this.error.set(null);
    try {
      const workspace = await firstValueFrom(this.api.updateWorkspace(this.context.workspaceId(), { settings: { broadcastMentions: policy } }));
      this.context.set(workspace);
      this.status.set('Saved.');
    } catch (error) {
      this.error.set(describeAdminError(error, 'change who can use @channel and @here'));
    } finally {
      this.saving.set(false);
    }
  }
}
