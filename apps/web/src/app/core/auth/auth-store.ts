import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { CookieAuthResponse, CookieAuthTokens, UserDto } from '@parley/contracts';

/**
 * localStorage key of a hint that this browser has a session: no credential, only whether a
 * reload (or another tab) should try to restore it. The refresh token itself is an HttpOnly
 * cookie no script can read, and the access token lives in memory only, so a script injected
 * into the page can never carry a credential away.
 */
export const SESSION_HINT_KEY = 'parley.signedIn';
/** Where earlier versions kept the whole session, refresh token included: removed on sight. */
const LEGACY_SESSION_KEY = 'parley.auth';

/** The signed-in session as kept in memory. */
export interface MemorySession {
  accessToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  user: UserDto | null;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings): no hint, a reload signs in again
  }
}

function readHint(): boolean {
  try {
    return storage()?.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return false;
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) storage()?.setItem(SESSION_HINT_KEY, '1');
    else storage()?.removeItem(SESSION_HINT_KEY);
  } catch {
    // quota or privacy errors: the in-memory session still works
  }
}

/**
 * Who is signed in, and their access token, in memory. Plain state: no HTTP here (see
 * AuthSession for restore, refresh and sign-out, AuthApi for the calls).
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly session = signal<MemorySession | null>(null);
  private readonly hint = signal(readHint());

  readonly user = computed(() => this.session()?.user ?? null);
  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  /** Epoch milliseconds at which the access token expires, or null when signed out. */
  readonly expiresAt = computed(() => this.session()?.expiresAt ?? null);
  readonly isSignedIn = computed(() => this.session() !== null);
  /** Whether this browser is believed to have a session to restore (a tab signed in). */
  readonly hasSessionHint = this.hint.asReadonly();

  constructor() {
    try {
      storage()?.removeItem(LEGACY_SESSION_KEY);
    } catch {
      // nothing to clean up then
    }
    // Another tab signed in or out: follow it (signing in here is AuthSession's business).
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SESSION_HINT_KEY && event.key !== null) return;
      const hinted = readHint();
      this.hint.set(hinted);
      if (!hinted) this.session.set(null);
    };
    globalThis.addEventListener?.('storage', onStorage);
    inject(DestroyRef).onDestroy(() => globalThis.removeEventListener?.('storage', onStorage));
  }

  /** Starts a session from a successful verify (or a restore). */
  signIn(response: CookieAuthResponse): void {
    this.session.set({ ...toMemoryTokens(response), user: response.user });
    this.setHint(true);
  }

  /** Replaces the access token after a refresh, keeping the user. */
  updateTokens(tokens: CookieAuthTokens, user?: UserDto): void {
    const current = this.session();
    this.session.set({ ...toMemoryTokens(tokens), user: user ?? current?.user ?? null });
  }

  setUser(user: UserDto): void {
    const current = this.session();
    if (current) this.session.set({ ...current, user });
  }

  /** Forgets the session here and tells the other tabs (the server side is AuthSession's business). */
  clear(): void {
    this.session.set(null);
    this.setHint(false);
  }

  /** Forgets the in-memory session only: this load could not restore it, the next may. */
  forgetHere(): void {
    this.session.set(null);
  }

  private setHint(signedIn: boolean): void {
    this.hint.set(signedIn);
    writeHint(signedIn);
  }
}

function toMemoryTokens(tokens: CookieAuthTokens): Omit<MemorySession, 'user'> {
  return { accessToken: tokens.accessToken, expiresAt: Date.now() + tokens.expiresIn * 1000 };
}
