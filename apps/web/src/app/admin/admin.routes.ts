import { Routes } from '@angular/router';

import { adminGuard, adminIndexGuard, adminSectionGuard } from './admin-guards';

/**
 * The admin console, lazy and behind `adminGuard`. Mount it at `w/:workspaceId/admin`:
 * `{ path: 'w/:workspaceId/admin', loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES) }`.
 * Each section is hidden from (and redirects away) anyone whose role lacks its permission;
 * the server enforces every call regardless.
 */
export const ADMIN_ROUTES: Routes = [
  {
    path: 'denied',
    title: 'Admin console · Parley',
    loadComponent: () => import('./admin-denied').then((m) => m.AdminDenied),
  },
  {
    path: '',
    canActivate: [adminGuard],
    loadComponent: () => import('./admin-layout').then((m) => m.AdminLayout),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Admin console · Parley',
        canActivate: [adminIndexGuard],
        loadComponent: () => import('./admin-home').then((m) => m.AdminHome),
      },
      {
        path: 'members',
        title: 'Members · Admin · Parley',
        canActivate: [adminSectionGuard('members')],
        loadComponent: () => import('./members/members-page').then((m) => m.MembersPage),
      },
      {
        path: 'roles',
        title: 'Roles · Admin · Parley',
        canActivate: [adminSectionGuard('roles')],
        loadComponent: () => import('./roles/roles-page').then((m) => m.RolesPage),
      },
      {
        path: 'invites',
        title: 'Invites · Admin · Parley',
        canActivate: [adminSectionGuard('invites')],
        loadComponent: () => import('./invites/invites-page').then((m) => m.InvitesPage),
      },
      {
        path: 'audit',
        title: 'Audit log · Admin · Parley',
        canActivate: [adminSectionGuard('audit')],
        loadComponent: () => import('./audit/audit-page').then((m) => m.AuditPage),
      },
      {
        path: 'settings',
        title: 'Settings · Admin · Parley',
        canActivate: [adminSectionGuard('settings')],
        loadComponent: () => import('./settings/settings-page').then((m) => m.SettingsPage),
      },
      { path: '**', redirectTo: '' },
    ],
  },
];
