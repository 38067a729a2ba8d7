/** How long a finger stays down, without moving, to open a message's actions (ms). */
export const LONG_PRESS_MS = 500;
/** How far (px) a finger may drift during a long press; further is a scroll or a swipe. */
export const LONG_PRESS_SLOP_PX = 10;

/** The timer functions LongPress uses (replaced in tests). */
export interface LongPressTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: LongPressTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The timing of a long press (touch only: a mouse has its hover toolbar and right-click). A press
 * fires `fire` once the finger has stayed down LONG_PRESS_MS within LONG_PRESS_SLOP_PX of where it
 * landed; lifting it sooner (a tap), moving further, or a scroll (the browser's pointercancel) ends
 * it without firing. `fired` tells whether the press that just ended was a long one: the click the
 * browser may send after it is then not the person's.
 */
export class LongPress {
  private timer: unknown = null;
  private startX = 0;
  private startY = 0;
  private firedThisPress = false;

  constructor(
    private readonly fire: () => void,
    private readonly timers: LongPressTimers = REAL_TIMERS,
    private readonly delayMs = LONG_PRESS_MS,
    private readonly slopPx = LONG_PRESS_SLOP_PX,
  ) {}

  /** A press is being timed. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** The last press became a long press (until the next one starts). */
  get fired(): boolean {
    return this.firedThisPress;
  }

  down(x: number, y: number, pointerType: string): void {
    this.cancel();
    this.firedThisPress = false;
    if (pointerType !== 'touch') return;
    this.startX = x;
    this.startY = y;
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.firedThisPress = true;
      this.fire();
    }, this.delayMs);
  }

  move(x: number, y: number): void {
    if (this.timer === null) return;
    if (Math.hypot(x - this.startX, y - this.startY) > this.slopPx) this.cancel();
  }

  /** The finger lifted, the browser took the gesture (pointercancel), or something scrolled. */
  cancel(): void {
    if (this.timer === null) return;
    this.timers.clear(this.timer);
    this.timer = null;
  }
}
