import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FILES_PER_MESSAGE_MAX } from '@parley/contracts';

import { SocketService } from '../core/realtime/socket';
import { ChannelsStore } from './channels-store';
import { ChatStore } from './chat-store';
import { Drafts } from './drafts';
import { composerKey, MentionNoticeBar } from './mention-notices';
import { MentionList, type MentionOption, MentionSuggest } from './mention-suggest';
import { decodeMentions, encodeMentions, type MentionPick, picksInText } from './mention-tokens';
import { MessagesStore } from './messages-store';
import { ThreadStore } from './thread-store';
import { UploadChips } from './upload-chips';
import { UploadQueue } from './upload-queue';

/** Tell others we are typing at most this often. */
const TYPING_EVERY_MS = 3000;

@Component({
  selector: 'app-composer',
  imports: [MentionList, MentionNoticeBar, UploadChips],
  providers: [MentionSuggest, UploadQueue],
  template: `
    <form class="border-t border-line p-3" (submit)="$event.preventDefault(); send()">
      <label [for]="boxId()" class="sr-only">{{ label() }}</label>
      <app-upload-chips [queue]="uploads" />
      <div class="relative flex items-end gap-2 rounded-lg border border-line-strong bg-surface px-3 py-2 focus-within:border-brand-500">
        <input #picker type="file" multiple class="hidden" [attr.data-testid]="boxId() + '-file-input'" (change)="onPicked(picker)" tabindex="-1" aria-hidden="true" />
        <button
          type="button"
          class="btn btn-ghost -ml-1 h-8 shrink-0 px-1.5 text-muted hover:text-ink"
          aria-label="Attach files"
          title="Attach files (or drop them, or paste)"
          [disabled]="uploads.items().length >= maxFiles"
          (click)="picker.click()"
        >
          <svg class="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path
              fill-rule="evenodd"
              d="M15.62 3.38a3.25 3.25 0 0 0-4.6 0L4.47 9.94a4.75 4.75 0 0 0 6.72 6.72l5.03-5.03a.75.75 0 1 1 1.06 1.06l-5.03 5.03a6.25 6.25 0 1 1-8.84-8.84l6.56-6.56a4.75 4.75 0 1 1 6.72 6.72l-6.4 6.4a3.25 3.25 0 1 1-4.6-4.6l5.28-5.28a.75.75 0 1 1 1.06 1.06l-5.28 5.28a1.75 1.75 0 1 0 2.47 2.47l6.4-6.4a3.25 3.25 0 0 0 0-4.6Z"
              clip-rule="evenodd"
            />
          </svg>
        </button>
        @if (suggest.open()) {
          <app-mention-list [listId]="boxId() + '-mentions'" [options]="suggest.options()" [active]="suggest.active()" (picked)="pick($event)" (hovered)="suggest.active.set($event)" />
        }
        <textarea
          #box
          [id]="boxId()"
          rows="1"
          class="max-h-48 min-h-6 flex-1 resize-none bg-transparent text-sm outline-none"
          [placeholder]="placeholder()"
          [value]="text()"
          (input)="onInput($any($event.target).value)"
          (keydown)="onKey($event)"
          (paste)="onPaste($event)"
          (keyup)="followCaret()"
          (click)="followCaret()"
          (blur)="stopTyping(); suggest.close()"
          [attr.aria-label]="label()"
          aria-autocomplete="list"
          [attr.aria-controls]="suggest.open() ? boxId() + '-mentions' : null"
          [attr.aria-activedescendant]="suggest.open() ? boxId() + '-mentions-' + suggest.active() : null"
        ></textarea>
        <button type="submit" class="btn btn-primary h-8 px-3" [disabled]="!canSend()" aria-label="Send" [title]="uploads.uploading() ? 'Waiting for uploads to finish' : ''">Send</button>
      </div>
      @if (threadRootId() && alsoSendLabel()) {
        <label class="mt-2 flex w-fit cursor-pointer items-center gap-2 text-xs text-muted">
          <input type="checkbox" class="size-3.5 accent-brand-600" [checked]="alsoToChannel()" (change)="alsoToChannel.set($any($event.target).checked)" />
          {{ alsoSendLabel() }}
        </label>
      }
      <app-mention-notice [key]="draftKey()" />
      <p class="mt-1 hidden text-xs text-faint sm:block">Enter to send · Shift+Enter for a new line · ↑ to edit your last {{ threadRootId() ? 'reply' : 'message' }}</p>
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
  private readonly threads = inject(ThreadStore);
  protected readonly suggest = inject(MentionSuggest);
  readonly channelId = input.required<string>();
  readonly placeholder = input('Message');
  /** Set in the thread panel: what is sent is a reply in this thread. */
  readonly threadRootId = input<string | null>(null);
  /** In a thread: the label of the "also send to the channel" checkbox (none without one). */
  readonly alsoSendLabel = input('');
  protected readonly alsoToChannel = signal(false);
  protected readonly boxId = computed(() => (this.threadRootId() ? 'thread-composer' : 'composer'));
  protected readonly label = computed(() => (this.threadRootId() ? 'Reply' : 'Message'));
  /** Drafts are kept per channel, and per thread apart from its channel. */
  protected readonly draftKey = computed(() => composerKey(this.channelId(), this.threadRootId()));
  private readonly box = viewChild<ElementRef<HTMLTextAreaElement>>('box');
  protected readonly text = signal('');
  /** The files being attached to the next message (uploaded at once, sent as its fileIds). */
  protected readonly uploads = inject(UploadQueue);
  protected readonly maxFiles = FILES_PER_MESSAGE_MAX;
  /** Text, or files, or both; never while a file is still uploading or failed (it would go missing). */
  protected readonly canSend = computed(() => (!!this.text().trim() || this.uploads.fileIds().length > 0) && this.uploads.ready());
  /** The names picked from the list that are in the text: they become tokens on send (and in the draft). */
  private picks: MentionPick[] = [];
  private lastTypingAt = 0;

  constructor() {
    effect(() => {
      const id = this.draftKey();
      const channelId = this.channelId();
      untracked(() => {
        this.alsoToChannel.set(false);
        this.uploads.setChannel(channelId, id);
        this.suggest.channelId.set(channelId);
        this.suggest.close();
        // The draft keeps tokens (so a name picked stays picked across a switch); the box shows names.
        const draft = decodeMentions(this.drafts.get(id), this.channels);
        this.text.set(draft.text);
        this.picks = draft.picks;
        queueMicrotask(() => this.box()?.nativeElement.focus());
      });
    });
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.picks = picksInText(value, this.picks);
    this.drafts.set(this.draftKey(), encodeMentions(value, this.picks));
    this.followCaret();
    this.resize();
    // Typing shows under the channel's log (the contract has no thread for it): a reply being written does not say so there.
    if (this.threadRootId()) return;
    if (!value.trim()) return this.stopTyping();
    if (Date.now() - this.lastTypingAt > TYPING_EVERY_MS) {
      this.lastTypingAt = Date.now();
      this.socket.notify('typingStart', { channelId: this.channelId() });
    }
  }

  protected onKey(event: KeyboardEvent): void {
    const taken = this.suggest.onKey(event);
    if (typeof taken === 'object') return this.pick(taken);
    if (taken) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && !this.text() && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      // As in Slack: ↑ in an empty composer edits one's last message here.
      const me = this.channels.me();
      const root = this.threadRootId();
      const last = !me ? null : root ? this.threads.lastOwnReply(root, me) : this.messages.lastOwnMessage(this.channelId(), me);
      if (!last) return;
      event.preventDefault();
      this.messages.editingId.set(last.id);
    }
  }

  /** Where the caret is now decides what the list offers (typing, a click, ←/→). */
  protected followCaret(): void {
    const element = this.box()?.nativeElement;
    if (element) this.suggest.follow(element);
  }

  /** Puts the name picked in the text and remembers what it stands for. */
  protected pick(option: MentionOption): void {
    const element = this.box()?.nativeElement;
    if (!element) return;
    this.picks = this.suggest.pickInto(element, option, this.picks);
    this.onInput(element.value);
  }

  /** Files dropped on the channel view (or given by anything else): attached like the button's. */
  attach(files: readonly File[]): void {
    this.uploads.add(files);
    queueMicrotask(() => this.box()?.nativeElement.focus());
  }

  protected onPicked(picker: HTMLInputElement): void {
    this.attach(Array.from(picker.files ?? []));
    picker.value = ''; // the same file may be picked again after a cancel
  }

  /** A pasted screenshot (or files copied in a file manager) is attached; pasted text goes in the box as usual. */
  protected onPaste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.files ?? []);
    if (!files.length) return;
    event.preventDefault();
    const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '.');
    // A screenshot comes as "image.png": named for when it was pasted, as other chat apps do.
    this.attach(files.map((f) => (f.name === 'image.png' || !f.name ? new File([f], `Pasted image ${stamp}.png`, { type: f.type }) : f)));
  }

  protected send(): void {
    const text = this.text();
    if (!this.canSend()) return;
    const root = this.threadRootId();
    const files = this.uploads.files();
    this.store.send(this.channelId(), encodeMentions(text, this.picks), root ? { rootId: root, alsoInChannel: this.alsoToChannel() } : undefined, files);
    this.uploads.clear();
    this.picks = [];
    this.suggest.close();
    this.text.set('');
    this.alsoToChannel.set(false);
    this.drafts.set(this.draftKey(), '');
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
