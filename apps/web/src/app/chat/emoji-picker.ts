import { Dialog, DialogRef } from '@angular/cdk/dialog';
import { createFlexibleConnectedPositionStrategy, createRepositionScrollStrategy } from '@angular/cdk/overlay';
import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

/** What emoji-mart calls onEmojiSelect with (the part used here). */
interface PickedEmoji {
  native: string;
}

/**
 * The full emoji picker (emoji-mart: search, categories, skin tones) in a popover. emoji-mart and
 * its data are loaded the first time it opens, so they stay out of the initial bundle. Closes with
 * the emoji picked, or undefined (Escape, a click outside); the CDK dialog returns focus to the
 * button that opened it.
 */
@Component({
  selector: 'app-emoji-picker',
  template: `
    @if (loading()) {
      <p class="p-4 text-sm text-muted">Loading emoji…</p>
    }
    @if (failed()) {
      <p role="alert" class="p-4 text-sm text-danger">The emoji could not be loaded. Check your connection and try again.</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block rounded-xl border border-line bg-surface shadow-xl', 'data-testid': 'emoji-picker' },
})
export class EmojiPicker {
  private readonly ref = inject<DialogRef<string>>(DialogRef);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly loading = signal(true);
  protected readonly failed = signal(false);

  constructor() {
    afterNextRender(() => void this.mount());
    // emoji-mart takes Escape for its search box (and keeps it from the dialog): taken first here,
    // so Escape closes the picker wherever the focus is in it.
    this.host.nativeElement.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        this.ref.close();
      },
      { capture: true },
    );
  }

  private async mount(): Promise<void> {
    try {
      const [{ Picker }, { default: data }] = await Promise.all([import('emoji-mart'), import('@emoji-mart/data')]);
      const picker = new Picker({
        data,
        onEmojiSelect: (emoji: PickedEmoji) => this.ref.close(emoji.native),
        autoFocus: true,
        // The app follows the system's light or dark scheme (styles.css), and so does the picker.
        theme: 'auto',
        skinTonePosition: 'search',
        previewPosition: 'none',
        navPosition: 'top',
        maxFrequentRows: 2,
      }) as unknown as HTMLElement;
      this.host.nativeElement.appendChild(picker);
    } catch {
      this.failed.set(true);
    } finally {
      this.loading.set(false);
    }
  }
}

/** Opens the picker next to `origin` (below it, or above when there is no room); resolves to the emoji picked. */
export async function pickEmoji(dialog: Dialog, injector: Injector, origin: HTMLElement): Promise<string | undefined> {
  const positionStrategy = createFlexibleConnectedPositionStrategy(injector, origin)
    .withPositions([
      { originX: 'end', originY: 'bottom', overlayX: 'end', overlayY: 'top', offsetY: 4 },
      { originX: 'end', originY: 'top', overlayX: 'end', overlayY: 'bottom', offsetY: -4 },
      { originX: 'start', originY: 'bottom', overlayX: 'start', overlayY: 'top', offsetY: 4 },
    ])
    .withPush(true)
    .withViewportMargin(8);
  const ref = dialog.open<string>(EmojiPicker, {
    positionStrategy,
    scrollStrategy: createRepositionScrollStrategy(injector),
    hasBackdrop: true,
    backdropClass: 'cdk-overlay-transparent-backdrop',
    ariaLabel: 'Pick an emoji',
    restoreFocus: origin,
    // emoji-mart focuses its search box itself once it is in.
    autoFocus: false,
  });
  return firstValueFrom(ref.closed);
}
