import { Dialog } from '@angular/cdk/dialog';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';

import { openForward } from './dialogs/forward-dialog';
import { MessageActions } from './message-actions';
import type { ChatMessage } from './message-groups';
import { QUICK_REACTIONS } from './reactions';

/**
 * The toolbar buttons for reacting (quick reactions and the picker), pinning, copying a link to
 * the message and forwarding it; they sit in MessageBody's hover toolbar next to edit and delete.
 * In an archived channel only the link is offered (the server refuses the rest).
 */
@Component({
  selector: 'app-message-toolbar-actions',
  template: `
    @let m = message();
    @if (!archived()) {
      @for (emoji of quick; track emoji) {
        <button
          type="button"
          class="btn btn-ghost h-7 px-1 text-base leading-none [font-family:'Apple_Color_Emoji','Segoe_UI_Emoji','Noto_Color_Emoji',sans-serif]"
          [attr.aria-label]="'React with ' + emoji"
          [title]="'React with ' + emoji"
          data-testid="quick-reaction"
          (click)="react(emoji)"
        >
          <!-- Drawn from the attribute, as the icons are: the line's text stays the message's own (tests and screen readers read it). -->
          <span class="before:content-[attr(data-emoji)]" [attr.data-emoji]="emoji" aria-hidden="true"></span>
        </button>
      }
      <button #pick type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Add reaction" title="Add reaction" (click)="openPicker(pick)">
        <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path
            fill-rule="evenodd"
            d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.536-4.464a.75.75 0 1 0-1.061-1.061 3.5 3.5 0 0 1-4.95 0 .75.75 0 0 0-1.06 1.06 5 5 0 0 0 7.07 0ZM9 8.5c0 .828-.448 1.5-1 1.5s-1-.672-1-1.5S7.448 7 8 7s1 .672 1 1.5Zm3 1.5c.552 0 1-.672 1-1.5S12.552 7 12 7s-1 .672-1 1.5.448 1.5 1 1.5Z"
            clip-rule="evenodd"
          />
        </svg>
      </button>
      <button
        type="button"
        class="btn btn-ghost h-7 px-1.5"
        [attr.aria-label]="m.pinnedAt ? 'Unpin message' : 'Pin message'"
        [title]="m.pinnedAt ? 'Unpin' : 'Pin to channel'"
        [attr.aria-pressed]="!!m.pinnedAt"
        (click)="togglePin()"
      >
        <svg class="size-4" viewBox="0 0 20 20" [attr.fill]="m.pinnedAt ? 'currentColor' : 'none'" stroke="currentColor" stroke-width="1.5" aria-hidden="true">
          <path stroke-linejoin="round" d="M7 3h6l-1 5 3 3H5l3-3-1-5Zm3 8v6" />
        </svg>
      </button>
      <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Forward message" title="Forward" (click)="forward()">
        <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path
            fill-rule="evenodd"
            d="M11.22 3.22a.75.75 0 0 1 1.06 0l4.25 4.25a.75.75 0 0 1 0 1.06l-4.25 4.25a.75.75 0 1 1-1.06-1.06l2.97-2.97H8.5A3.75 3.75 0 0 0 4.75 12.5v3.75a.75.75 0 0 1-1.5 0V12.5A5.25 5.25 0 0 1 8.5 7.25h5.69l-2.97-2.97a.75.75 0 0 1 0-1.06Z"
            clip-rule="evenodd"
          />
        </svg>
      </button>
    }
    <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Copy link to message" title="Copy link" (click)="copyLink()">
      <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path
          d="M12.232 4.232a2.5 2.5 0 0 1 3.536 3.536l-1.225 1.224a.75.75 0 0 0 1.061 1.06l1.224-1.224a4 4 0 0 0-5.656-5.656l-3 3a4 4 0 0 0 .225 5.865.75.75 0 0 0 .977-1.138 2.5 2.5 0 0 1-.142-3.667l3-3Z"
        />
        <path
          d="M11.603 7.963a.75.75 0 0 0-.977 1.138 2.5 2.5 0 0 1 .142 3.667l-3 3a2.5 2.5 0 0 1-3.536-3.536l1.225-1.224a.75.75 0 0 0-1.061-1.06l-1.224 1.224a4 4 0 1 0 5.656 5.656l3-3a4 4 0 0 0-.225-5.865Z"
        />
      </svg>
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  // While the picker is open the toolbar stays shown (MessageBody's toolbar looks for data-picking), as on hover.
  host: { class: 'contents', '[attr.data-picking]': 'picking() || null' },
})
export class MessageToolbarActions {
  private readonly actions = inject(MessageActions);
  private readonly dialog = inject(Dialog);
  readonly message = input.required<ChatMessage>();
  readonly archived = input(false);
  protected readonly quick = QUICK_REACTIONS;
  protected readonly picking = signal(false);

  protected react(emoji: string): Promise<void> {
    return this.actions.react(this.message(), emoji);
  }

  protected async openPicker(origin: HTMLElement): Promise<void> {
    this.picking.set(true);
    await this.actions.pickReaction(this.message(), origin).finally(() => this.picking.set(false));
  }

  protected togglePin(): Promise<void> {
    return this.actions.togglePin(this.message());
  }

  protected copyLink(): void {
    this.actions.copyLink(this.message());
  }

  protected forward(): void {
    openForward(this.dialog, this.message());
  }
}
