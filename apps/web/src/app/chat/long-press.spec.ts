import { LONG_PRESS_MS, LongPress, type LongPressTimers } from './long-press';

/** Timers driven by hand: `advance(ms)` runs what is due. */
class HandTimers implements LongPressTimers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  set(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.due]) {
      if (timer.at <= this.now) {
        this.due.delete(id);
        timer.callback();
      }
    }
  }
  get waiting(): number {
    return this.due.size;
  }
}

describe('LongPress (a finger held on a message opens its actions)', () => {
  let timers: HandTimers;
  let fired: number;
  let press: LongPress;

  beforeEach(() => {
    timers = new HandTimers();
    fired = 0;
    press = new LongPress(() => fired++, timers);
  });

  it('fires once the finger has stayed down 500 ms, and says the press was a long one', () => {
    press.down(100, 100, 'touch');
    timers.advance(LONG_PRESS_MS - 1);
    expect(fired).toBe(0);
    expect(press.pending).toBe(true);
    timers.advance(1);
    expect(fired).toBe(1);
    expect(press.fired).toBe(true);
    expect(press.pending).toBe(false);
    press.cancel(); // the finger lifts after it fired
    timers.advance(LONG_PRESS_MS * 3);
    expect(fired).toBe(1);
    expect(press.fired).toBe(true);
  });

  it('a short tap does nothing: lifted before 500 ms, it never fires and is not a long press', () => {
    press.down(100, 100, 'touch');
    timers.advance(200);
    press.cancel();
    timers.advance(LONG_PRESS_MS * 2);
    expect(fired).toBe(0);
    expect(press.fired).toBe(false);
    expect(timers.waiting).toBe(0);
  });

  it('a small drift (within 10 px) still counts; moving further (a scroll, a swipe) cancels it', () => {
    press.down(100, 100, 'touch');
    press.move(106, 107);
    timers.advance(LONG_PRESS_MS);
    expect(fired).toBe(1);

    press.down(100, 100, 'touch');
    expect(press.fired).toBe(false);
    timers.advance(300);
    press.move(100, 115);
    timers.advance(LONG_PRESS_MS);
    expect(fired).toBe(1);
    expect(press.pending).toBe(false);
  });

  it('the browser taking the gesture (pointercancel when it scrolls) cancels it', () => {
    press.down(10, 10, 'touch');
    timers.advance(499);
    press.cancel();
    timers.advance(10);
    expect(fired).toBe(0);
  });

  it('only a finger starts one: a mouse or a pen press never fires (the mouse has the hover toolbar)', () => {
    press.down(10, 10, 'mouse');
    press.down(10, 10, 'pen');
    timers.advance(LONG_PRESS_MS * 2);
    expect(fired).toBe(0);
    expect(timers.waiting).toBe(0);
  });

  it('a second finger down restarts the timing rather than firing twice', () => {
    press.down(10, 10, 'touch');
    timers.advance(400);
    press.down(50, 50, 'touch');
    timers.advance(400);
    expect(fired).toBe(0);
    timers.advance(100);
    expect(fired).toBe(1);
    expect(timers.waiting).toBe(0);
  });
});
