import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';

import { toApiError } from '@web/core/http/api-error';
import { ChatApi } from '../chat-api';
import { ChannelsStore } from '../channels-store';
import { DialogFrame } from './dialog-frame';

/** Start a DM (one person) or group DM (up to seven) with people of the workspace. */
@Component({
  selector: 'app-new-message-dialog',
  imports: [FormsModule, DialogFrame],
  template: `
    <app-dialog-frame title="New message" titleId="new-message-title">
      <label for="people-filter" class="field-label">To</label>
      <input id="people-filter" class="field-input mb-3" [ngModel]="query()" (ngModelChange)="query.set($event)" placeholder="Find people by name" autocomplete="off" />
      <ul class="max-h-64 space-y-1 overflow-y-auto" aria-label="People">
        @for (member of candidates(); track member.userId) {
          <li>
            <label class="flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 hover:bg-surface-muted">
              <input type="checkbox" [checked]="picked().has(member.userId)" (change)="toggle(member.userId)" />
              <span class="min-w-0 flex-1 truncate text-sm">{{ member.displayName }} <span class="text-faint">{{ member.email }}</span></span>
            </label>
          </li>
        } @empty {
          <li class="px-2 text-sm text-muted">Nobody matches.</li>
        }
      </ul>
      @if (error(); as message) {
        <p role="alert" class="mt-3 text-sm text-danger">{{ message }}</p>
      }
      <div class="mt-4 flex justify-end gap-2">
        <button type="button" class="btn btn-secondary" (click)="ref.close()">Cancel</button>
        <button type="button" class="btn btn-primary" [disabled]="busy() || picked().size === 0 || picked().size > 7" (click)="open()">Open conversation</button>
      </div>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewMessageDialog {
  protected readonly ref = inject(DialogRef);
  private readonly data = inject<{ workspaceId: string }>(DIALOG_DATA);
  private readonly api = inject(ChatApi);
  private readonly store = inject(ChannelsStore);
  private readonly router = inject(Router);
  protected readonly query = signal('');
  protected readonly picked = signal(new Set<string>());
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly candidates = computed(() => {
    const q = this.query().trim().toLowerCase();
    return Object.values(this.store.members())
      .filter((m) => m.userId !== this.store.me() && m.state === 'active')
      .filter((m) => !q || m.displayName.toLowerCase().includes(q) || m.email.includes(q));
  });

  protected toggle(userId: string): void {
    this.picked.update((set) => {
      const next = new Set(set);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });
  }

  protected async open(): Promise<void> {
    this.busy.set(true);
    try {
      const channel = await this.api.openDm(this.data.workspaceId, [...this.picked()]);
      await this.store.refreshChannels();
      this.ref.close();
      await this.router.navigate(['/w', this.data.workspaceId, 'c', channel.id]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The conversation could not be opened.');
    } finally {
      this.busy.set(false);
    }
  }
}
