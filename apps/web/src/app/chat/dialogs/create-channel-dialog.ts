import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import type { ChannelVisibility } from '@parley/contracts';

import { toApiError } from '@web/core/http/api-error';
import { ChatApi } from '../chat-api';
import { ChannelsStore } from '../channels-store';
import { DialogFrame } from './dialog-frame';

@Component({
  selector: 'app-create-channel-dialog',
  imports: [FormsModule, DialogFrame],
  template: `
    <app-dialog-frame title="Create a channel" titleId="create-channel-title">
      <form (ngSubmit)="create()" class="space-y-4">
        <div>
          <label for="channel-name" class="field-label">Channel name</label>
          <input
            id="channel-name"
            name="name"
            class="field-input"
            [ngModel]="name()"
            (ngModelChange)="name.set(normalise($event))"
            required
            maxlength="80"
            placeholder="e.g. design-reviews"
            autocomplete="off"
            aria-describedby="channel-name-hint"
          />
          <p id="channel-name-hint" class="mt-1 text-xs text-faint">Lowercase, no spaces: letters, digits, - and _.</p>
        </div>
        <div>
          <label for="channel-topic" class="field-label">Topic <span class="font-normal text-faint">(optional)</span></label>
          <input id="channel-topic" name="topic" class="field-input" [(ngModel)]="topic" maxlength="250" autocomplete="off" />
        </div>
        <fieldset class="space-y-2">
          <legend class="field-label">Who can see it</legend>
          <label class="flex items-center gap-2 text-sm">
            <input type="radio" name="visibility" value="public" [(ngModel)]="visibility" /> Public: anyone in the workspace can find and join it
          </label>
          <label class="flex items-center gap-2 text-sm">
            <input type="radio" name="visibility" value="private" [(ngModel)]="visibility" /> Private: only people you add
          </label>
        </fieldset>
        @if (error(); as message) {
          <p role="alert" class="text-sm text-danger">{{ message }}</p>
        }
        <div class="flex justify-end gap-2">
          <button type="button" class="btn btn-secondary" (click)="ref.close()">Cancel</button>
          <button type="submit" class="btn btn-primary" [disabled]="busy() || !valid()">Create channel</button>
        </div>
      </form>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateChannelDialog {
  protected readonly ref = inject(DialogRef);
  private readonly data = inject<{ workspaceId: string }>(DIALOG_DATA);
  private readonly api = inject(ChatApi);
  private readonly store = inject(ChannelsStore);
  private readonly router = inject(Router);
  protected readonly name = signal('');
  protected topic = '';
  protected visibility: ChannelVisibility = 'public';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly valid = computed(() => /^[a-z0-9][a-z0-9_-]*$/.test(this.name()));

  protected normalise(value: string): string {
    return value.toLowerCase().replace(/\s+/g, '-');
  }

  protected async create(): Promise<void> {
    this.busy.set(true);
    try {
      const channel = await this.api.createChannel(this.data.workspaceId, { name: this.name(), visibility: this.visibility, topic: this.topic.trim() || undefined });
      await this.store.refreshChannels();
      this.ref.close();
      await this.router.navigate(['/w', this.data.workspaceId, 'c', channel.id]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The channel could not be created.');
    } finally {
      this.busy.set(false);
    }
  }
}
