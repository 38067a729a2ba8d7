import type { ListRange } from '@angular/cdk/collections';
import type { CdkVirtualScrollViewport, VirtualScrollStrategy } from '@angular/cdk/scrolling';
import { type AfterRenderRef, type Injector, afterEveryRender, untracked } from '@angular/core';
import { Subject, distinctUntilChanged } from 'rxjs';

/** The attribute each rendered row's root element carries, holding the row's key. */
export const ROW_KEY_ATTRIBUTE = 'data-row-key';

// ---- Pure layout math -------------------------------------------------------------------

/** Row tops as prefix sums: `offsets[i]` is where row i starts, `offsets[n]` is the total height. */
export function rowOffsets(heights: ArrayLike<number>): Float64Array {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i] + heights[i];
  return offsets;
}

/** The row at `y`: the last row that starts at or above it, clamped to the rows there are; -1 when there are none. */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return -1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle] <= y) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The largest scroll offset: the end of the last row at the bottom of the viewport. */
export function maxScrollTop(offsets: Float64Array, viewportSize: number): number {
  return Math.max(0, offsets[offsets.length - 1] - viewportSize);
}

/** The rows to render for a viewport at `scrollTop`, with `buffer` px of rows beyond each edge. */
export function rangeFor(offsets: Float64Array, scrollTop: number, viewportSize: number, buffer: number): ListRange {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, scrollTop - buffer));
  const last = rowAt(offsets, scrollTop + viewportSize + buffer);
  return { start, end: Math.min(count, Math.max(start, last) + 1) };
}

/** Whether `range` fills the viewport at `scrollTop` and at least `buffer` px beyond each edge (as far as there are rows). */
export function coversViewport(
  offsets: Float64Array,
  range: ListRange,
  scrollTop: number,
  viewportSize: number,
  buffer: number,
): boolean {
  const count = offsets.length - 1;
  if (range.start < 0 || range.end > count || range.start > range.end) return false;
  if (count === 0) return true;
  if (range.start === range.end) return false;
  const top = Math.max(0, scrollTop - buffer);
  const bottom = Math.min(offsets[count], scrollTop + viewportSize + buffer);
  return offsets[range.start] <= top && offsets[range.end] >= bottom;
}

/**
 * Heights of a list of keyed rows: measured where a row has been rendered (remembered by key, so
 * a row keeps its height when rows are added before it), estimated elsewhere, and the offsets
 * that follow from them. No DOM: the strategy below feeds it measurements.
 */
export class RowHeights<T extends { key: string }> {
  private rows: readonly T[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly measured = new Map<string, number>();
  private heights: Float64Array = new Float64Array(0);
  offsets: Float64Array = new Float64Array(1);

  constructor(private readonly estimate: (row: T) => number) {}

  get count(): number {
    return this.rows.length;
  }

  get total(): number {
    return this.offsets[this.rows.length];
  }

  /** Takes a new list of rows; measurements of rows that are gone are forgotten. */
  setRows(rows: readonly T[]): void {
    this.rows = rows;
    this.indexByKey.clear();
    rows.forEach((row, index) => this.indexByKey.set(row.key, index));
    for (const key of this.measured.keys()) if (!this.indexByKey.has(key)) this.measured.delete(key);
    this.heights = Float64Array.from(rows, (row) => this.measured.get(row.key) ?? this.estimate(row));
    this.offsets = rowOffsets(this.heights);
  }

  /** Records measured heights of rows (by key); true when any row's height changed by half a pixel or more. */
  measure(entries: Iterable<readonly [string, number]>): boolean {
    let firstChanged = -1;
    for (const [key, height] of entries) {
      const index = this.indexByKey.get(key);
      if (index === undefined) continue;
      this.measured.set(key, height);
      if (Math.abs(this.heights[index] - height) >= 0.5) {
        this.heights[index] = height;
        if (firstChanged < 0 || index < firstChanged) firstChanged = index;
      }
    }
    if (firstChanged < 0) return false;
    for (let i = firstChanged; i < this.heights.length; i++) this.offsets[i + 1] = this.offsets[i] + this.heights[i];
    return true;
  }

  indexOf(key: string): number {
    return this.indexByKey.get(key) ?? -1;
  }

  row(index: number): T | undefined {
    return this.rows[index];
  }
}

// ---- The strategy -------------------------------------------------------------------------

export interface VariableHeightRows<T extends { key: string }> {
  /** The rows, in the order the list shows them (the same array the list's `cdkVirtualFor` gets). */
  rows: () => readonly T[];
  /** A height for a row that has not been rendered yet. */
  estimate: (row: T) => number;
  /** Rows that may hold the view still when rows change above them (default: every row). */
  anchorable?: (row: T) => boolean;
  /** Called on every scroll event, after the strategy has noted what the person is looking at. */
  scrolled?: () => void;
}

/**
 * Which row holds the view still, and where its bottom edge is relative to the top of the viewport.
 * The bottom edge, because a row's top part can change when rows arrive above it (a day separator
 * or the sender's name goes away when the row joins the group above), while its text stays put.
 */
interface Anchor {
  key: string;
  bottom: number;
}

/**
 * A `VirtualScrollStrategy` for rows of different heights, made for a chat log: it renders the
 * rows near the viewport (plus a buffer), measures them after each render and keeps their heights
 * by key, and keeps what the person is looking at in place when rows are added above (older
 * history) or when measured heights differ from the estimates. While stuck to the bottom it keeps
 * the newest row in view instead.
 *
 * Each rendered row's root element must carry `data-row-key` with the row's key.
 */
export class VariableHeightScrollStrategy<T extends { key: string }> implements VirtualScrollStrategy {
  private readonly indexChange = new Subject<number>();
  readonly scrolledIndexChange = this.indexChange.pipe(distinctUntilChanged());

