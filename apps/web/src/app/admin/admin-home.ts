import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/** Shown only when the caller's admin permissions map to no section of the console. */
@Component({
  selector: 'app-admin-home',
  imports: [RouterLink],
  template: `
    <section class="card flex flex-col items-center px-6 py-12 text-center" aria-labelledby="admin-empty-title">
      <h2 id="admin-empty-title" class="text-base font-semibold text-ink">Nothing to manage here yet</h2>
      <p class="mt-1.5 max-w-md text-sm text-muted">
        Your role does not include managing members, roles, invites, the audit log or the settings of this workspace.
      </p>
      <a routerLink="/" class="link mt-6 text-sm">Back to chat</a>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class AdminHome {}
