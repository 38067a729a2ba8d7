import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { filter } from 'rxjs';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { MessagesStore } from './messages-store';
import { IdleAway } from './idle-away';
import { Sidebar } from './sidebar';

/** The chat screen of one workspace: sidebar (a drawer on phones) and the open channel. */
@Component({
  selector: 'app-chat-layout',
  imports: [RouterOutlet, Sidebar],
  providers: [IdleAway],
  templateUrl: './chat-layout.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'flex h-dvh flex-col overflow-hidden',
    '(document:keydown)': 'onKey($event)',
  },
})
export class ChatLayout {
  private readonly chat = inject(ChatStore);
  private readonly store = inject(ChannelsStore);
  private readonly messages = inject(MessagesStore);
  private readonly router = inject(Router);
  /** Created with the layout: reports inactivity as away while the chat is open. */
  private readonly idle = inject(IdleAway);

  readonly workspaceId = input.required<string>();
  protected readonly drawerOpen = signal(false);
  protected readonly connection = this.chat.connection;
  protected readonly loadError = signal<string | null>(null);
  protected readonly reconnecting = computed(() => this.connection() !== 'online');

  constructor() {
    effect(() => {
      const id = this.workspaceId();
      untracked(() => {
        this.loadError.set(null);
        this.chat.openWorkspace(id).catch(() => this.loadError.set('This workspace could not be opened. It may not exist, or you may no longer be a member.'));
      });
    });
    // Unread count in the tab title.
    effect(() => {
      const unread = this.store.totalUnread();
      const name = this.store.workspace()?.name ?? 'Parley';
      document.title = unread ? `(${unread}) ${name} · Parley` : `${name} · Parley`;
    });
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.drawerOpen.set(false));
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.drawerOpen.set(false);
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const list = [...this.store.joinedChannels(), ...this.store.directMessages()];
    const index = list.findIndex((c) => c.id === this.messages.activeChannelId());
    const next = list[(index + (event.key === 'ArrowDown' ? 1 : -1) + list.length) % list.length];
    if (next) void this.router.navigate(['/w', this.workspaceId(), 'c', next.id]);
  }
}
