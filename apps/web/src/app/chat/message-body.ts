import { Dialog } from '@angular/cdk/dialog';
import { CdkMenu, CdkMenuItem, CdkMenuTrigger } from '@angular/cdk/menu';
import type { ConnectedPosition } from '@angular/cdk/overlay';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, computed, inject, input, signal, viewChild } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { toApiError } from '../core/http/api-error';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { DeleteMessageDialog, type DeleteMessageData } from './dialogs/delete-message-dialog';
import { openForward } from './dialogs/forward-dialog';
import { openMessageActionSheet } from './dialogs/message-action-sheet';
import { LongPress } from './long-press';
import { MessageActions } from './message-actions';
import { canReadVersions, messageActionsFor, type MessageActionId } from './message-action-list';
import type { ChatMessage } from './message-groups';
import { messageChangeError } from './message-errors';
import { MessageEditor } from './message-editor';
import { MessageText } from './message-text';
import { MessageExtras } from './message-extras';
import { MessageToolbarActions } from './message-toolbar-actions';
import { ReadBy } from './message-receipts';
import { MessagesStore } from './messages-store';
import { RovingToolbar } from './roving-toolbar';
import { ThreadStore } from './thread-store';

/**
 * One message's line in the log: its text (or the inline editor, or "This message was deleted"),
 * how its send is going, and the actions bar shown on hover and on keyboard focus. The buttons
 * only follow what the server allows (edit: the sender, not in an archived channel; delete: the
 * sender or message.delete.any); the server decides, and a refusal shows here.
 */
const MENU_POSITIONS: ConnectedPosition[] = [
  { originX: 'end', originY: 'bottom', overlayX: 'end', overlayY: 'top', offsetY: 4 },
  { originX: 'end', originY: 'top', overlayX: 'end', overlayY: 'bottom', offsetY: -4 },
];

/**
 * One message's line in the log: its text (or the inline editor, or "This message was deleted"),
 * how its send is going, and its actions: the toolbar shown on hover and on keyboard focus (Tab
 * to the line, then Tab into the toolbar; ←/→ move in it), its ⋯ menu with every action (also
 * the context-menu key or Shift+F10 on the line), and on a phone a long press that opens them as
 * a sheet. The actions only follow what the server allows (see messageActionsFor); the server
 * decides, and a refusal shows here.
 */
