import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, untracked } from '@angular/core';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { type ChannelDto, Permission } from '@parley/contracts';

import { canOpenAdmin } from '../admin/admin-permissions';
import { Avatar } from './avatar';
import { ChannelLink } from './channel-link';
import { ChannelsStore } from './channels-store';
import { PresenceStore } from './presence-store';
import { BrowseChannelsDialog } from './dialogs/browse-channels-dialog';
import { CreateChannelDialog } from './dialogs/create-channel-dialog';
import { CreateWorkspaceDialog } from './dialogs/create-workspace-dialog';
import { InviteDialog } from './dialogs/invite-dialog';
import { NewMessageDialog } from './dialogs/new-message-dialog';
import { Notifier } from './notifier';
import { PersonMenu } from './person-menu';
import { ThreadStore } from './thread-store';

@Component({
  selector: 'app-sidebar',
  imports: [RouterLink, RouterLinkActive, Avatar, ChannelLink, PersonMenu],
  templateUrl: './sidebar.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex h-full flex-col bg-zinc-900 text-zinc-200' },
})
export class Sidebar {
  protected readonly store = inject(ChannelsStore);
  private readonly presence = inject(PresenceStore);
  private readonly dialog = inject(Dialog);
  private readonly router = inject(Router);
  protected readonly notifier = inject(Notifier);
  protected readonly threads = inject(ThreadStore);

  readonly workspaceId = input.required<string>();
  readonly closeDrawer = output<void>();

  protected readonly me = computed(() => this.store.me());
  protected readonly can = computed(() => new Set(this.store.workspace()?.permissions ?? []));
  protected readonly Permission = Permission;
  protected readonly isAdmin = computed(() => canOpenAdmin(this.store.workspace()?.permissions ?? []));

  constructor() {
    // The "Threads" count: the list of followed threads of the workspace shown, once ChatStore has made it the open one.
    effect(() => {
      const id = this.workspaceId();
      if (this.store.workspaceId() !== id) return;
      untracked(() => void this.threads.refreshList().catch(() => undefined));
    });
  }

  protected label(channel: ChannelDto): string {
    return this.store.channelLabel(channel);
  }

  protected dmPresence(channel: ChannelDto) {
    const other = (channel.dmUserIds ?? []).find((id) => id !== this.me());
    return channel.type === 'dm' && other ? this.presence.presenceOf(other) : null;
  }

  protected dmOther(channel: ChannelDto): string {
    return (channel.dmUserIds ?? []).find((id) => id !== this.me()) ?? '';
  }

  protected switchWorkspace(id: string): void {
    void this.router.navigate(['/w', id]);
  }

  protected createWorkspace(): void {
    this.dialog.open(CreateWorkspaceDialog, { ariaLabelledBy: 'create-workspace-title' });
  }

  protected createChannel(): void {
    this.dialog.open(CreateChannelDialog, { data: { workspaceId: this.workspaceId() }, ariaLabelledBy: 'create-channel-title' });
  }

  protected browse(): void {
    this.dialog.open(BrowseChannelsDialog, { data: { workspaceId: this.workspaceId() }, ariaLabelledBy: 'browse-title' });
  }

  protected newMessage(): void {
    this.dialog.open(NewMessageDialog, { data: { workspaceId: this.workspaceId() }, ariaLabelledBy: 'new-message-title' });
  }

  protected invite(): void {
    this.dialog.open(InviteDialog, { data: { workspaceId: this.workspaceId() }, ariaLabelledBy: 'invite-title' });
  }
}
