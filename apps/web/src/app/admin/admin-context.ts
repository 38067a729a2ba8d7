import { Injectable, computed, signal } from '@angular/core';
import type { Permission, WorkspaceDto } from '@parley/contracts';

import { allowedSections, holdsAny } from './admin-permissions';

/**
 * The workspace the console is open on, as loaded by the admin guard, and what the caller's
 * role lets them do there. For showing or hiding UI only: the server checks every call.
 */
@Injectable({ providedIn: 'root' })
export class AdminContext {
  private readonly current = signal<WorkspaceDto | null>(null);
  private loadedAt = 0;

  readonly workspace = this.current.asReadonly();
  readonly workspaceId = computed(() => this.current()?.id ?? '');
  readonly permissions = computed<readonly Permission[]>(() => this.current()?.permissions ?? []);
  readonly sections = computed(() => allowedSections(this.permissions()));

  set(workspace: WorkspaceDto, now = Date.now()): void {
    this.current.set(workspace);
    this.loadedAt = now;
  }

  /**
   * The workspace if it was loaded within `maxAgeMs`: a guard redirect (index → first section)
   * starts a second navigation, which need not fetch the workspace again.
   */
  recent(workspaceId: string, maxAgeMs: number, now = Date.now()): WorkspaceDto | null {
    const workspace = this.current();
    return workspace?.id === workspaceId && now - this.loadedAt <= maxAgeMs ? workspace : null;
  }

  can(...anyOf: Permission[]): boolean {
    return holdsAny(this.permissions(), anyOf);
  }
}