@Component({
  selector: 'app-message-body',
  imports: [CdkMenu, CdkMenuItem, CdkMenuTrigger, DatePipe, MessageEditor, MessageExtras, MessageText, MessageToolbarActions, ReadBy, RovingToolbar],
  template: `
    @let m = message();
    <div
      #line
      class="group/line relative flex items-start gap-2 rounded-sm [-webkit-touch-callout:none] focus-visible:outline-offset-0 [@media(hover:none)]:select-none"
      [attr.data-state]="m.state"
      data-testid="message"
      [attr.tabindex]="editing() ? null : 0"
      (keydown)="onLineKey($event)"
      (pointerdown)="onPointerDown($event)"
      (pointermove)="press.move($event.clientX, $event.clientY)"
      (pointerup)="endPress()"
      (pointercancel)="endPress()"
      (pointerleave)="endPress()"
      (contextmenu)="onContextMenu($event)"
    >
      @if (editing()) {
        <app-message-editor [text]="m.text" [channelId]="m.channelId" [inputId]="'edit-' + m.id" [busy]="busy()" (saved)="save($event)" (cancelled)="stopEditing()" />
      } @else if (m.deletedAt) {
        <p class="min-w-0 flex-1 text-sm text-muted italic" data-testid="deleted">This message was deleted</p>
      } @else {
        <parley-message-text class="text-sm" [text]="m.text" [mentions]="channels" [class.flex-1]="!m.editedAt" [class.text-faint]="m.state !== 'sent'" [title]="relative(m.createdAt)" />
        @if (m.editedAt) {
          <!-- Right after the text, as in Slack (the text does not stretch when edited). -->
          <span class="flex-1 shrink-0 self-end text-xs text-faint">
            @if (canSeeHistory()) {
              <button
                type="button"
                class="cursor-pointer rounded-sm hover:text-ink hover:underline"
                aria-haspopup="dialog"
                [title]="'Edited ' + (m.editedAt | date: 'medium') + ' · show the edit history'"
                data-testid="edited"
                (click)="actions.openHistory(m)"
              >(edited)</button>
            } @else {
              <span [title]="'Edited ' + (m.editedAt | date: 'medium')" data-testid="edited">(edited)</span>
            }
          </span>
        }
      }
      @if (m.state === 'pending') {
        <span class="shrink-0 text-xs text-faint" data-testid="pending">Sending…</span>
      } @else if (m.state === 'failed') {
        <span class="shrink-0 text-xs text-danger">Not sent</span>
        <button type="button" class="shrink-0 text-xs font-semibold text-brand-600 underline" (click)="chat.retry(m)">Retry</button>
        <button type="button" class="shrink-0 text-xs text-muted underline" (click)="messages.discard(m)">Discard</button>
      }
      @if (!editing() && changeable()) {
        <!-- Hidden (and not in the way of clicks) until the line is hovered or reached by keyboard, or while its picker or menu is open; off on touch-only screens (a long press opens the sheet). A mouse click on the text focuses the line without pinning the toolbar open. -->
        <div
          role="toolbar"
          aria-label="Message actions"
          appRovingToolbar
          class="pointer-events-none absolute -top-4 right-1 z-10 flex gap-0.5 rounded-md border border-line bg-surface p-0.5 opacity-0 shadow-sm group-hover:pointer-events-auto group-hover:opacity-100 group-focus-visible/line:pointer-events-auto group-focus-visible/line:opacity-100 has-[:focus-visible]:pointer-events-auto has-[:focus-visible]:opacity-100 has-[[aria-expanded=true]]:pointer-events-auto has-[[aria-expanded=true]]:opacity-100 has-[[data-picking]]:pointer-events-auto has-[[data-picking]]:opacity-100 [@media(hover:none)]:hidden"
        >
          @if (!inThread()) {
            <!-- Read positions are the channel's: a thread reply is not read by reading the channel. -->
            <app-read-by [message]="m" />
          }
          <app-message-toolbar-actions [message]="m" [archived]="archived()" />
          @if (canEdit()) {
            <!-- Icons only: the line's text stays the message's own (tests and screen readers read it; the labels name the buttons). -->
            <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Edit message" title="Edit" (click)="startEditing()">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M13.586 3.586a2 2 0 1 1 2.828 2.828l-.793.793-2.828-2.828.793-.793ZM11.379 5.793 3 14.172V17h2.828l8.38-8.379-2.83-2.828Z" />
              </svg>
            </button>
          }
          @if (canDelete()) {
            <button type="button" class="btn btn-ghost h-7 px-1.5 text-danger" aria-label="Delete message" title="Delete" (click)="confirmDelete()">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path
                  fill-rule="evenodd"
                  d="M8.75 1A2.75 2.75 0 0 0 6 3.75v.443c-.795.077-1.584.176-2.365.298a.75.75 0 1 0 .23 1.482l.149-.022.841 10.518A2.75 2.75 0 0 0 7.596 19h4.807a2.75 2.75 0 0 0 2.742-2.53l.841-10.52.149.023a.75.75 0 0 0 .23-1.482A41.03 41.03 0 0 0 14 4.193V3.75A2.75 2.75 0 0 0 11.25 1h-2.5ZM10 4c.84 0 1.673.025 2.5.075V3.75c0-.69-.56-1.25-1.25-1.25h-2.5c-.69 0-1.25.56-1.25 1.25v.325C8.327 4.025 9.16 4 10 4ZM8.58 7.72a.75.75 0 0 0-1.5.06l.3 7.5a.75.75 0 1 0 1.5-.06l-.3-7.5Zm4.34.06a.75.75 0 1 0-1.5-.06l-.3 7.5a.75.75 0 1 0 1.5.06l.3-7.5Z"
                  clip-rule="evenodd"
                />
              </svg>
            </button>
          }
          @if (canReply()) {
            <button type="button" class="btn btn-ghost h-7 px-1.5" aria-label="Reply in thread" title="Reply in thread" (click)="run('reply')">
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path
                  fill-rule="evenodd"
                  d="M3.43 2.52A41.1 41.1 0 0 1 10 2c2.24 0 4.44.18 6.57.52 1.6.26 2.68 1.66 2.68 3.22v5.02c0 1.56-1.08 2.96-2.68 3.22-1.35.22-2.73.36-4.13.44a.75.75 0 0 0-.5.22l-2.91 2.91A.75.75 0 0 1 7.75 17v-2.6a.75.75 0 0 0-.66-.75c-1.24-.13-2.46-.3-3.66-.49C1.83 12.9.75 11.5.75 9.94V5.74c0-1.56 1.08-2.96 2.68-3.22Z"
                  clip-rule="evenodd"
                />
              </svg>
            </button>
          }
          <button
            #more
            type="button"
            class="btn btn-ghost h-7 px-1.5 aria-expanded:bg-surface-muted aria-expanded:text-ink"
            aria-label="More actions"
            title="More actions"
            [attr.data-picking]="pickingFromMenu() || null"
            [cdkMenuTriggerFor]="menu"
            [cdkMenuPosition]="menuPositions"
            #trigger="cdkMenuTriggerFor"
          >
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M3 10a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm5.5 0a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm5.5 0a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Z" />
            </svg>
          </button>
        </div>
      }
    </div>
    <ng-template #menu>
      <div cdkMenu class="w-56 rounded-xl border border-line bg-surface py-1.5 text-sm text-ink shadow-xl" aria-label="More actions" data-testid="message-menu">
        @for (item of actionItems(); track item.id) {
          @if (item.danger) {
            <div class="my-1.5 h-px bg-line" role="separator"></div>
          }
          <button
            type="button"
            cdkMenuItem
            class="flex w-full cursor-pointer items-center px-3 py-1.5 text-left outline-none hover:bg-surface-muted focus:bg-surface-muted"
            [class.text-danger]="item.danger"
            [attr.data-action]="item.id"
            (cdkMenuItemTriggered)="run(item.id, true)"
          >
            {{ item.label }}
          </button>
        }
      </div>
    </ng-template>
    @if (!editing()) {
      <app-message-extras [message]="m" [archived]="archived()" />
    }
    @if (error(); as text) {
      <p role="alert" class="text-xs text-danger">{{ text }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Hovering anywhere on the message (its reactions too) shows its toolbar, as in Slack.
  host: { class: 'group block' },
})
export class MessageBody {
  protected readonly chat = inject(ChatStore);
  protected readonly messages = inject(MessagesStore);
  protected readonly channels = inject(ChannelsStore);
  protected readonly actions = inject(MessageActions);
  protected readonly threads = inject(ThreadStore);
  private readonly dialog = inject(Dialog);
  private readonly injector = inject(Injector);
  readonly message = input.required<ChatMessage>();
  /** The channel is archived: read-only, so nothing is edited. */
  readonly archived = input(false);
  /** Shown in the thread panel (the root or a reply): a thread has no threads, so no "Reply in thread". */
  readonly inThread = input(false);

  private readonly line = viewChild.required<ElementRef<HTMLElement>>('line');
  private readonly trigger = viewChild<CdkMenuTrigger>('trigger');
  private readonly more = viewChild<ElementRef<HTMLElement>>('more');
  protected readonly menuPositions = MENU_POSITIONS;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The picker opened from the ⋯ menu is open: the toolbar stays shown, as on hover. */
  protected readonly pickingFromMenu = signal(false);
  // A message deleted meanwhile (by a moderator, or in another tab) is not edited any more.
  protected readonly editing = computed(() => this.messages.editingId() === this.message().id && !this.message().deletedAt);
  protected readonly changeable = computed(() => this.message().state === 'sent' && !this.message().deletedAt);
  private readonly permissions = computed(() => this.channels.workspace()?.permissions ?? []);
  /** Everything this message offers, for the ⋯ menu and the long-press sheet. */
  protected readonly actionItems = computed(() =>
    messageActionsFor(this.message(), { me: this.channels.me(), permissions: this.permissions(), archived: this.archived(), inThread: this.inThread() }),
  );
  private readonly offers = computed(() => new Set(this.actionItems().map((a) => a.id)));
  // A reply also sent to the channel opens its root's thread.
  protected readonly canReply = computed(() => this.offers().has('reply'));
  protected readonly canEdit = computed(() => this.offers().has('edit'));
  protected readonly canDelete = computed(() => this.offers().has('delete'));
  /** "(edited)" opens the edit history for the sender and holders of audit.read or ediscovery.export (as the server allows). */
  protected readonly canSeeHistory = computed(() => canReadVersions(this.message(), this.channels.me(), this.permissions()));

  /** A finger held on the line opens its actions as a sheet (phones; the hover toolbar is off there). */
  protected readonly press = new LongPress(() => this.onLongPress());
  private readonly cancelPress = () => this.endPress();
  private swallowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.endPress();
      clearTimeout(this.swallowTimer);
      window.removeEventListener('click', swallowClick, true);
    });
  }

  /** Runs one of the message's actions (from the ⋯ menu, the sheet or a toolbar button). */
  protected async run(id: MessageActionId, fromMenu = false): Promise<void> {
    const m = this.message();
    switch (id) {
      case 'reply':
        this.threads.openThread(m.threadRootId ?? m.id);
        return;
      case 'react':
        this.pickingFromMenu.set(true);
        // Next to the ⋯ button it was asked from; from the sheet (the toolbar is off there), next to the line.
        await this.actions.pickReaction(m, (fromMenu ? this.more()?.nativeElement : null) ?? this.line().nativeElement).finally(() => this.pickingFromMenu.set(false));
        return;
      case 'forward':
        openForward(this.dialog, m);
        return;
      case 'copy-link':
        this.actions.copyLink(m);
        return;
      case 'copy-text':
        this.actions.copyText(m);
        return;
      case 'pin':
      case 'unpin':
        await this.actions.togglePin(m);
        return;
      case 'edit':
        this.startEditing();
        return;
      case 'history':
        this.actions.openHistory(m);
        return;
      case 'delete':
        await this.confirmDelete();
        return;
    }
  }

  /** On the focused line, the context-menu key (or Shift+F10) opens the ⋯ menu, as a right-click menu would. */
  protected onLineKey(event: KeyboardEvent): void {
    if (event.target !== this.line().nativeElement) return;
    if (event.key !== 'ContextMenu' && !(event.key === 'F10' && event.shiftKey)) return;
    const trigger = this.trigger();
    if (!trigger) return;
    event.preventDefault();
    trigger.open();
    trigger.getMenu()?.focusFirstItem('keyboard');
  }

  protected onPointerDown(event: PointerEvent): void {
    if (this.editing() || !this.changeable()) return;
    this.press.down(event.clientX, event.clientY, event.pointerType);
    // The browser takes a drag as a scroll (pointercancel); any scroll meanwhile ends the press too.
    if (this.press.pending) document.addEventListener('scroll', this.cancelPress, { capture: true, passive: true });
  }

  protected endPress(): void {
    this.press.cancel();
    document.removeEventListener('scroll', this.cancelPress, { capture: true });
  }

  /** A finger held on the text would select it or open the browser's menu: the long press is ours. */
  protected onContextMenu(event: Event): void {
    if (this.press.pending || this.press.fired) event.preventDefault();
  }

  private onLongPress(): void {
    document.removeEventListener('scroll', this.cancelPress, { capture: true });
    // The click the browser may send when the finger lifts would land on the sheet's shade and close it.
    window.addEventListener('click', swallowClick, true);
    clearTimeout(this.swallowTimer);
    this.swallowTimer = setTimeout(() => window.removeEventListener('click', swallowClick, true), 800);
    navigator.vibrate?.(10);
    void this.openSheet();
  }

  private async openSheet(): Promise<void> {
    const m = this.message();
    const actions = this.actionItems();
    if (!actions.length) return;
    const choice = await openMessageActionSheet(this.dialog, this.injector, { sender: this.channels.displayName(m.senderId), text: m.text, actions });
    if (!choice) return;
    if ('react' in choice) await this.actions.react(this.message(), choice.react);
    else await this.run(choice.action);
  }

  protected startEditing(): void {
    this.error.set(null);
    this.messages.editingId.set(this.message().id);
  }

  protected stopEditing(): void {
    if (this.editing()) this.messages.editingId.set(null);
  }

  protected async save(text: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.messages.edit(this.message(), text);
      this.stopEditing();
    } catch (error) {
      this.error.set(messageChangeError('edit', toApiError(error)));
    } finally {
      this.busy.set(false);
    }
  }

  protected async confirmDelete(): Promise<void> {
    this.error.set(null);
    const ref = this.dialog.open<boolean, DeleteMessageData>(DeleteMessageDialog, {
      data: { text: this.message().text },
      ariaLabelledBy: 'delete-message-title',
    });
    if ((await firstValueFrom(ref.closed)) !== true) return;
    try {
      await this.messages.remove(this.message());
    } catch (error) {
      this.error.set(messageChangeError('delete', toApiError(error)));
    }
  }

  protected relative(iso: string): string {
    const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 24) return `${hours} h ago`;
    return `${Math.round(hours / 24)} d ago`;
  }
}

/** Swallows one click (the one after a long press), in the capture phase before anything sees it. */
function swallowClick(event: Event): void {
  event.stopPropagation();
  event.preventDefault();
  window.removeEventListener('click', swallowClick, true);
}
