import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { PERMISSION_DESCRIPTIONS, type Permission, type PermissionDto, type RoleDto } from '@parley/contracts';
import { filter, forkJoin, map, switchMap, tap } from 'rxjs';

import { loadResource } from '@web/core/http/load-resource';
import { LoadError } from '@web/ui/load-error';
import { Spinner } from '@web/ui/spinner';
import { AdminApi } from '../admin-api';
import { AdminContext } from '../admin-context';
import { describeAdminError } from '../admin-errors';
import { covers } from '../admin-permissions';
import { confirmAction } from '../ui/confirm-dialog';
import { adminDialogConfig, dialogId } from '../ui/dialog-config';
import { RoleEditorData, RoleEditorDialog } from './role-editor-dialog';

const CHIPS_SHOWN = 3;

/** Roles: the built-in ones (read-only) and custom ones made of catalogue permissions. */
@Component({
  selector: 'app-admin-roles-page',
  imports: [LoadError, Spinner],
  templateUrl: './roles-page.html',
  styleUrl: '../ui/responsive-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class RolesPage {
  private readonly api = inject(AdminApi);
  private readonly context = inject(AdminContext);
  private readonly dialog = inject(Dialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');

  protected readonly catalogue = signal<PermissionDto[]>([]);
  private readonly page = loadResource(
    () =>
      forkJoin({ roles: this.api.roles(this.context.workspaceId()), catalogue: this.api.permissions() }).pipe(
        tap(({ catalogue }) => this.catalogue.set(catalogue)),
        map(({ roles }) => roles),
      ),
    (error) => describeAdminError(error, 'load the roles'),
  );
  protected readonly roles = this.page.value;
  protected readonly loadError = this.page.error;
  protected readonly rowError = signal<{ roleId: string; message: string } | null>(null);
  protected readonly deleting = signal<string | null>(null);
  protected readonly status = signal('');
  protected readonly chipsShown = CHIPS_SHOWN;

  private readonly descriptions = computed(() => new Map<string, string>(this.catalogue().map((p) => [p.name, p.description])));

  protected load(): void {
    this.page.reload();
  }

  protected describe(permission: Permission): string {
    return this.descriptions().get(permission) ?? PERMISSION_DESCRIPTIONS[permission] ?? permission;
  }

  /** A custom role whose permissions the caller holds too (else the server refuses to change it). */
  protected editable(role: RoleDto): boolean {
    return !role.builtIn && covers(this.context.permissions(), role.permissions);
  }

  protected errorFor(role: RoleDto): string | null {
    const error = this.rowError();
    return error?.roleId === role.id ? error.message : null;
  }

  protected open(role: RoleDto | null): void {
    const readOnly = role !== null && !this.editable(role);
    const titleId = dialogId('role-editor-title');
    const data: RoleEditorData = {
      workspaceId: this.context.workspaceId(),
      role,
      catalogue: this.catalogue(),
      held: this.context.permissions(),
      readOnly,
      titleId,
    };
    this.rowError.set(null);
    this.status.set('');
    this.dialog
      .open<RoleDto, RoleEditorData, RoleEditorDialog>(RoleEditorDialog, {
        ...adminDialogConfig(data, '36rem'),
        ariaLabelledBy: titleId,
      })
      .closed.pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) => {
        if (!saved) return;
        this.roles.update((list) => {
          if (!list) return list;
          return role ? list.map((r) => (r.id === saved.id ? saved : r)) : [...list, saved];
        });
        this.status.set(role ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
      });
  }

  protected remove(role: RoleDto): void {
    if (this.deleting()) return;
    confirmAction(this.dialog, {
      title: `Delete ${role.name}?`,
      message:
        role.memberCount > 0
          ? `${role.name} is assigned to ${role.memberCount} ${role.memberCount === 1 ? 'member' : 'members'}. Give them another role first, or deleting will be refused.`
          : `The ${role.name} role will be deleted. This can't be undone.`,
      confirmLabel: 'Delete role',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        tap(() => {
          this.rowError.set(null);
          this.status.set('');
          this.deleting.set(role.id);
        }),
        switchMap(() => this.api.deleteRole(this.context.workspaceId(), role.id)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.deleting.set(null);
          this.roles.update((list) => list?.filter((r) => r.id !== role.id) ?? null);
          this.status.set(`Deleted ${role.name}.`);
          queueMicrotask(() => this.heading().nativeElement.focus());
        },
        error: (error: unknown) => {
          this.deleting.set(null);
          this.rowError.set({ roleId: role.id, message: describeAdminError(error, `delete ${role.name}`) });
        },
      });
  }
}
