import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, type OnInit, afterNextRender, inject, input, output, signal, viewChild } from '@angular/core';

/** The inline editor that takes a message's place: Enter saves, Esc cancels, Shift+Enter is a new line. */
@Component({
  selector: 'app-message-editor',
  template: `
    <form class="min-w-0 flex-1" (submit)="$event.preventDefault(); save()">
      <label [for]="inputId()" class="sr-only">Edit message</label>
      <textarea
        #box
        [id]="inputId()"
        rows="2"
        class="field-input max-h-48 min-h-12 w-full resize-y text-sm"
        [value]="draft()"
        [disabled]="busy()"
        (input)="draft.set($any($event.target).value)"
        (keydown)="onKey($event)"
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
  /** The text to start from. */
  readonly text = input.required<string>();
  readonly inputId = input.required<string>();
  readonly busy = input(false);
  /** The new text (only when it changed and is not blank). */
  readonly saved = output<string>();
  readonly cancelled = output<void>();
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  protected readonly draft = signal('');

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
    this.draft.set(this.text());
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancelled.emit();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.save();
    }
  }

  protected save(): void {
    const text = this.draft();
    if (!text.trim() || this.busy()) return;
    if (text === this.text()) this.cancelled.emit();
    else this.saved.emit(text);
  }
}
