import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ChannelDto } from '@parley/contracts';

import { toApiError } from '@web/core/http/api-error';
import { ChatApi } from '../chat-api';
import { ChannelsStore } from '../channels-store';
import { DialogFrame } from './dialog-frame';

@Component({
  selector: 'app-browse-channels-dialog',
  imports: [DialogFrame],
  template: `
    <app-dialog-frame title="Browse channels" titleId="browse-title">
      @if (store.browsableChannels().length === 0) {
        <p class="text-sm text-muted">You are in every public channel already.</p>
      }
      <ul class="max-h-80 space-y-1 overflow-y-auto">
        @for (channel of store.browsableChannels(); track channel.id) {
          <li class="flex items-center gap-3 rounded-lg border border-line p-3">
            <div class="min-w-0 flex-1">
              <p class="truncate font-medium"># {{ channel.name }}</p>
              <p class="truncate text-xs text-muted">{{ channel.memberCount }} member{{ channel.memberCount === 1 ? '' : 's' }}{{ channel.topic ? ' · ' + channel.topic : '' }}</p>
            </div>
            <button type="button" class="btn btn-secondary h-8 px-3" [disabled]="busy()" (click)="join(channel)" [attr.aria-label]="'Join ' + channel.name">Join</button>
          </li>
        }
      </ul>
      @if (error(); as message) {
        <p role="alert" class="mt-3 text-sm text-danger">{{ message }}</p>
      }
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BrowseChannelsDialog {
  protected readonly ref = inject(DialogRef);
  private readonly data = inject<{ workspaceId: string }>(DIALOG_DATA);
  private readonly api = inject(ChatApi);
  protected readonly store = inject(ChannelsStore);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async join(channel: ChannelDto): Promise<void> {
    this.busy.set(true);
    try {
      await this.api.joinChannel(channel.id);
      await this.store.refreshChannels();
      this.ref.close();
      await this.router.navigate(['/w', this.data.workspaceId, 'c', channel.id]);
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'Could not join the channel.');
    } finally {
      this.busy.set(false);
    }
  }
}
