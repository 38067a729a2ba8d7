import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { SessionDto } from '@parley/contracts';
import { map } from 'rxjs';

import { AuthApi } from '@web/core/auth/auth-api';
import { AuthSession } from '@web/core/auth/auth-session';
import { isNetworkError, toApiError } from '@web/core/http/api-error';
import { loadResource } from '@web/core/http/load-resource';
import { LoadError } from '@web/ui/load-error';
import { Spinner } from '@web/ui/spinner';
import { describeUserAgent, relativeTime, sessionActivity } from './describe-session';

function describeError(error: unknown, doing: string): string {
  const apiError = toApiError(error);
  if (isNetworkError(apiError)) return 'Cannot reach Parley. Check your connection.';
  return `Could not ${doing}. ${apiError.message ?? 'Try again in a moment.'}`;
}

/** Where this account is signed in; any other session can be revoked. */
@Component({
  selector: 'app-sessions',
  imports: [LoadError, Spinner],
  templateUrl: './sessions.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class Sessions {
  private readonly api = inject(AuthApi);
  private readonly session = inject(AuthSession);
  private readonly destroyRef = inject(DestroyRef);

  private readonly page = loadResource(
    () =>
      this.api
        .sessions()
        .pipe(map((sessions) => [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt)))),
    (error) => describeError(error, 'load your sessions'),
  );
  protected readonly sessions = this.page.value;
  protected readonly loadError = this.page.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly revoking = signal<ReadonlySet<string>>(new Set());

  protected readonly describeUserAgent = describeUserAgent;
  protected readonly relativeTime = relativeTime;
  protected readonly sessionActivity = sessionActivity;

  protected load(): void {
    this.page.reload();
  }

  protected revoke(target: SessionDto): void {
    if (this.revoking().has(target.id)) return;
    if (target.current) {
      void this.session.signOut();
      return;
    }
    this.actionError.set(null);
    this.revoking.update((ids) => new Set(ids).add(target.id));
    this.api
      .revokeSession(target.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.sessions.update((list) => list?.filter((s) => s.id !== target.id) ?? null);
          this.doneRevoking(target.id);
        },
        error: (error: unknown) => {
          this.actionError.set(describeError(error, 'sign out that session'));
          this.doneRevoking(target.id);
        },
      });
  }

  private doneRevoking(id: string): void {
    this.revoking.update((ids) => {
      const next = new Set(ids);
      next.delete(id);
      return next;
    });
  }
}
