import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';

import { toApiError } from '../core/http/api-error';
import { ChatApi } from './chat-api';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { PENDING_INVITE_KEY } from './invite-accept';

/**
 * Where a signed-in person lands: back into the workspace they used last (or their first),
 * into a pending invite, or — with no workspace yet — a form to create one.
 */
@Component({
  selector: 'app-start',
  imports: [FormsModule],
  template: `
    @if (empty()) {
      <section class="mx-auto max-w-md py-10" aria-labelledby="start-title">
        <h1 id="start-title" class="mb-2 text-2xl font-bold">Create your first workspace</h1>
        <p class="mb-6 text-sm text-muted">A workspace is where your team talks: channels, direct messages and everyone's presence. You can invite people next.</p>
        <form (ngSubmit)="create()" class="card space-y-4 p-6">
          <div>
            <label for="new-workspace-name" class="field-label">Workspace name</label>
            <input id="new-workspace-name" name="name" class="field-input" [(ngModel)]="name" required maxlength="80" placeholder="e.g. Acme" autocomplete="organization" />
          </div>
          @if (error(); as message) {
            <p role="alert" class="text-sm text-danger">{{ message }}</p>
          }
          <button type="submit" class="btn btn-primary w-full" [disabled]="busy() || !name.trim()">Create workspace</button>
        </form>
        <p class="mt-4 text-sm text-muted">Invited to an existing workspace? Open the link from your invite email.</p>
      </section>
    } @else {
      <p class="p-8 text-sm text-muted" role="status">Opening your workspace…</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Start {
  private readonly store = inject(ChannelsStore);
  private readonly api = inject(ChatApi);
  private readonly router = inject(Router);
  protected readonly empty = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected name = '';

  constructor() {
    void this.route();
  }

  private async route(): Promise<void> {
    const invite = sessionStorage.getItem(PENDING_INVITE_KEY);
    if (invite) {
      await this.router.navigate(['/invite', invite]);
      return;
    }
    const workspaces = await this.store.loadWorkspaces().catch(() => []);
    const remembered = ChatStore.rememberedWorkspace();
    const target = workspaces.find((w) => w.id === remembered) ?? workspaces[0];
    if (target) await this.router.navigate(['/w', target.id], { replaceUrl: true });
    else this.empty.set(true);
  }

  protected async create(): Promise<void> {
    this.busy.set(true);
    try {
      const workspace = await this.api.createWorkspace({ name: this.name.trim() });
      await this.store.loadWorkspaces();
      await this.router.navigate(['/w', workspace.id]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The workspace could not be created.');
    } finally {
      this.busy.set(false);
    }
  }
}
