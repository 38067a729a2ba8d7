import { DIALOG_DATA, Dialog, DialogRef } from '@angular/cdk/dialog';
import { createGlobalPositionStrategy } from '@angular/cdk/overlay';
import { ChangeDetectionStrategy, Component, Injector, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { MessageActionId, MessageActionItem } from '../message-action-list';
import { QUICK_REACTIONS } from '../reactions';

export interface MessageActionSheetData {
  /** Whose message, and a line of it, so the person sees which one they pressed. */
  sender: string;
  text: string;
  actions: MessageActionItem[];
}

/** What was chosen in the sheet: an action, or a quick reaction. */
export type MessageActionChoice = { action: MessageActionId } | { react: string };

/**
 * A message's actions on a phone (opened by a long press): a sheet along the bottom edge, the
 * quick reactions first, then every action as a row a thumb can hit. Closes with the choice, or
 * nothing (Cancel, Esc, a tap on the shade).
 */
@Component({
  selector: 'app-message-action-sheet',
  template: `
    <div class="mx-auto mt-2 mb-1 h-1 w-10 rounded-full bg-line-strong" aria-hidden="true"></div>
    <div class="px-5 pt-1 pb-3">
      <h2 id="message-action-sheet-title" class="text-sm font-semibold">{{ data.sender }}</h2>
      <p class="truncate text-sm text-muted">{{ data.text }}</p>
    </div>
    @if (reactable) {
      <div class="flex justify-between gap-2 border-t border-line px-4 py-3" role="group" aria-label="Quick reactions">
        @for (emoji of quick; track emoji) {
          <button
            type="button"
            class="flex size-12 items-center justify-center rounded-full bg-surface-muted text-2xl leading-none [font-family:'Apple_Color_Emoji','Segoe_UI_Emoji','Noto_Color_Emoji',sans-serif] active:bg-line"
            [attr.aria-label]="'React with ' + emoji"
            (click)="ref.close({ react: emoji })"
          >
            {{ emoji }}
          </button>
        }
      </div>
    }
    <ul class="border-t border-line py-1" role="list">
      @for (item of data.actions; track item.id) {
        <li [class.border-t]="item.danger" [class.border-line]="item.danger" [class.mt-1]="item.danger" [class.pt-1]="item.danger">
          <button
            type="button"
            class="flex min-h-13 w-full items-center px-5 text-left text-base active:bg-surface-muted"
            [class.text-danger]="item.danger"
            [attr.data-action]="item.id"
            (click)="ref.close({ action: item.id })"
          >
            {{ item.label }}
          </button>
        </li>
      }
    </ul>
    <div class="border-t border-line px-4 pt-2">
      <button type="button" class="btn btn-secondary h-12 w-full text-base" (click)="ref.close()">Cancel</button>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'block max-h-[85dvh] overflow-y-auto rounded-t-2xl border border-b-0 border-line bg-surface pb-[max(0.75rem,env(safe-area-inset-bottom))] text-ink shadow-2xl',
    'data-testid': 'message-action-sheet',
  },
})
export class MessageActionSheet {
  protected readonly ref = inject<DialogRef<MessageActionChoice>>(DialogRef);
  protected readonly data = inject<MessageActionSheetData>(DIALOG_DATA);
  protected readonly quick = QUICK_REACTIONS;
  protected readonly reactable = this.data.actions.some((a) => a.id === 'react');
}

/** Opens the sheet along the bottom of the screen (full width on a phone); resolves to what was chosen. */
export async function openMessageActionSheet(dialog: Dialog, injector: Injector, data: MessageActionSheetData): Promise<MessageActionChoice | undefined> {
  const ref = dialog.open<MessageActionChoice, MessageActionSheetData>(MessageActionSheet, {
    data,
    positionStrategy: createGlobalPositionStrategy(injector).bottom('0').centerHorizontally(),
    width: '100%',
    maxWidth: '32rem',
    hasBackdrop: true,
    backdropClass: ['bg-black/40', 'backdrop-blur-[1px]'],
    ariaLabelledBy: 'message-action-sheet-title',
  });
  return firstValueFrom(ref.closed);
}
