import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { toApiError } from '@web/core/http/api-error';
import { ChatApi } from '../chat-api';
import { DialogFrame } from './dialog-frame';

@Component({
  selector: 'app-invite-dialog',
  imports: [FormsModule, DialogFrame],
  template: `
    <app-dialog-frame title="Invite people" titleId="invite-title">
      <form (ngSubmit)="send()" class="space-y-4">
        <div>
          <label for="invite-email" class="field-label">Email address</label>
          <input id="invite-email" name="email" type="email" class="field-input" [(ngModel)]="email" required autocomplete="off" />
        </div>
        @if (link(); as url) {
          <div class="rounded-lg border border-line bg-surface-muted p-3 text-sm" role="status">
            <p class="mb-1 font-medium">Invite sent to {{ sentTo() }}.</p>
            <p class="text-muted">They can also use this link:</p>
            <input class="field-input mt-1 font-mono text-xs" [value]="url" readonly aria-label="Invite link" />
          </div>
        }
        @if (error(); as message) {
          <p role="alert" class="text-sm text-danger">{{ message }}</p>
        }
        <div class="flex justify-end gap-2">
          <button type="button" class="btn btn-secondary" (click)="ref.close()">Done</button>
          <button type="submit" class="btn btn-primary" [disabled]="busy() || !email.trim()">Send invite</button>
        </div>
      </form>
    </app-dialog-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteDialog {
  protected readonly ref = inject(DialogRef);
  private readonly data = inject<{ workspaceId: string }>(DIALOG_DATA);
  private readonly api = inject(ChatApi);
  protected email = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly link = signal<string | null>(null);
  protected readonly sentTo = signal('');

  protected async send(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const invite = await this.api.invite(this.data.workspaceId, this.email.trim());
      this.link.set(invite.acceptUrl);
      this.sentTo.set(invite.email);
      this.email = '';
    } catch (error) {
      this.error.set(toApiError(error).message ?? 'The invite could not be sent.');
    } finally {
      this.busy.set(false);
    }
  }
}
