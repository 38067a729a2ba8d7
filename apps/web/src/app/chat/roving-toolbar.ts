import { DestroyRef, Directive, ElementRef, afterNextRender, inject } from '@angular/core';

/** What in a toolbar takes focus: its buttons, and the read-by count (an image one may focus to hear who read it). */
const ITEMS = 'button:not([disabled]), [role="img"][tabindex]';

/**
 * A toolbar as one stop in the tab order (the ARIA toolbar pattern): Tab reaches the item used
 * last (the first one at first), ←/→ move between the items, Home/End go to the ends. Without
 * it, every message's ten buttons would each be a Tab stop on the way down the log.
 */
@Directive({
  selector: '[appRovingToolbar]',
  host: { '(keydown)': 'onKey($event)', '(focusin)': 'onFocus($event)' },
})
export class RovingToolbar {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private active: HTMLElement | null = null;

  constructor() {
    // Items come and go (pinned, the read count, editing): the stop is kept on one that is there.
    const observer = new MutationObserver(() => this.sync());
    afterNextRender(() => {
      this.sync();
      observer.observe(this.host, { childList: true, subtree: true });
    });
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }

  private items(): HTMLElement[] {
    return Array.from(this.host.querySelectorAll<HTMLElement>(ITEMS));
  }

  private sync(): void {
    const items = this.items();
    const active = this.active && items.includes(this.active) ? this.active : (items[0] ?? null);
    for (const item of items) {
      const index = item === active ? 0 : -1;
      if (item.tabIndex !== index) item.tabIndex = index;
    }
  }

  protected onFocus(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (!this.items().includes(target)) return;
    this.active = target;
    this.sync();
  }

  protected onKey(event: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(event.target as HTMLElement);
    if (at < 0) return;
    const to =
      event.key === 'ArrowRight' ? (at + 1) % items.length
      : event.key === 'ArrowLeft' ? (at - 1 + items.length) % items.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? items.length - 1
      : -1;
    if (to < 0) return;
    event.preventDefault();
    items[to].focus();
  }
}
