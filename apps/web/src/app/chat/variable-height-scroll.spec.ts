import { RowHeights, coversViewport, maxScrollTop, rangeFor, rowAt, rowOffsets } from './variable-height-scroll';

// Five rows: 10, 20, 30, 40, 50 px tall. Tops: 0, 10, 30, 60, 100; the list ends at 150.
const offsets = rowOffsets([10, 20, 30, 40, 50]);

describe('rowOffsets', () => {
  it('gives each row its top and the total at the end', () => {
    expect(Array.from(offsets)).toEqual([0, 10, 30, 60, 100, 150]);
    expect(Array.from(rowOffsets([]))).toEqual([0]);
  });
});

describe('rowAt', () => {
  it('finds the row that contains a position, a row starting exactly there included', () => {
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 9.9)).toBe(0);
    expect(rowAt(offsets, 10)).toBe(1);
    expect(rowAt(offsets, 59)).toBe(2);
    expect(rowAt(offsets, 100)).toBe(4);
  });

  it('clamps to the first and last row, and has nothing to find in an empty list', () => {
    expect(rowAt(offsets, -40)).toBe(0);
    expect(rowAt(offsets, 10_000)).toBe(4);
    expect(rowAt(rowOffsets([]), 0)).toBe(-1);
  });

  it('searches a long list', () => {
    const many = rowOffsets(Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? 60 : 20)));
    const index = 73_210;
    expect(rowAt(many, many[index] + 1)).toBe(index);
    expect(rowAt(many, many[index])).toBe(index);
    expect(rowAt(many, many[index] - 0.5)).toBe(index - 1);
  });
});

describe('maxScrollTop', () => {
  it('puts the end of the list at the bottom of the viewport, or stays at 0 when everything fits', () => {
    expect(maxScrollTop(offsets, 40)).toBe(110);
    expect(maxScrollTop(offsets, 400)).toBe(0);
  });
});

describe('rangeFor', () => {
  it('renders the rows in view plus the buffer on each side', () => {
    // View 60..100 (row 3), buffer 15: 45..115 → rows 2 (30..60) to 4 (100..150).
    expect(rangeFor(offsets, 60, 40, 15)).toEqual({ start: 2, end: 5 });
    // No buffer: only row 3 and the row starting at the view's bottom edge.
    expect(rangeFor(offsets, 60, 40, 0)).toEqual({ start: 3, end: 5 });
  });

  it('stops at the ends of the list', () => {
    expect(rangeFor(offsets, 0, 20, 1000)).toEqual({ start: 0, end: 5 });
    expect(rangeFor(offsets, 0, 5, 0)).toEqual({ start: 0, end: 1 });
    expect(rangeFor(rowOffsets([]), 0, 100, 100)).toEqual({ start: 0, end: 0 });
  });
});

describe('coversViewport', () => {
  it('is true when the rendered rows reach the buffer on both sides of the view', () => {
    expect(coversViewport(offsets, { start: 2, end: 5 }, 60, 40, 15)).toBe(true);
    expect(coversViewport(offsets, { start: 3, end: 5 }, 60, 40, 15)).toBe(false); // 45..60 not rendered
    expect(coversViewport(offsets, { start: 2, end: 4 }, 60, 40, 15)).toBe(false); // 100..115 not rendered
  });

  it('needs no buffer beyond the ends of the list', () => {
    expect(coversViewport(offsets, { start: 0, end: 2 }, 0, 20, 10)).toBe(true);
    expect(coversViewport(offsets, { start: 3, end: 5 }, 110, 40, 100)).toBe(false);
    expect(coversViewport(offsets, { start: 2, end: 5 }, 110, 40, 80)).toBe(true);
  });

  it('is false for a range the list no longer has, or an empty range over rows', () => {
    expect(coversViewport(offsets, { start: 2, end: 9 }, 60, 40, 0)).toBe(false);
    expect(coversViewport(offsets, { start: 0, end: 0 }, 0, 40, 0)).toBe(false);
    expect(coversViewport(rowOffsets([]), { start: 0, end: 0 }, 0, 40, 0)).toBe(true);
  });
});

describe('RowHeights', () => {
  const row = (key: string, estimate = 20) => ({ key, estimate });
  const heights = () => new RowHeights<{ key: string; estimate: number }>((r) => r.estimate);

  it('uses estimates until rows are measured, then the measured heights', () => {
    const list = heights();
    list.setRows([row('a'), row('b', 50), row('c')]);
    expect(Array.from(list.offsets)).toEqual([0, 20, 70, 90]);
    expect(list.measure([['b', 30]])).toBe(true);
    expect(Array.from(list.offsets)).toEqual([0, 20, 50, 70]);
    expect(list.total).toBe(70);
  });

  it('reports no change for the same heights (within half a pixel) or rows it does not hold', () => {
    const list = heights();
    list.setRows([row('a'), row('b')]);
    expect(list.measure([['a', 20.2]])).toBe(false);
    expect(list.measure([['zzz', 99]])).toBe(false);
    expect(list.total).toBe(40);
  });

  it('keeps measured heights by key when older rows are added before them', () => {
    const list = heights();
    list.setRows([row('m3'), row('m4')]);
    list.measure([
      ['m3', 64],
      ['m4', 24],
    ]);
    list.setRows([row('m1'), row('m2'), row('m3'), row('m4')]);
    expect(list.indexOf('m3')).toBe(2);
    // m3 now starts after the two estimated rows, and is still 64 px tall.
    expect(list.offsets[2]).toBe(40);
    expect(list.offsets[3] - list.offsets[2]).toBe(64);
    expect(list.total).toBe(40 + 64 + 24);
  });

  it('forgets rows that are gone', () => {
    const list = heights();
    list.setRows([row('a'), row('b')]);
    list.measure([['a', 99]]);
    list.setRows([row('b')]);
    list.setRows([row('a'), row('b')]);
    expect(list.offsets[1]).toBe(20); // estimated again
    expect(list.indexOf('zzz')).toBe(-1);
    expect(list.row(1)?.key).toBe('b');
  });
});
