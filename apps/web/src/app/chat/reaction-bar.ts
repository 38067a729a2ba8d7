import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, Injector, inject, input, output } from '@angular/core';
import type { ReactionDto } from '@parley/contracts';

import { ChannelsStore } from './channels-store';
import { pickEmoji } from './emoji-picker';
import type { ChatMessage } from './message-groups';
import { reactorsLabel } from './reactions';

/**
 * The reactions under a message: one chip per emoji with its count (pressed when one reacted with
 * it; a click toggles), and "+" for the picker. Who reacted is the chip's tooltip and label.
 */
@Component({
  selector: 'app-reaction-bar',
  template: `
    <div class="mt-1 flex flex-wrap items-center gap-1" data-testid="reactions">
      @for (r of message().reactions; track r.emoji) {
        <button
          type="button"
          class="inline-flex h-6 items-center gap-1 rounded-full border px-2 text-xs tabular-nums transition-colors disabled:opacity-60"
          [class]="
            r.me
              ? 'border-brand-400 bg-brand-50 text-brand-700 dark:border-brand-400 dark:bg-brand-900/40 dark:text-brand-200'
              : 'border-line bg-surface-muted/60 text-muted hover:border-line-strong'
          "
          [attr.aria-pressed]="r.me"
          [attr.aria-label]="r.emoji + ' ' + r.count + ', ' + who(r)"
          [title]="who(r) + ' reacted with ' + r.emoji"
          [disabled]="disabled()"
          data-testid="reaction"
          (click)="toggle.emit({ emoji: r.emoji, add: !r.me })"
        >
          <span class="text-sm leading-none [font-family:'Apple_Color_Emoji','Segoe_UI_Emoji','Noto_Color_Emoji',sans-serif]">{{ r.emoji }}</span><span data-testid="reaction-count">{{ r.count }}</span>
        </button>
      }
      @if (!disabled()) {
        <button
          #more
          type="button"
          class="inline-flex h-6 items-center rounded-full border border-line px-2 text-xs text-muted hover:border-line-strong hover:text-ink"
          aria-label="Add reaction"
          title="Add reaction"
          (click)="openPicker(more)"
        >
          <svg class="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" />
          </svg>
        </button>
      }
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReactionBar {
  private readonly channels = inject(ChannelsStore);
  private readonly dialog = inject(Dialog);
  private readonly injector = inject(Injector);
  readonly message = input.required<ChatMessage>();
  /** Read-only (an archived channel): the chips show, and do nothing. */
  readonly disabled = input(false);
  readonly toggle = output<{ emoji: string; add: boolean }>();

  protected who(reaction: ReactionDto): string {
    return reactorsLabel(reaction, this.channels.me(), (id) => this.channels.displayName(id));
  }

  protected async openPicker(origin: HTMLElement): Promise<void> {
    const emoji = await pickEmoji(this.dialog, this.injector, origin);
    if (emoji) this.toggle.emit({ emoji, add: true });
  }
}
