import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import type { ChannelDto } from '@parley/contracts';

/** A sidebar entry: the channel's icon (projected), its name, and its mention or unread badge. */
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
      [attr.aria-label]="ariaLabel()"
    >
      <ng-content />
      <span class="truncate">{{ label() }}</span>
      @if (mentioned() > 0) {
        <!-- Mentions outrank the unread count: "@ 2" says why the channel wants one (it stays bold for the rest). -->
        <span class="ml-auto rounded-full bg-red-500 px-1.5 text-xs font-bold whitespace-nowrap text-white" data-testid="mention-badge">&#64; {{ mentioned() }}</span>
      } @else if (unread() > 0) {
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
  protected readonly mentioned = computed(() => this.channel().mentionCount);
  protected readonly ariaLabel = computed(() => {
    const parts = [this.label()];
    if (this.unread()) parts.push(`${this.unread()} unread`);
    if (this.mentioned()) parts.push(`${this.mentioned()} mention${this.mentioned() === 1 ? '' : 's'}`);
    return parts.join(', ');
  });
}
