import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map } from 'rxjs';

import type { AdminDeniedReason } from './admin-guards';

const COPY: Record<AdminDeniedReason, { title: string; body: string }> = {
  forbidden: {
    title: "You don't have access to the admin console",
    body: "Your role in this workspace doesn't include managing members, roles, invites or the audit log. Ask a workspace owner or admin if you need it.",
  },
  'not-found': {
    title: 'Workspace not found',
    body: "This workspace doesn't exist, or you aren't a member of it.",
  },
  error: {
    title: "Couldn't open the admin console",
    body: 'Parley could not be reached, or something went wrong loading this workspace. Check your connection and try again.',
  },
};

/** Where the admin guard sends people it does not let in, with the reason. */
@Component({
  selector: 'app-admin-denied',
  imports: [RouterLink],
  template: `
    <section class="card mx-auto flex max-w-xl flex-col items-center px-6 py-12 text-center" aria-labelledby="admin-denied-title">
      <div class="flex size-12 items-center justify-center rounded-xl bg-surface-muted text-muted" aria-hidden="true">
        <svg
          class="size-6"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linecap="round"
          stroke-linejoin="round"
        >
          <rect x="5" y="11" width="14" height="9" rx="2" />
          <path d="M8 11V8a4 4 0 0 1 8 0v3" />
        </svg>
      </div>
      <h1 id="admin-denied-title" class="mt-4 text-lg font-semibold text-ink">{{ copy().title }}</h1>
      <p class="mt-1.5 max-w-md text-sm text-muted">{{ copy().body }}</p>
      <div class="mt-6 flex flex-wrap justify-center gap-2">
        @if (reason() === 'error') {
          <a routerLink=".." class="btn btn-primary">Try again</a>
        }
        <a routerLink="/" class="btn btn-secondary">Back to chat</a>
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class AdminDenied {
  protected readonly reason = toSignal(
    inject(ActivatedRoute).queryParamMap.pipe(
      map((params): AdminDeniedReason => {
        const value = params.get('reason');
        return value === 'not-found' || value === 'error' ? value : 'forbidden';
      }),
    ),
    { initialValue: 'forbidden' as AdminDeniedReason },
  );
  protected readonly copy = computed(() => COPY[this.reason()]);
}
