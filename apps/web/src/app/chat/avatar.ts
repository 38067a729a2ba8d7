import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import type { PresenceStatus } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { avatarColour, avatarSrc, pixelRatio } from '../core/users/avatar-picture';
import { initials } from '../shell/initials';
import { ChannelsStore } from './channels-store';

const PRESENCE_LABEL: Record<PresenceStatus, string> = { online: 'online', away: 'away', dnd: 'do not disturb', offline: 'offline' };

/**
 * A person's profile picture (or their initials in a coloured square when they have none, or it
 * does not load), with an optional presence dot. The picture is looked up by `userId`: one's own
 * in the signed-in account (a new one shows at once), others' in the workspace's members.
 */
@Component({
  selector: 'app-avatar',
  template: `
    <span class="relative inline-flex shrink-0">
      @if (shown(); as url) {
        <!-- alt="": the person's name is always given beside or around the avatar. -->
        <img
          class="rounded-md object-cover"
          [src]="url"
          alt=""
          loading="lazy"
          decoding="async"
          [attr.width]="size()"
          [attr.height]="size()"
          [style.width.px]="size()"
          [style.height.px]="size()"
          [style.background]="colour()"
          (error)="failed.set(url)"
        />
      } @else {
        <span
          class="flex items-center justify-center rounded-md font-semibold text-white"
          [style.width.px]="size()"
          [style.height.px]="size()"
          [style.font-size.px]="size() * 0.4"
          [style.background]="colour()"
          aria-hidden="true"
          >{{ letters() }}</span
        >
      }
      @if (presence(); as status) {
        <span
          class="absolute -right-0.5 -bottom-0.5 size-2.5 rounded-full ring-2 ring-surface"
          [class]="dotClass()"
          role="img"
          [attr.aria-label]="presenceLabel()"
          [attr.data-presence]="status"
        ></span>
      }
    </span>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Avatar {
  private readonly auth = inject(AuthStore);
  private readonly store = inject(ChannelsStore);
  private readonly view = inject(DOCUMENT).defaultView;

  readonly name = input.required<string>();
  readonly userId = input<string>('');
  readonly size = input(32);
  readonly presence = input<PresenceStatus | null>(null);

  protected readonly letters = computed(() => initials(this.name()));
  protected readonly colour = computed(() => avatarColour(this.userId() || this.name()));
  /** The person's avatarUrl: one's own from the account, anyone else's from the workspace's members. */
  private readonly avatarUrl = computed(() => {
    const userId = this.userId();
    if (!userId) return null;
    const me = this.auth.user();
    if (me?.id === userId) return me.avatarUrl ?? null;
    return this.store.members()[userId]?.avatarUrl ?? null;
  });
  private readonly src = computed(() => avatarSrc(this.avatarUrl(), this.size(), pixelRatio(this.view)));
  /** The address that failed to load (a new picture has a new address, and is tried). */
  protected readonly failed = signal<string | null>(null);
  protected readonly shown = computed(() => {
    const src = this.src();
    return src && src !== this.failed() ? src : null;
  });
  protected readonly presenceLabel = computed(() => PRESENCE_LABEL[this.presence() ?? 'offline']);
  protected readonly dotClass = computed(() => {
    switch (this.presence()) {
      case 'online':
        return 'bg-emerald-500';
      case 'away':
        return 'bg-amber-400';
      case 'dnd':
        return 'bg-red-500';
      default:
        return 'bg-zinc-400 dark:bg-zinc-600';
    }
  });
}
