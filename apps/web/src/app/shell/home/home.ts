import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';

/** The signed-in landing page. Channels arrive in a later issue; until then, an empty state. */
@Component({
  selector: 'app-home',
  imports: [RouterLink],
  template: `
    <h1 class="text-2xl font-semibold tracking-tight text-ink sm:text-3xl">Welcome, {{ name() }}</h1>
    <p class="mt-2 text-muted">You're signed in to Parley.</p>

    <section class="card mt-8 flex flex-col items-center px-6 py-12 text-center sm:py-16" aria-labelledby="empty-title">
      <div
        class="flex size-12 items-center justify-center rounded-xl bg-brand-50 text-brand-600 dark:bg-brand-500/15 dark:text-brand-300"
        aria-hidden="true"
      >
        <svg class="size-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
          <path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18" />
        </svg>
      </div>
      <h2 id="empty-title" class="mt-4 text-base font-semibold text-ink">No channels yet</h2>
      <p class="mt-1.5 max-w-md text-sm text-muted">
        Channels and direct messages are on their way. When they arrive, your team's conversations will show up here.
      </p>
      <a routerLink="/sessions" class="link mt-6 text-sm">Review where you're signed in</a>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class Home {
  private readonly store = inject(AuthStore);
  protected readonly name = computed(() => this.store.user()?.displayName || this.store.user()?.email || 'there');
}
