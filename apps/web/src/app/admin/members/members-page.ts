import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Permission, type MemberDto, type RoleDto } from '@parley/contracts';
import { type Observable, filter, forkJoin, map, of, switchMap, tap } from 'rxjs';

import { AuthStore } from '@web/core/auth/auth-store';
import { loadResource } from '@web/core/http/load-resource';
import { LoadError } from '@web/ui/load-error';
import { Spinner } from '@web/ui/spinner';
import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { covers } from '../admin-permissions';
import { confirmAction } from '../ui/confirm-dialog';

/** Members: change role, deactivate/reactivate, remove. */
@Component({
  selector: 'app-admin-members-page',
  imports: [LoadError, Spinner],
  templateUrl: './members-page.html',
  styleUrl: '../ui/responsive-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class MembersPage {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  private readonly dialog = inject(Dialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');

  private readonly auth = inject(AuthStore);

  protected readonly myId = computed(() => this.auth.user()?.id ?? null);
  protected readonly roles = signal<RoleDto[]>([]);
  private readonly page = loadResource(
    () => {
      const id = this.context.workspaceId();
      return forkJoin({ members: this.api.members(id), roles: this.api.roles(id) }).pipe(
        tap(({ roles }) => this.roles.set(roles)),
        map(({ members }) => members),
      );
    },
    (error) => describeAdminError(error, 'load the members'),
  );
  protected readonly members = this.page.value;
  protected readonly loadError = this.page.error;
  /** The latest failed action, shown under the member's row. */
  protected readonly rowError = signal<{ userId: string; message: string } | null>(null);
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly status = signal('');
  protected readonly query = signal('');

  protected readonly canManage = computed(() => this.context.can(Permission.MemberManage));
  protected readonly canRemove = computed(() => this.context.can(Permission.MemberRemove));
  private readonly rolesById = computed(() => new Map(this.roles().map((r) => [r.id, r])));

  protected readonly visible = computed(() => {
    const list = this.members() ?? [];
    const q = this.query().trim().toLowerCase();
    if (!q) return list;
    return list.filter((m) => m.displayName.toLowerCase().includes(q) || m.email.toLowerCase().includes(q));
  });
  protected readonly activeCount = computed(() => (this.members() ?? []).filter((m) => m.state === 'active').length);

  protected load(): void {
    this.page.reload();
  }

  protected onQuery(event: Event): void {
    this.query.set((event.target as HTMLInputElement).value);
  }

  /** Whether the caller's role covers this member's role (else the server refuses: ROLE_ABOVE_YOURS). */
  protected outranks(member: MemberDto): boolean {
    const role = this.rolesById().get(member.role.id);
    return role ? covers(this.context.permissions(), role.permissions) : true;
  }

  /** Roles the caller may hand out. */
  protected grantable(role: RoleDto): boolean {
    return covers(this.context.permissions(), role.permissions);
  }

  /** Whether the row offers any button (not for yourself, nor for someone above your role). */
  protected hasActions(member: MemberDto): boolean {
    return !this.isMe(member) && this.outranks(member) && (this.canManage() || this.canRemove());
  }

  protected isMe(member: MemberDto): boolean {
    return member.userId === this.myId();
  }

  protected errorFor(member: MemberDto): string | null {
    const error = this.rowError();
    return error?.userId === member.userId ? error.message : null;
  }

  protected changeRole(member: MemberDto, select: HTMLSelectElement): void {
    const roleId = select.value;
    if (roleId === member.role.id || this.busy().has(member.userId)) return;
    const roleName = this.rolesById().get(roleId)?.name ?? 'the new role';
    this.start(member);
    this.api
      .changeRole(this.context.workspaceId(), member.userId, roleId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.replace(updated);
          this.finish(member, `${member.displayName} is now ${updated.role.name}.`);
          this.refreshRoleCounts();
        },
        error: (error: unknown) => {
          select.value = member.role.id;
          this.fail(member, describeAdminError(error, `make ${member.displayName} ${roleName}`));
        },
      });
  }

  protected setActive(member: MemberDto, active: boolean): void {
    if (this.busy().has(member.userId)) return;
    const confirmed$ = active
      ? of(true)
      : confirmAction(this.dialog, {
          title: `Deactivate ${member.displayName}?`,
          message: `${member.displayName} keeps their history but can't see or do anything in this workspace until reactivated.`,
          confirmLabel: 'Deactivate',
          danger: true,
        });
    const request$ = () => this.api.setActive(this.context.workspaceId(), member.userId, active);
    this.run(confirmed$, member, request$, {
      done: (updated) => {
        this.replace(updated);
        return `${member.displayName} is ${active ? 'active again' : 'deactivated'}.`;
      },
      doing: `${active ? 'reactivate' : 'deactivate'} ${member.displayName}`,
    });
  }

  protected remove(member: MemberDto): void {
    if (this.busy().has(member.userId)) return;
    const workspace = this.context.workspace()?.name ?? 'this workspace';
    const confirmed$ = confirmAction(this.dialog, {
      title: `Remove ${member.displayName}?`,
      message: `${member.displayName} (${member.email}) loses access to ${workspace} and every channel in it. You can invite them again later.`,
      confirmLabel: 'Remove member',
      danger: true,
    });
    this.run(confirmed$, member, () => this.api.removeMember(this.context.workspaceId(), member.userId), {
      done: () => {
        this.members.update((list) => list?.filter((m) => m.userId !== member.userId) ?? null);
        this.refreshRoleCounts();
        // The row and its buttons are gone: put focus somewhere that still exists.
        queueMicrotask(() => this.heading().nativeElement.focus());
        return `${member.displayName} was removed.`;
      },
      doing: `remove ${member.displayName}`,
    });
  }

  /** Asks (when needed), then calls the api with the row marked busy; the outcome lands in the row or the status line. */
  private run<T>(
    confirmed$: Observable<boolean>,
    member: MemberDto,
    request: () => Observable<T>,
    handlers: { done: (result: T) => string; doing: string },
  ): void {
    confirmed$
      .pipe(
        filter(Boolean),
        tap(() => this.start(member)),
        switchMap(() => request()),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (result) => this.finish(member, handlers.done(result)),
        error: (error: unknown) => this.fail(member, describeAdminError(error, handlers.doing)),
      });
  }

  private start(member: MemberDto): void {
    this.rowError.set(null);
    this.status.set('');
    this.busy.update((ids) => new Set(ids).add(member.userId));
  }

  private finish(member: MemberDto, message: string): void {
    this.stopBusy(member);
    this.status.set(message);
  }

  private fail(member: MemberDto, message: string): void {
    this.stopBusy(member);
    this.rowError.set({ userId: member.userId, message });
  }

  private stopBusy(member: MemberDto): void {
    this.busy.update((ids) => {
      const next = new Set(ids);
      next.delete(member.userId);
      return next;
    });
  }

  private replace(updated: MemberDto): void {
    this.members.update((list) => list?.map((m) => (m.userId === updated.userId ? updated : m)) ?? null);
  }

  /** Member counts per role changed; the Roles page reads them fresh anyway, this keeps ours honest. */
  private refreshRoleCounts(): void {
    this.api
      .roles(this.context.workspaceId())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (roles) => this.roles.set(roles), error: () => undefined });
  }
}
