import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { PresenceStatus } from '@parley/contracts';

import { initials } from '../shell/initials';

const PRESENCE_LABEL: Record<PresenceStatus, string> = { online: 'online', away: 'away', dnd: 'do not disturb', offline: 'offline' };

/** Initials in a coloured circle, with an optional presence dot. */
@Component({
  selector: 'app-avatar',
  template: `
    <span class="relative inline-flex shrink-0">
      <span
        class="flex items-center justify-center rounded-md font-semibold text-white"
        [style.width.px]="size()"
        [style.height.px]="size()"
        [style.font-size.px]="size() * 0.4"
        [style.background]="colour()"
        aria-hidden="true"
        >{{ letters() }}</span
      >
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
  readonly name = input.required<string>();
  readonly userId = input<string>('');
  readonly size = input(32);
  readonly presence = input<PresenceStatus | null>(null);

  protected readonly letters = computed(() => initials(this.name()));
  protected readonly colour = computed(() => {
    let hash = 0;
    for (const char of this.userId() || this.name()) hash = (hash * 31 + char.charCodeAt(0)) | 0;
    return `oklch(0.46 0.13 ${Math.abs(hash) % 360})`;
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
