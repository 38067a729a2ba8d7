export interface KeyedBatcherOptions {
  /** Batches running at once. */
  maxInFlight: number;
  /** Items per batch at most. */
  maxBatch: number;
}

interface Waiting<T, R> {
  item: T;
  key: string;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Items submitted while earlier batches run are gathered into the next batch,
 * so a quiet system runs each item at once and a busy one runs many per batch. Items of one
 * key (a channel) never run in two batches at once and keep the order they were submitted in.
 *
 * `run` gets a batch and answers one result per item, in the same order: a value, or an Error
 * for that item alone. When `run` throws, every item of the batch fails with that error.
 */
export class KeyedBatcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<(R | Error)[]>,
    private readonly keyOf: (item: T) => string,
    private readonly options: KeyedBatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, key: this.keyOf(item), resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a batch (not those running). */
  get waiting(): number {
    return this.queue.length;
  }

  // Deferred to the end of this turn of the event loop, so items arriving together share a batch.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const batch = this.take();
      if (!batch.length) return;
      this.start(batch);
    }
  }

  /** The oldest items whose key is not running, keeping later items of a taken key together. */
  private take(): Waiting<T, R>[] {
    const batch: Waiting<T, R>[] = [];
    const left: Waiting<T, R>[] = [];
    for (const waiting of this.queue) {
      if (batch.length < this.options.maxBatch && !this.busy.has(waiting.key)) batch.push(waiting);
      else left.push(waiting);
    }
    // A key cut off by maxBatch must not run its later items in the next batch before these finish.
    const taken = new Set(batch.map((waiting) => waiting.key));
    for (const key of taken) this.busy.add(key);
    this.queue = left;
    return batch;
  }

  private start(batch: Waiting<T, R>[]): void {
    this.inFlight++;
    const keys = new Set(batch.map((waiting) => waiting.key));
    this.run(batch.map((waiting) => waiting.item))
      .then(
        (results) => {
          batch.forEach((waiting, index) => {
            const result = results[index];
            if (result instanceof Error) waiting.reject(result);
            else if (result === undefined) waiting.reject(new Error('The batch gave no result for this item'));
            else waiting.resolve(result);
          });
        },
        (error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        for (const key of keys) this.busy.delete(key);
        if (this.queue.length) this.schedule();
      });
  }
}
