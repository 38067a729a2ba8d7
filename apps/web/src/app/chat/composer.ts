import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, signal, untracked, viewChild } from '@angular/core';

import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { Drafts } from './drafts';
import { MessagesStore } from './messages-store';

/** Tell others we are typing at most this often. */
const TYPING_EVERY_MS = 3000;

@Component({
  selector: 'app-composer',
  template: `
    <form class="border-t border-line p-3" (submit)="$event.preventDefault(); send()">
      <label for="composer" class="sr-only">Message</label>
      <div class="flex items-end gap-2 rounded-lg border border-line-strong bg-surface px-3 py-2 focus-within:border-brand-500">
        <textarea
          #box
          id="composer"
          rows="1"
          class="max-h-48 min-h-6 flex-1 resize-none bg-transparent text-sm outline-none"
          [placeholder]="placeholder()"
          [value]="text()"
          (input)="onInput($any($event.target).value)"
          (keydown)="onKey($event)"
          (blur)="stopTyping()"
          aria-label="Message"
        ></textarea>
        <button type="submit" class="btn btn-primary h-8 px-3" [disabled]="!text().trim()" aria-label="Send">Send</button>
      </div>
      <p class="mt-1 hidden text-xs text-faint sm:block">Enter to send · Shift+Enter for a new line · ↑ to edit your last message</p>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  private readonly store = inject(ChatStore);
  private readonly drafts = inject(Drafts);
  private readonly socket = inject(SocketService);
  private readonly channels = inject(ChannelsStore);
  private readonly messages = inject(MessagesStore);
  readonly channelId = input.required<string>();
  readonly placeholder = input('Message');
  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');
  protected readonly text = signal('');
  private lastTypingAt = 0;

  constructor() {
    effect(() => {
      const id = this.channelId();
      untracked(() => {
        this.text.set(this.drafts.get(id));
        queueMicrotask(() => this.box()?.nativeElement.focus());
      });
    });
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.drafts.set(this.channelId(), value);
    this.resize();
    if (!value.trim()) return this.stopTyping();
    if (Date.now() - this.lastTypingAt > TYPING_EVERY_MS) {
      this.lastTypingAt = Date.now();
      this.socket.notify('typingStart', { channelId: this.channelId() });
    }
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && !this.text() && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      // As in Slack: ↑ in an empty composer edits one's last message here.
      const me = this.channels.me();
      const last = me ? this.messages.lastOwnMessage(this.channelId(), me) : null;
      if (!last) return;
      event.preventDefault();
      this.messages.editingId.set(last.id);
    }
  }

  protected send(): void {
    const text = this.text();
    if (!text.trim()) return;
    this.store.send(this.channelId(), text);
    this.text.set('');
    this.drafts.set(this.channelId(), '');
    this.lastTypingAt = 0;
    queueMicrotask(() => this.resize());
  }

  protected stopTyping(): void {
    if (!this.lastTypingAt) return;
    this.lastTypingAt = 0;
    this.socket.notify('typingStop', { channelId: this.channelId() });
  }

  private resize(): void {
    const element = this.box()?.nativeElement;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 192)}px`;
  }
}
