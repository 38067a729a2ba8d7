import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import type { ChannelDto } from '@parley/contracts';

/** A sidebar entry: the channel's icon (projected), its name, and its unread badge. */
@Component({
  selector: 'app-channel-link',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <a
      [routerLink]="['/w', channel().workspaceId, 'c', channel().id]"
      routerLinkActive="bg-brand-600 text-white"
      ariaCurrentWhenActive="page"
      class="flex items-center gap-2 rounded-md px-2 py-1.5 hover:bg-white/10"
      [class.font-bold]="unread() > 0"
      [class.text-white]="unread() > 0"
      [attr.aria-label]="label() + (unread() ? ', ' + unread() + ' unread' : '')"
    >
      <ng-content />
      <span class="truncate">{{ label() }}</span>
      @if (unread() > 0) {
        <span class="ml-auto rounded-full bg-red-500 px-1.5 text-xs font-bold text-white" data-testid="unread-badge">{{ unread() }}</span>
      }
    </a>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelLink {
  readonly channel = input.required<ChannelDto>();
  readonly label = input.required<string>();
  protected readonly unread = computed(() => this.channel().unreadCount);
}
