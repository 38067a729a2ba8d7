import { DIALOG_DATA, DialogRef } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { WorkspaceErrorCode, isPermissionAvailable, type Permission, type PermissionDto, type RoleDto } from '@parley/contracts';

import { toApiError } from '@web/core/http/api-error';
import { Spinner } from '@web/ui/spinner';
import { AdminApi } from '../admin-api';
import { describeAdminError } from '../admin-errors';
import { groupPermissions, inCatalogueOrder } from './permission-groups';

export const ROLE_NAME_MAX = 40;

export interface RoleEditorData {
  workspaceId: string;
  /** The role to edit or view; null to create one. */
  role: RoleDto | null;
  catalogue: PermissionDto[];
  /** What the caller's own role holds: nobody can grant more. */
  held: readonly Permission[];
  /** Built-in roles (and roles above yours) are shown, not edited. */
  readOnly: boolean;
  titleId: string;
}

/** Create, edit or view a role: its name and its permissions from the catalogue. Closes with the saved role. */
@Component({
  selector: 'app-admin-role-editor-dialog',
  imports: [Spinner],
  templateUrl: './role-editor-dialog.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class RoleEditorDialog {
  protected readonly data = inject<RoleEditorData>(DIALOG_DATA);
  protected readonly ref = inject<DialogRef<RoleDto>>(DialogRef);
  private readonly api = inject(AdminApi);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly nameMax = ROLE_NAME_MAX;
  protected readonly groups = groupPermissions(this.data.catalogue);
  protected readonly name = signal(this.data.role?.name ?? '');
  protected readonly selected = signal<ReadonlySet<Permission>>(new Set(this.data.role?.permissions ?? []));
  protected readonly nameError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly count = computed(() => this.selected().size);

  protected readonly title = this.data.readOnly
    ? (this.data.role?.name ?? 'Role')
    : this.data.role
      ? `Edit ${this.data.role.name}`
      : 'New role';

  protected held(permission: Permission): boolean {
    return this.data.held.includes(permission);
  }

  /** Its feature is not built yet: shown as "coming", never offered. */
  protected coming(permission: Permission): boolean {
    return !isPermissionAvailable(permission);
  }

  /**
   * Whether the box can be ticked or unticked: only what your role holds and what exists.
   * A permission already in the role can always be taken out.
   */
  protected editable(permission: Permission): boolean {
    if (this.data.readOnly) return false;
    return this.selected().has(permission) || (this.held(permission) && !this.coming(permission));
  }

  protected onName(event: Event): void {
    this.name.set((event.target as HTMLInputElement).value);
    this.nameError.set(null);
  }

  protected toggle(permission: Permission, event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    this.selected.update((set) => {
      const next = new Set(set);
      if (checked) next.add(permission);
      else next.delete(permission);
      return next;
    });
  }

  protected save(event: Event): void {
    event.preventDefault();
    if (this.data.readOnly || this.saving()) return;
    const name = this.name().trim();
    if (!name) {
      this.nameError.set('Give the role a name.');
      return;
    }
    if (name.length > ROLE_NAME_MAX) {
      this.nameError.set(`Use at most ${ROLE_NAME_MAX} characters.`);
      return;
    }
    const permissions = inCatalogueOrder(this.selected(), this.data.catalogue);
    const role = this.data.role;
    const request$ = role
      ? this.api.updateRole(this.data.workspaceId, role.id, { name, permissions })
      : this.api.createRole(this.data.workspaceId, { name, permissions });
    this.error.set(null);
    this.saving.set(true);
    request$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (saved) => this.ref.close(saved),
      error: (error: unknown) => {
        this.saving.set(false);
        const message = describeAdminError(error, role ? 'save the role' : 'create the role');
        if (toApiError(error).code === WorkspaceErrorCode.RoleNameTaken) this.nameError.set(message);
        else this.error.set(message);
      },
    });
  }
}
