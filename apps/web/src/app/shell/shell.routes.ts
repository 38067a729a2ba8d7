import { Routes } from '@angular/router';

import { Shell } from './shell';

/** Everything behind sign-in, framed by the shell's top bar. */
export const shellRoutes: Routes = [
  {
    path: '',
    component: Shell,
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Parley',
        loadComponent: () => import('../chat/start').then((m) => m.Start),
      },
      {
        path: 'profile',
        title: 'Profile · Parley',
        loadComponent: () => import('./profile/profile').then((m) => m.Profile),
      },
      {
        path: 'sessions',
        title: 'Sessions · Parley',
        loadComponent: () => import('./sessions/sessions').then((m) => m.Sessions),
      },
    ],
  },
];
