import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { AuthResponse, AuthTokens, UserDto } from '@parley/contracts';

/** localStorage key holding the session, so a reload (or another tab) keeps it. */
export const AUTH_STORAGE_KEY = 'parley.auth';

/** The signed-in session as kept in memory and in localStorage. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  user: UserDto | null;
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['accessToken'] === 'string' &&
    typeof v['refreshToken'] === 'string' &&
    typeof v['expiresAt'] === 'number' &&
    (v['user'] === null || typeof v['user'] === 'object')
  );
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings): the session then lives in memory only
  }
}

function read(): StoredSession | null {
  try {
    const raw = storage()?.getItem(AUTH_STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isStoredSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function write(session: StoredSession | null): void {
  try {
    if (session) storage()?.setItem(AUTH_STORAGE_KEY, JSON.stringify(session));
    else storage()?.removeItem(AUTH_STORAGE_KEY);
  } catch {
    // quota or privacy errors: keep the in-memory session
  }
}

/**
 * Who is signed in, and their tokens. Plain state with persistence: no HTTP here
 * (see AuthSession for refresh and sign-out, AuthApi for the calls).
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly session = signal<StoredSession | null>(read());

  readonly user = computed(() => this.session()?.user ?? null);
  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  readonly refreshToken = computed(() => this.session()?.refreshToken ?? null);
  /** Epoch milliseconds at which the access token expires, or null when signed out. */
  readonly expiresAt = computed(() => this.session()?.expiresAt ?? null);
  readonly isSignedIn = computed(() => this.session() !== null);

  constructor() {
    // Another tab signed in, refreshed or signed out: follow it.
    const onStorage = (event: StorageEvent) => {
      if (event.key === AUTH_STORAGE_KEY || event.key === null) this.reload();
    };
    globalThis.addEventListener?.('storage', onStorage);
    inject(DestroyRef).onDestroy(() => globalThis.removeEventListener?.('storage', onStorage));
  }

  /** Starts a session from a successful `POST /api/auth/verify`. */
  signIn(response: AuthResponse): void {
    this.set({ ...toStoredTokens(response), user: response.user });
  }

  /** Replaces the tokens after a refresh, keeping the user. */
  updateTokens(tokens: AuthTokens, user?: UserDto): void {
    const current = this.session();
    this.set({ ...toStoredTokens(tokens), user: user ?? current?.user ?? null });
  }

  setUser(user: UserDto): void {
    const current = this.session();
    if (current) this.set({ ...current, user });
  }

  /** Forgets the session locally (the server side is AuthSession's business). */
  clear(): void {
    this.set(null);
  }

  /** Re-reads localStorage, which another tab may have changed. */
  reload(): void {
    if (!storage()) return; // nothing shared to follow: the in-memory session is the truth
    this.session.set(read());
  }

  private set(session: StoredSession | null): void {
    this.session.set(session);
    write(session);
  }
}

function toStoredTokens(tokens: AuthTokens): Omit<StoredSession, 'user'> {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
  };
}
