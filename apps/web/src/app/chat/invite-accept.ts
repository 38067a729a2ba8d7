import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { Router } from '@angular/router';
import type { InvitePreviewDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { toApiError } from '../core/http/api-error';
import { ChatApi } from './chat-api';
import { ChatStore } from './chat-store';

/** Remembers an invite link opened while signed out, to come back to it after sign-in. */
export const PENDING_INVITE_KEY = 'parley.pendingInvite';

const MESSAGES: Record<string, string> = {
  INVITE_EMAIL_MISMATCH: 'This invite was sent to another email address. Sign in with that address to accept it.',
  INVITE_EXPIRED: 'This invite has expired. Ask for a new one.',
  INVITE_USED: 'This invite was used already. Ask for a new one if you need to join again.',
  NOT_FOUND: 'This invite is no longer valid: it was revoked, or never existed.',
  MEMBER_DEACTIVATED: 'Your membership of this workspace is deactivated.',
};

@Component({
  selector: 'app-invite-accept',
  template: `
    <section class="mx-auto max-w-md py-10" aria-labelledby="invite-heading">
      <div class="card space-y-4 p-6">
        @if (preview(); as invite) {
          <h1 id="invite-heading" class="text-xl font-bold">Join {{ invite.workspaceName }}</h1>
          <p class="text-sm text-muted">{{ invite.invitedByName }} invited {{ invite.email }} to {{ invite.workspaceName }} on Parley.</p>
          <button type="button" class="btn btn-primary w-full" [disabled]="busy()" (click)="accept()">Accept invite</button>
        } @else if (!error()) {
          <h1 id="invite-heading" class="text-xl font-bold">Opening your invite…</h1>
        } @else {
          <h1 id="invite-heading" class="text-xl font-bold">Invite</h1>
        }
        @if (error(); as message) {
          <p role="alert" class="text-sm text-danger">{{ message }}</p>
        }
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteAccept {
  private readonly api = inject(ChatApi);
  private readonly store = inject(ChatStore);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  readonly token = input.required<string>();
  protected readonly preview = signal<InvitePreviewDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      const token = this.token();
      untracked(() => void this.load(token));
    });
  }

  private async load(token: string): Promise<void> {
    if (!this.auth.isSignedIn()) {
      sessionStorage.setItem(PENDING_INVITE_KEY, token);
      await this.router.navigate(['/sign-in']);
      return;
    }
    sessionStorage.removeItem(PENDING_INVITE_KEY);
    try {
      this.preview.set(await this.api.previewInvite(token));
    } catch (error) {
      const code = toApiError(error).code ?? 'NOT_FOUND';
      this.error.set(MESSAGES[code] ?? 'This invite cannot be used.');
    }
  }

  protected async accept(): Promise<void> {
    this.busy.set(true);
    try {
      const workspace = await this.api.acceptInvite(this.token());
      await this.store.loadWorkspaces();
      await this.router.navigate(['/w', workspace.id]);
    } catch (error) {
      const code = toApiError(error).code ?? 'NOT_FOUND';
      this.error.set(MESSAGES[code] ?? 'This invite cannot be used.');
    } finally {
      this.busy.set(false);
    }
  }
}
