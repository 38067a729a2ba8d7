import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, effect, inject, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, defer, finalize, firstValueFrom, shareReplay, timeout } from 'rxjs';

import { UsersApi } from '../users/users-api';
import { AuthApi } from './auth-api';
import { AuthStore } from './auth-store';

/** Refresh at most this long before the access token expires ... */
const MAX_REFRESH_LEAD_MS = 60_000;
/** ... and never earlier than this share of the remaining lifetime (short-lived tokens). */
const REFRESH_LEAD_SHARE = 0.2;
/** After a silent refresh failed for a transient reason (offline, 5xx), try again this much later. */
const SILENT_RETRY_MS = 30_000;
/** Sign-out tells the server, but never waits longer than this. */
const LOGOUT_TIMEOUT_MS = 5_000;

/**
 * Web Locks name serialising refreshes across tabs: every tab shares the one refresh cookie, which
 * rotates on each refresh, and two tabs sending the same one at once would look like reuse and
 * end the session. One at a time, each sends the cookie the previous one left.
 */
const REFRESH_LOCK = 'parley.auth.refresh';

/** Thrown by refresh() when there is no session left to refresh. */
export class NoSessionError extends Error {
  constructor() {
    super('Not signed in');
    this.name = 'NoSessionError';
  }
}

/** The server looked at the refresh token and refused it (as opposed to being unreachable). */
function isRefusal(error: unknown): boolean {
  return error instanceof HttpErrorResponse && [400, 401, 403].includes(error.status);
}

/**
 * The session's lifecycle: restore after a reload (from the refresh cookie), refresh (one at a
 * time, shared by every caller, and ahead of expiry), and sign-out. State lives in AuthStore.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly store = inject(AuthStore);
  private readonly api = inject(AuthApi);
  private readonly users = inject(UsersApi);
  private readonly router = inject(Router);

  private inflight: Observable<string> | null = null;
  private restoring: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    // Another tab signed in: this one follows, with its own access token from the shared cookie.
    effect(() => {
      const hinted = this.store.hasSessionHint();
      if (hinted && untracked(() => !this.store.isSignedIn())) untracked(() => void this.restore());
    });

    // Silent refresh: re-arm whenever the tokens change (sign-in, refresh, restore, other tab).
    effect(() => {
      const expiresAt = this.store.expiresAt();
      untracked(() => this.scheduleRefresh(expiresAt));
    });

    // Signed out elsewhere (another tab, or a refused refresh): leave the signed-in pages.
    let wasSignedIn = untracked(() => this.store.isSignedIn());
    effect(() => {
      const signedIn = this.store.isSignedIn();
      if (wasSignedIn && !signedIn) untracked(() => void this.router.navigateByUrl('/sign-in'));
      wasSignedIn = signedIn;
    });

    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  /**
   * Exchanges the refresh token for new tokens and emits the new access token. Concurrent
   * callers share one request. If the server refuses the refresh token the session is
   * over: it is cleared locally and the app goes to /sign-in.
   */
  refresh(): Observable<string> {
    this.inflight ??= defer(() => this.refreshAcrossTabs()).pipe(
      finalize(() => (this.inflight = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.inflight;
  }

  /**
   * Brings the session back after a reload: the access token was in memory only, the refresh
   * cookie is still there. Tried only when this browser signed in (the hint), so a signed-out
   * visit makes no request. If the server refuses the cookie the hint goes too.
   */
  restore(): Promise<void> {
    if (this.store.isSignedIn() || !this.store.hasSessionHint()) return Promise.resolve();
    this.restoring ??= this.restoreNow().finally(() => (this.restoring = null));
    return this.restoring;
  }

  /** Tells the server (best effort), then forgets the session and goes to /sign-in. */
  async signOut(): Promise<void> {
    if (this.store.accessToken()) {
      try {
        await firstValueFrom(this.api.logout().pipe(timeout(LOGOUT_TIMEOUT_MS)));
      } catch {
        // Offline or already revoked: signing out locally is what the person asked for.
      }
    }
    this.signOutLocally();
  }

  /** Forgets the session without telling the server, and goes to /sign-in. */
  signOutLocally(): void {
    this.store.clear();
    void this.router.navigateByUrl('/sign-in');
  }

  private async restoreNow(): Promise<void> {
    try {
      this.store.updateTokens(await this.rotateCookie());
      this.store.setUser(await firstValueFrom(this.users.me()));
    } catch (error) {
      // Refused: that session is over. Unreachable: signed out for this load; the hint stays for the next.
      if (isRefusal(error)) this.store.clear();
      else this.store.forgetHere();
    }
  }

  private async refreshAcrossTabs(): Promise<string> {
    if (!this.store.isSignedIn()) throw new NoSessionError();
    try {
      const response = await this.rotateCookie();
      this.store.updateTokens(response);
      return response.accessToken;
    } catch (error) {
      if (isRefusal(error)) this.signOutLocally();
      throw error;
    }
  }

  /** One refresh of the shared cookie, never two at once across tabs. */
  private async rotateCookie() {
    const locks = globalThis.navigator?.locks;
    if (!locks) return firstValueFrom(this.api.refresh());
    return await locks.request(REFRESH_LOCK, () => firstValueFrom(this.api.refresh()));
  }

  private scheduleRefresh(expiresAt: number | null): void {
    clearTimeout(this.timer);
    if (expiresAt === null) return;
    const remaining = expiresAt - Date.now();
    const lead = Math.min(MAX_REFRESH_LEAD_MS, remaining * REFRESH_LEAD_SHARE);
    this.armTimer(Math.max(0, remaining - lead));
  }

  private armTimer(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().subscribe({
        error: (error: unknown) => {
          // A refusal has signed us out already; anything else is worth another go.
          if (!isRefusal(error) && this.store.isSignedIn()) this.armTimer(SILENT_RETRY_MS);
        },
      });
    }, delay);
  }
}