  private readonly heights: RowHeights<T>;
  private viewport: CdkVirtualScrollViewport | null = null;
  private element: HTMLElement | null = null;
  private snapshot: readonly T[] = [];
  private stick = true;
  private anchor: Anchor | null = null;
  /** The total size last given to the viewport. */
  private total = -1;
  /** Something changed that the next render must settle (measure, restore the view). */
  private dirty = false;
  private resizeObserver: ResizeObserver | null = null;
  private renderHook: AfterRenderRef | null = null;
  private readonly onScrollEvent = () => this.scrolled();

  constructor(
    private readonly config: VariableHeightRows<T>,
    private readonly injector: Injector,
    private readonly minBufferPx = 300,
    private readonly maxBufferPx = 700,
  ) {
    this.heights = new RowHeights(config.estimate);
  }

  attach(viewport: CdkVirtualScrollViewport): void {
    this.viewport = viewport;
    const element = viewport.getElementRef().nativeElement;
    this.element = element;
    element.addEventListener('scroll', this.onScrollEvent, { passive: true });
    const content = element.querySelector('.cdk-virtual-scroll-content-wrapper');
    // Runs after layout and before paint: a new viewport size, or rendered rows that changed height.
    this.resizeObserver = new ResizeObserver((entries) => {
      if (entries.some((entry) => entry.target === element)) viewport.checkViewportSize();
      this.settle();
    });
    this.resizeObserver.observe(element);
    if (content) this.resizeObserver.observe(content);
    this.renderHook = afterEveryRender(
      () => {
        if (this.dirty) this.settle();
      },
      { injector: this.injector },
    );
    this.adoptRows();
    this.layout(this.targetScrollTop(), true);
  }

  detach(): void {
    this.element?.removeEventListener('scroll', this.onScrollEvent);
    this.resizeObserver?.disconnect();
    this.renderHook?.destroy();
    this.indexChange.complete();
    this.resizeObserver = null;
    this.renderHook = null;
    this.viewport = null;
    this.element = null;
  }

  onContentScrolled(): void {
    this.layout(this.scrollTop(), false);
  }

  /** Also called when the viewport changes size. */
  onDataLengthChanged(): void {
    this.adoptRows();
    this.layout(this.targetScrollTop(), true);
    this.dirty = true;
  }

  onContentRendered(): void {
    this.settle();
  }

  onRenderedOffsetChanged(): void {
    this.settle();
  }

  scrollToIndex(index: number): void {
    const row = this.heights.row(index);
    if (!row) return;
    this.stick = false;
    this.anchor = { key: row.key, bottom: this.heights.offsets[index + 1] - this.heights.offsets[index] };
    this.moveTo(this.heights.offsets[index]);
  }

  /** Follow the newest row (true) or hold the current view still (false). */
  stickToBottom(stick: boolean): void {
    if (stick === this.stick) return;
    this.stick = stick;
    if (!stick) this.captureAnchor();
  }

  /** Shows the newest row and follows it from now on. */
  scrollToBottom(): void {
    this.stick = true;
    this.moveTo(maxScrollTop(this.heights.offsets, this.viewportSize()));
  }

  scrollTop(): number {
    return this.element?.scrollTop ?? 0;
  }

  /** How far the viewport's bottom is above the end of the list, in px (by the heights known now). */
  distanceFromBottom(): number {
    return this.heights.total - this.viewportSize() - this.scrollTop();
  }

  private scrolled(): void {
    this.captureAnchor();
    this.config.scrolled?.();
  }

  private viewportSize(): number {
    return this.viewport?.getViewportSize() || this.element?.clientHeight || 0;
  }

  /** Takes the list's current rows, unless the list has not received them yet (its length differs). */
  private adoptRows(): void {
    const rows = untracked(this.config.rows);
    if (rows === this.snapshot || !this.viewport || rows.length !== this.viewport.getDataLength()) return;
    this.snapshot = rows;
    this.heights.setRows(rows);
  }

