import { KeyedBatcher } from './keyed-batcher';

interface Item {
  key: string;
  n: number;
}

/** A batcher whose batches finish only when the test says so. */
function setup(options = { maxInFlight: 2, maxBatch: 3 }) {
  const batches: { items: Item[]; finish: (results?: (number | Error)[]) => void; fail: (error: Error) => void }[] = [];
  const batcher = new KeyedBatcher<Item, number>(
    (items) =>
      new Promise((resolve, reject) => {
        batches.push({ items, finish: (results) => resolve(results ?? items.map((item) => item.n * 10)), fail: reject });
      }),
    (item) => item.key,
    options,
  );
  return { batcher, batches };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const ns = (items: Item[]) => items.map((item) => `${item.key}${item.n}`);

describe('KeyedBatcher', () => {
  it('runs a lone item at once, in a batch of its own', async () => {
    const { batcher, batches } = setup();
    const result = batcher.submit({ key: 'a', n: 1 });
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a1']]);
    batches[0].finish();
    await expect(result).resolves.toBe(10);
  });

  it('gathers items submitted in the same turn into one batch, in order', async () => {
    const { batcher, batches } = setup({ maxInFlight: 2, maxBatch: 10 });
    const results = [batcher.submit({ key: 'a', n: 1 }), batcher.submit({ key: 'b', n: 2 }), batcher.submit({ key: 'a', n: 3 })];
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a1', 'b2', 'a3']]);
    batches[0].finish();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30]);
  });

  it('never runs one key in two batches at once, and keeps its order', async () => {
    const { batcher, batches } = setup({ maxInFlight: 3, maxBatch: 10 });
    void batcher.submit({ key: 'a', n: 1 });
    await turn();
    void batcher.submit({ key: 'a', n: 2 });
    void batcher.submit({ key: 'b', n: 3 });
    void batcher.submit({ key: 'a', n: 4 });
    await turn();
    // b may start beside the running a-batch; a's later items wait for it.
    expect(batches.map((b) => ns(b.items))).toEqual([['a1'], ['b3']]);
    batches[0].finish();
    await turn();
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a1'], ['b3'], ['a2', 'a4']]);
  });

  it('caps the batch size and the batches in flight; the rest wait their turn', async () => {
    const { batcher, batches } = setup({ maxInFlight: 2, maxBatch: 2 });
    const results = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key, n) => batcher.submit({ key, n }));
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a0', 'b1'], ['c2', 'd3']]);
    expect(batcher.waiting).toBe(3);
    batches[1].finish();
    await turn();
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a0', 'b1'], ['c2', 'd3'], ['e4', 'f5']]);
    batches[0].finish();
    batches[2].finish();
    await turn();
    await turn();
    batches[3].finish();
    await expect(Promise.all(results)).resolves.toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('a key cut off by the batch size keeps its later items for after the running batch', async () => {
    const { batcher, batches } = setup({ maxInFlight: 2, maxBatch: 2 });
    for (const [key, n] of [['a', 1], ['a', 2], ['a', 3], ['b', 4]] as const) void batcher.submit({ key, n });
    await turn();
    expect(batches.map((b) => ns(b.items))).toEqual([['a1', 'a2'], ['b4']]);
    batches[0].finish();
    await turn();
    await turn();
    expect(ns(batches[2].items)).toEqual(['a3']);
  });

  it('fails one item alone when its result is an Error, and the whole batch when the run throws', async () => {
    const { batcher, batches } = setup({ maxInFlight: 1, maxBatch: 10 });
    const first = [batcher.submit({ key: 'a', n: 1 }), batcher.submit({ key: 'b', n: 2 })];
    await turn();
    batches[0].finish([new Error('refused'), 20]);
    await expect(first[0]).rejects.toThrow('refused');
    await expect(first[1]).resolves.toBe(20);

    const second = [batcher.submit({ key: 'a', n: 3 }), batcher.submit({ key: 'b', n: 4 })];
    await turn();
    batches[1].fail(new Error('database down'));
    await expect(second[0]).rejects.toThrow('database down');
    await expect(second[1]).rejects.toThrow('database down');

    // And it keeps working afterwards.
    const third = batcher.submit({ key: 'a', n: 5 });
    await turn();
    batches[2].finish();
    await expect(third).resolves.toBe(50);
  });
});
