import { Routes } from '@angular/router';

import { signedInGuard, signedOutGuard } from './core/auth/auth-guards';

export const routes: Routes = [
  {
    path: 'sign-in',
    canMatch: [signedOutGuard],
    title: 'Sign in · Parley',
    loadComponent: () => import('./sign-in/sign-in').then((m) => m.SignIn),
  },
  {
    // Opened from an invite email: signed-out people are sent to sign in, then brought back.
    path: 'invite/:token',
    title: 'Invite · Parley',
    loadComponent: () => import('./chat/invite-accept').then((m) => m.InviteAccept),
  },
  {
    // The admin console: behind its own permission guard, framed by the shell's top bar.
    path: 'w/:workspaceId/admin',
    canMatch: [signedInGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES),
  },
  {
    path: 'w/:workspaceId',
    canMatch: [signedInGuard],
    title: 'Parley',
    loadChildren: () => import('./chat/chat.routes').then((m) => m.chatRoutes),
  },
  {
    path: '',
    canMatch: [signedInGuard],
    loadChildren: () => import('./shell/shell.routes').then((m) => m.shellRoutes),
  },
  { path: '**', redirectTo: '' },
];
