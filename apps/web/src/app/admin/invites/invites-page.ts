import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { CreatedInviteDto, InviteDto, MemberDto, RoleDto } from '@parley/contracts';
import { forkJoin, map, of, catchError, tap } from 'rxjs';

import { toApiError } from '@web/core/http/api-error';
import { loadResource } from '@web/core/http/load-resource';
import { LoadError } from '@web/ui/load-error';
import { Spinner } from '@web/ui/spinner';
import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { covers } from '../admin-permissions';
import { formatDate, formatRelative } from '../ui/format';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Invites: send one (and get its link to share), list and revoke pending ones. */
@Component({
  selector: 'app-admin-invites-page',
  imports: [LoadError, Spinner],
  templateUrl: './invites-page.html',
  styleUrl: '../ui/responsive-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class InvitesPage {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  private readonly clipboard = inject(Clipboard);
  private readonly destroyRef = inject(DestroyRef);
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('emailInput');
  private readonly linkInput = viewChild<ElementRef<HTMLInputElement>>('linkInput');

  protected readonly roles = signal<RoleDto[]>([]);
  private readonly members = signal<MemberDto[]>([]);

  protected readonly email = signal('');
  protected readonly roleId = signal('');
  protected readonly emailError = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly sending = signal(false);
  protected readonly created = signal<CreatedInviteDto | null>(null);
  protected readonly copied = signal(false);

  protected readonly revoking = signal<string | null>(null);
  protected readonly rowError = signal<{ inviteId: string; message: string } | null>(null);
  protected readonly status = signal('');

  protected readonly formatDate = formatDate;
  protected readonly formatRelative = formatRelative;

  private readonly names = computed(() => new Map(this.members().map((m) => [m.userId, m.displayName])));

  private readonly page = loadResource(
    () => {
      const id = this.context.workspaceId();
      return forkJoin({
        invites: this.api.invites(id),
        roles: this.api.roles(id),
        // Only for "invited by" names: the page works without them.
        members: this.api.members(id).pipe(catchError(() => of([] as MemberDto[]))),
      }).pipe(
        tap(({ roles, members }) => {
          this.roles.set(roles);
          this.members.set(members);
          if (!this.roleId()) this.roleId.set(roles.find((r) => r.builtIn === 'member')?.id ?? roles[0]?.id ?? '');
        }),
        map(({ invites }) => invites),
      );
    },
    (error) => describeAdminError(error, 'load the invites'),
  );
  protected readonly invites = this.page.value;
  protected readonly loadError = this.page.error;

  protected load(): void {
    this.page.reload();
  }

  protected grantable(role: RoleDto): boolean {
    return covers(this.context.permissions(), role.permissions);
  }

  protected invitedBy(invite: InviteDto): string {
    return this.names().get(invite.invitedBy) ?? 'A former member';
  }

  protected onEmail(event: Event): void {
    this.email.set((event.target as HTMLInputElement).value);
    this.emailError.set(null);
  }

  protected onRole(event: Event): void {
    this.roleId.set((event.target as HTMLSelectElement).value);
  }

  protected send(event: Event): void {
    event.preventDefault();
    if (this.sending()) return;
    const email = this.email().trim();
    if (!EMAIL.test(email)) {
      this.emailError.set(email ? 'Enter a valid email address, like name@company.com.' : 'Enter the email address to invite.');
      this.emailInput().nativeElement.focus();
      return;
    }
    this.formError.set(null);
    this.created.set(null);
    this.copied.set(false);
    this.sending.set(true);
    this.api
      .createInvite(this.context.workspaceId(), { email, ...(this.roleId() ? { roleId: this.roleId() } : {}) })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (invite) => {
          this.sending.set(false);
          this.created.set(invite);
          this.email.set('');
          // A new invite replaces any pending one for the same address.
          this.invites.update((list) => [
            invite,
            ...(list ?? []).filter((i) => i.email.toLowerCase() !== invite.email.toLowerCase()),
          ]);
          queueMicrotask(() => this.linkInput()?.nativeElement.focus());
        },
        error: (error: unknown) => {
          this.sending.set(false);
          const message = describeAdminError(error, `invite ${email}`);
          const apiError = toApiError(error);
          if (apiError.fields.some((f) => f.field === 'email')) this.emailError.set(message);
          else this.formError.set(message);
        },
      });
  }

  protected copyLink(): void {
    const invite = this.created();
    if (!invite) return;
    const ok = this.clipboard.copy(invite.acceptUrl);
    if (ok) {
      this.copied.set(true);
    } else {
      // No clipboard (permissions, old browser): select the link so it can be copied by hand.
      this.linkInput()?.nativeElement.select();
    }
  }

  protected selectAll(event: Event): void {
    (event.target as HTMLInputElement).select();
  }

  protected revoke(invite: InviteDto): void {
    if (this.revoking()) return;
    this.rowError.set(null);
    this.status.set('');
    this.revoking.set(invite.id);
    this.api
      .revokeInvite(this.context.workspaceId(), invite.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.revoking.set(null);
          this.invites.update((list) => list?.filter((i) => i.id !== invite.id) ?? null);
          if (this.created()?.id === invite.id) this.created.set(null);
          this.status.set(`The invite for ${invite.email} was revoked.`);
          queueMicrotask(() => this.emailInput().nativeElement.focus());
        },
        error: (error: unknown) => {
          this.revoking.set(null);
          this.rowError.set({ inviteId: invite.id, message: describeAdminError(error, `revoke the invite for ${invite.email}`) });
        },
      });
  }

  protected errorFor(invite: InviteDto): string | null {
    const error = this.rowError();
    return error?.inviteId === invite.id ? error.message : null;
  }
}
