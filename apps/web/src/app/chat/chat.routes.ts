import { Routes } from '@angular/router';

/** The chat of one workspace: /w/:workspaceId, /w/:workspaceId/c/:channelId (`?thread=<rootId>` opens a thread beside it), /w/:workspaceId/threads, and its admin console. */
export const chatRoutes: Routes = [
  {
    path: '',
    loadComponent: () => import('./chat-layout').then((m) => m.ChatLayout),
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./workspace-home').then((m) => m.WorkspaceHome) },
      { path: 'c/:channelId', loadComponent: () => import('./channel-view').then((m) => m.ChannelView) },
      { path: 'threads', loadComponent: () => import('./threads-view').then((m) => m.ThreadsView) },
    ],
  },
];
