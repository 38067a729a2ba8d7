import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { ActivatedRouteSnapshot, CanActivateFn, Router, UrlTree } from '@angular/router';
import { catchError, map, of } from 'rxjs';

import { AdminApi } from './admin-api';
import { AdminContext } from './admin-context';
import { ADMIN_SECTIONS, AdminSectionPath, canOpenAdmin, holdsAny } from './admin-permissions';

/** A workspace loaded this recently is not fetched again (a redirect right after entry). */
const REUSE_WORKSPACE_MS = 3_000;

/** Why the console was refused, shown by the `denied` page. */
export type AdminDeniedReason = 'forbidden' | 'not-found' | 'error';

/** The URL path of `route` (the admin routes are mounted under `w/:workspaceId/admin`). */
function pathOf(route: ActivatedRouteSnapshot): string[] {
  return route.pathFromRoot.flatMap((r) => r.url.map((segment) => segment.path));
}

function workspaceIdOf(route: ActivatedRouteSnapshot): string | null {
  for (let r: ActivatedRouteSnapshot | null = route; r; r = r.parent) {
    const id = r.paramMap.get('workspaceId');
    if (id) return id;
  }
  return null;
}

function denied(router: Router, base: string[], reason: AdminDeniedReason): UrlTree {
  return router.createUrlTree(['/', ...base, 'denied'], { queryParams: { reason } });
}

/**
 * Guards the console: loads the workspace (`GET /api/workspaces/:id`) and lets in only
 * callers whose role holds at least one admin permission. Everyone else lands on the
 * `denied` page, which says why. Hiding is all this does; the server enforces.
 */
export const adminGuard: CanActivateFn = (route) => {
  const router = inject(Router);
  const context = inject(AdminContext);
  const base = pathOf(route);
  const workspaceId = workspaceIdOf(route);
  if (!workspaceId) return router.createUrlTree(['/']);
  if (context.recent(workspaceId, REUSE_WORKSPACE_MS)) return true;

  return inject(AdminApi)
    .workspace(workspaceId)
    .pipe(
      map((workspace) => {
        if (!canOpenAdmin(workspace.permissions)) return denied(router, base, 'forbidden');
        context.set(workspace);
        return true;
      }),
      catchError((error: unknown) => {
        const status = error instanceof HttpErrorResponse ? error.status : 0;
        const reason: AdminDeniedReason = status === 403 ? 'forbidden' : status === 404 || status === 400 ? 'not-found' : 'error';
        return of(denied(router, base, reason));
      }),
    );
};

/** The console's index: straight to the first section the caller may use. */
export const adminIndexGuard: CanActivateFn = (route) => {
  const first = inject(AdminContext).sections()[0];
  return first ? inject(Router).createUrlTree(['/', ...pathOf(route), first.path]) : true;
};

/** One section of the console; without its permission, go to a section the caller may use. */
export function adminSectionGuard(path: AdminSectionPath): CanActivateFn {
  const section = ADMIN_SECTIONS.find((s) => s.path === path);
  if (!section) throw new Error(`Unknown admin section ${path}`);
  return (route) => {
    const context = inject(AdminContext);
    if (holdsAny(context.permissions(), section.anyOf)) return true;
    const base = route.parent ? pathOf(route.parent) : [];
    const fallback = context.sections()[0];
    return inject(Router).createUrlTree(['/', ...base, ...(fallback ? [fallback.path] : [])]);
  };
}
