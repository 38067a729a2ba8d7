import { DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';

import { toApiError } from '@web/core/http/api-error';
import { ChannelsStore } from '../channels-store';
import { ChatApi } from '../chat-api';
import { DialogFrame } from './dialog-frame';

@Component({
  selector: 'app-create-workspace-dialog',
  imports: [FormsModule, DialogFrame],
  template: `
    <app-dialog-frame title="Create a workspace" titleId="create-workspace-title">
      <form (ngSubmit)="create()" class="space-y-4">
        <div>
          <label for="workspace-name" class="field-label">Workspace name</label>
          <input id="workspace-name" name="name" class="field-input" [(ngModel)]="name" required maxlength="80" cdkFocusInitial autocomplete="off" />
        </div>
        @if (error(); as message) {
          <p role="alert" class="text-sm text-danger">{{ message }}</p>
        }
        <div class="flex justify-end gap-2">
          <button type="button" class="btn btn-secondary" (click)="ref.close()">Cancel</button>
          <button type="submit" class="btn btn-primary" [disabled]="busy() || !name.trim()">Create workspace</button>
        </div>
      </form>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateWorkspaceDialog {
  protected readonly ref = inject(DialogRef);
  private readonly api = inject(ChatApi);
  private readonly store = inject(ChannelsStore);
  private readonly router = inject(Router);
  protected name = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async create(): Promise<void> {
    this.busy.set(true);
    try {
      const workspace = await this.api.createWorkspace({ name: this.name.trim() });
      await this.store.loadWorkspaces();
      this.ref.close();
      await this.router.navigate(['/w', workspace.id]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The workspace could not be created.');
    } finally {
      this.busy.set(false);
    }
  }
}
