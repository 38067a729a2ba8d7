import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, effect, inject, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, defer, finalize, firstValueFrom, shareReplay, timeout } from 'rxjs';

import { AuthApi } from './auth-api';
import { AuthStore } from './auth-store';

/** Refresh at most this long before the access token expires ... */
const MAX_REFRESH_LEAD_MS = 60_000;
/** ... and never earlier than this share of the remaining lifetime (short-lived tokens). */
const REFRESH_LEAD_SHARE = 0.2;
/** After a silent refresh failed for a transient reason (offline, 5xx), try again this much later. */
const SILENT_RETRY_MS = 30_000;
/** A token another tab has just obtained is used as is if it is valid at least this long. */
const MIN_BORROWED_VALIDITY_MS = 10_000;
/** Sign-out tells the server, but never waits longer than this. */
const LOGOUT_TIMEOUT_MS = 5_000;

/** Web Locks name serialising refreshes across tabs (refresh tokens rotate; reuse revokes). */
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
 * The session's lifecycle: refresh (one at a time, shared by every caller, and ahead of
 * expiry), and sign-out. State itself lives in AuthStore.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly store = inject(AuthStore);
  private readonly api = inject(AuthApi);
  private readonly router = inject(Router);

  private inflight: Observable<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
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

  private async refreshAcrossTabs(): Promise<string> {
    const startedWith = this.store.refreshToken();
    const locks = globalThis.navigator?.locks;
    if (!locks) return this.refreshNow(startedWith);
    return await locks.request(REFRESH_LOCK, () => this.refreshNow(startedWith));
  }

  private async refreshNow(startedWith: string | null): Promise<string> {
    // While we waited for the lock another tab may have rotated the tokens already;
    // sending the old refresh token again would look like reuse and end the session.
    this.store.reload();
    const refreshToken = this.store.refreshToken();
    const accessToken = this.store.accessToken();
    const expiresAt = this.store.expiresAt() ?? 0;
    if (!refreshToken) throw new NoSessionError();
    if (refreshToken !== startedWith && accessToken && expiresAt - Date.now() > MIN_BORROWED_VALIDITY_MS) {
      return accessToken;
    }
    try {
      const response = await firstValueFrom(this.api.refresh(refreshToken));
      this.store.updateTokens(response, response.user);
      return response.accessToken;
    } catch (error) {
      if (isRefusal(error)) this.signOutLocally();
      throw error;
    }
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
