import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, type OnInit, afterNextRender, inject, input, output, signal, viewChild } from '@angular/core';

import { ChannelsStore } from './channels-store';
import { MentionList, type MentionOption, MentionSuggest } from './mention-suggest';
import { decodeMentions, encodeMentions, type MentionPick, picksInText } from './mention-tokens';

/**
 * The inline editor that takes a message's place: Enter saves, Esc cancels, Shift+Enter is a new
 * line. Mentions show as names (and autocomplete as in the composer); they are tokens again on save.
 */
@Component({
  selector: 'app-message-editor',
  imports: [MentionList],
  providers: [MentionSuggest],
  template: `
    <form class="relative min-w-0 flex-1" (submit)="$event.preventDefault(); save()">
      <label [for]="inputId()" class="sr-only">Edit message</label>
      @if (suggest.open()) {
        <app-mention-list [listId]="inputId() + '-mentions'" [options]="suggest.options()" [active]="suggest.active()" (picked)="pick($event)" (hovered)="suggest.active.set($event)" />
      }
      <textarea
        #box
        [id]="inputId()"
        rows="2"
        class="field-input max-h-48 min-h-12 w-full resize-y text-sm"
        [value]="draft()"
        [disabled]="busy()"
        (input)="onInput($any($event.target).value)"
        (keydown)="onKey($event)"
        (keyup)="followCaret()"
        (click)="followCaret()"
        (blur)="suggest.close()"
        aria-autocomplete="list"
        [attr.aria-controls]="suggest.open() ? inputId() + '-mentions' : null"
        [attr.aria-activedescendant]="suggest.open() ? inputId() + '-mentions-' + suggest.active() : null"
      ></textarea>
      <div class="mt-1 flex items-center gap-2 text-xs">
        <button type="button" class="btn btn-secondary h-7 px-2 text-xs" [disabled]="busy()" (click)="cancelled.emit()">Cancel</button>
        <button type="submit" class="btn btn-primary h-7 px-2 text-xs" [disabled]="busy() || !draft().trim()">Save</button>
        <span class="text-faint">Enter to save · Esc to cancel</span>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageEditor implements OnInit {
  private readonly channels = inject(ChannelsStore);
  protected readonly suggest = inject(MentionSuggest);
  /** The text to start from, as stored (with mention tokens). */
  readonly text = input.required<string>();
  /** The message's channel (whose people the autocomplete lists first). */
  readonly channelId = input.required<string>();
  readonly inputId = input.required<string>();
  readonly busy = input(false);
  /** The new text, with tokens (only when it changed and is not blank). */
  readonly saved = output<string>();
  readonly cancelled = output<void>();
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  protected readonly draft = signal('');
  private picks: MentionPick[] = [];

  constructor() {
    // Focus goes back where it was (the composer, after ↑); the Edit button it came from is re-made, so the composer then.
    const before = document.activeElement as HTMLElement | null;
    inject(DestroyRef).onDestroy(() =>
      queueMicrotask(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        (before?.isConnected ? before : document.getElementById('composer'))?.focus();
      }),
    );
    afterNextRender(() => {
      const element = this.box().nativeElement;
      element.focus();
      element.setSelectionRange(element.value.length, element.value.length);
    });
  }

  // Taken once: the message changing meanwhile (an edit from another tab) must not wipe what is being typed.
  ngOnInit(): void {
    const { text, picks } = decodeMentions(this.text(), this.channels);
    this.draft.set(text);
    this.picks = picks;
    this.suggest.channelId.set(this.channelId());
  }

  protected onInput(value: string): void {
    this.draft.set(value);
    this.picks = picksInText(value, this.picks);
    this.followCaret();
  }

  protected followCaret(): void {
    this.suggest.follow(this.box().nativeElement);
  }

  protected pick(option: MentionOption): void {
    const element = this.box().nativeElement;
    this.picks = this.suggest.pickInto(element, option, this.picks);
    this.onInput(element.value);
  }

  protected onKey(event: KeyboardEvent): void {
    const taken = this.suggest.onKey(event);
    if (typeof taken === 'object') return this.pick(taken);
    if (taken) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancelled.emit();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.save();
    }
  }

  protected save(): void {
    const text = encodeMentions(this.draft(), this.picks);
    if (!text.trim() || this.busy()) return;
    if (text === this.text()) this.cancelled.emit();
    else this.saved.emit(text);
  }
}