  /** Where the view should be by the heights known now: at the bottom, or where the anchor row is at its place. */
  private targetScrollTop(): number {
    if (this.stick) return maxScrollTop(this.heights.offsets, this.viewportSize());
    const index = this.anchor ? this.heights.indexOf(this.anchor.key) : -1;
    return index < 0 || !this.anchor ? this.scrollTop() : Math.max(0, this.heights.offsets[index + 1] - this.anchor.bottom);
  }

  /**
   * Sets the total size, and the rendered range (when it no longer covers the viewport at
   * `scrollTop`, or `force`) with its offset. True when the viewport has to render again.
   */
  private layout(scrollTop: number, force: boolean): boolean {
    const viewport = this.viewport;
    if (!viewport) return false;
    const offsets = this.heights.offsets;
    const size = this.viewportSize();
    const before = viewport.getRenderedRange();
    const beforeOffset = viewport.getOffsetToRenderedContentStart();
    let range = before;
    if (force || !coversViewport(offsets, range, scrollTop, size, this.minBufferPx)) {
      range = rangeFor(offsets, scrollTop, size, this.maxBufferPx);
    }
    const offset = range.start < offsets.length ? offsets[range.start] : 0;
    const total = this.heights.total;
    const changed = range.start !== before.start || range.end !== before.end || beforeOffset !== offset || total !== this.total;
    this.total = total;
    viewport.setTotalContentSize(total);
    viewport.setRenderedRange(range);
    viewport.setRenderedContentOffset(offset);
    this.indexChange.next(Math.max(0, rowAt(offsets, scrollTop)));
    if (changed) this.dirty = true;
    return changed;
  }

  /** Scrolls to `scrollTop` once the rows there are rendered. */
  private moveTo(scrollTop: number): void {
    if (this.layout(scrollTop, false)) return; // settle() scrolls after the render
    if (this.element) this.element.scrollTop = scrollTop;
    this.dirty = true;
  }

  /** Notes the first row in view (that may anchor), and where its bottom edge is. */
  private captureAnchor(): void {
    const element = this.element;
    if (!element) return;
    const { top: viewportTop, bottom: viewportBottom } = element.getBoundingClientRect();
    const rendered = this.renderedRows();
    let low = 0;
    let high = rendered.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (rendered[middle].getBoundingClientRect().bottom > viewportTop + 0.5) high = middle;
      else low = middle + 1;
    }
    for (let i = low; i < rendered.length; i++) {
      const rect = rendered[i].getBoundingClientRect();
      if (rect.top >= viewportBottom) break;
      const key = rendered[i].getAttribute(ROW_KEY_ATTRIBUTE) ?? '';
      if (this.mayAnchor(this.heights.indexOf(key))) {
        this.anchor = { key, bottom: rect.bottom - viewportTop };
        return;
      }
    }
    // Nothing rendered in view (just after a jump, before the rows there are rendered): there is no
    // continuity to keep; settle() notes the anchor once they are.
    this.anchor = null;
  }

  private mayAnchor(index: number): boolean {
    const row = index < 0 ? undefined : this.heights.row(index);
    return !!row && (this.config.anchorable?.(row) ?? true);
  }

  private renderedRows(): HTMLElement[] {
    return this.element ? Array.from(this.element.querySelectorAll<HTMLElement>(`[${ROW_KEY_ATTRIBUTE}]`)) : [];
  }

  /**
   * After a render (or a resize of the rendered rows): measures the rendered rows, puts the view
   * back where it belongs (the bottom, or the anchor row at its place on screen), and renders more
   * rows if the view is no longer covered.
   */
  private settle(): void {
    this.dirty = false;
    const element = this.element;
    if (!element || !this.viewport) return;
    const size = this.viewportSize();
    if (size === 0 || element.clientHeight === 0) return; // not shown: nothing to measure
    this.adoptRows();

    const rendered = this.renderedRows();
    const viewportTop = element.getBoundingClientRect().top;
    let anchorBottom: number | null = null;
    const entries: [string, number][] = [];
    for (const row of rendered) {
      const key = row.getAttribute(ROW_KEY_ATTRIBUTE) ?? '';
      const rect = row.getBoundingClientRect();
      entries.push([key, rect.height]);
      if (this.anchor && key === this.anchor.key) anchorBottom = rect.bottom - viewportTop;
    }
    this.heights.measure(entries);

    const scrollTop = element.scrollTop;
    let target = scrollTop;
    if (this.stick) target = maxScrollTop(this.heights.offsets, size);
    else if (this.anchor && anchorBottom !== null) target = scrollTop + anchorBottom - this.anchor.bottom;
    else if (this.anchor) target = this.targetScrollTop();
    if (Math.abs(target - scrollTop) >= 1) element.scrollTop = target;
    // Note again what is in view now: the scroll may have been clamped (at the top), or rows rendered
    // since the anchor was taken (after a jump) may now be the first ones in view.
    if (!this.stick) this.captureAnchor();

    this.layout(element.scrollTop, false);
  }
}
