import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { Avatar } from '../chat/avatar';
import { AuthSession } from '../core/auth/auth-session';
import { AuthStore } from '../core/auth/auth-store';
import { UsersApi } from '../core/users/users-api';
import { Logo } from '../ui/logo';
import { Spinner } from '../ui/spinner';

/** The signed-in frame: top bar (wordmark, who is signed in with their picture, sign out) and the page below. */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, Avatar, Logo, Spinner],
  templateUrl: './shell.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex min-h-dvh flex-col' },
})
export class Shell {
  private readonly store = inject(AuthStore);
  private readonly session = inject(AuthSession);

  protected readonly user = this.store.user;
  protected readonly displayName = computed(() => this.user()?.displayName ?? '');
  protected readonly signingOut = signal(false);

  constructor() {
    // The user from sign-in may be stale (renamed elsewhere): ask the server who we are.
    // Failures are harmless here; a dead session is handled by the auth interceptor.
    inject(UsersApi)
      .me()
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe({ next: (user) => this.store.setUser(user), error: () => undefined });
  }

  protected async signOut(): Promise<void> {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    await this.session.signOut();
  }
}
