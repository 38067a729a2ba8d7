import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router } from '@angular/router';
import type { InvitePreviewDto } from '@parley/contracts';

import { AuthSession } from '../core/auth/auth-session';
import { AuthStore } from '../core/auth/auth-store';
import { toApiError } from '../core/http/api-error';
import { ChatApi } from './chat-api';
import { ChannelsStore } from './channels-store';

/** Remembers an invite link opened while signed out, to come back to it after sign-in. */
export const PENDING_INVITE_KEY = 'parley.pendingInvite';

const MESSAGES: Record<string, string> = {
  INVITE_EMAIL_MISMATCH: 'This invite was sent to another email address. Sign in with that address to accept it.',
  INVITE_EXPIRED: 'This invite has expired. Ask for a new one.',
  INVITE_USED: 'This invite was used already. Ask for a new one if you need to join again.',
  NOT_FOUND: 'This invite is no longer valid: it was revoked, or never existed.',
  MEMBER_DEACTIVATED: 'Your membership of this workspace is deactivated.',
};

/**
 * The page an invite email links to. It says who invited which email to which workspace, to
 * anyone holding the link: signed out, "Continue with email" goes to sign-in with that email
 * filled in and comes back here (the code creates the account if there is none); signed in as
 * that email, "Accept invite" joins.
 */
@Component({
  selector: 'app-invite-accept',
  template: `
    <section class="mx-auto max-w-md px-4 py-10" aria-labelledby="invite-heading">
      <div class="card space-y-4 p-6">
        @if (preview(); as invite) {
          <h1 id="invite-heading" class="text-xl font-bold">Join {{ invite.workspaceName }}</h1>
          <p class="text-sm text-muted">
            <strong class="font-medium text-ink">{{ invite.invitedByName }}</strong> invited
            <strong class="font-medium break-words text-ink">{{ invite.email }}</strong> to
            <strong class="font-medium text-ink">{{ invite.workspaceName }}</strong> on Parley.
          </p>
          @if (!signedIn()) {
            <p class="text-sm text-muted">Continue with that email: we'll send you a code, and if you are new to Parley it creates your account.</p>
            <button type="button" class="btn btn-primary w-full" (click)="continueWithEmail(invite.email)">Continue with email</button>
          } @else if (otherPerson()) {
            <p role="alert" class="text-sm text-danger">
              You are signed in as {{ myEmail() }}. Sign out, then continue as {{ invite.email }} to accept it.
            </p>
            <button type="button" class="btn btn-secondary w-full" (click)="signOutAndContinue()">Sign out</button>
          } @else {
            <button type="button" class="btn btn-primary w-full" [disabled]="busy()" (click)="accept()">Accept invite</button>
          }
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
  private readonly store = inject(ChannelsStore);
  private readonly auth = inject(AuthStore);
  private readonly session = inject(AuthSession);
  private readonly router = inject(Router);
  readonly token = input.required<string>();
  protected readonly preview = signal<InvitePreviewDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly signedIn = this.auth.isSignedIn;
  protected readonly myEmail = computed(() => this.auth.user()?.email ?? null);
  /** Signed in, but not as the person the invite is for. */
  protected readonly otherPerson = computed(() => {
    const invite = this.preview();
    const mine = this.myEmail();
    return invite !== null && mine !== null && mine.toLowerCase() !== invite.email.toLowerCase();
  });

  constructor() {
    effect(() => {
      const token = this.token();
      untracked(() => void this.load(token));
    });
  }

  private async load(token: string): Promise<void> {
    if (this.auth.isSignedIn()) sessionStorage.removeItem(PENDING_INVITE_KEY);
    // Kept while signed out, so that wherever sign-in lands, the app comes back here.
    else sessionStorage.setItem(PENDING_INVITE_KEY, token);
    try {
      this.preview.set(await this.api.previewInvite(token));
    } catch (error) {
      const code = toApiError(error).code ?? 'NOT_FOUND';
      this.error.set(MESSAGES[code] ?? 'This invite cannot be used.');
    }
  }

  protected continueWithEmail(email: string): void {
    void this.router.navigate(['/sign-in'], { queryParams: { email, returnUrl: `/invite/${this.token()}` } });
  }

  protected async signOutAndContinue(): Promise<void> {
    const invite = this.preview();
    await this.session.signOut();
    if (!invite) return;
    sessionStorage.setItem(PENDING_INVITE_KEY, this.token());
    this.continueWithEmail(invite.email);
  }

  protected async accept(): Promise<void> {
    this.busy.set(true);
    try {
      const workspace = await this.api.acceptInvite(this.token());
      sessionStorage.removeItem(PENDING_INVITE_KEY);
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
