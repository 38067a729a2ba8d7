/**
 * Turns on each audit chain within one api instance: `run(chain, work)` starts `work` when fewer
 * than `width` earlier runs on the same chain are still going, in the order they were asked for.
 * Appenders to a chain then wait here, in memory, instead of each holding a pooled database
 * connection while it queues on the chain's advisory lock (which still orders everyone, across
 * instances): a burst of audited edits in one workspace occupies at most `width` connections, not
 * the whole pool that every send needs. A width above one keeps the next appenders queued in the
 * database itself, so the chain passes from one to the next without a round trip to this process.
 */
export class ChainTurns {
  private readonly chains = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly width = 2) {}

  async run<T>(chain: string | null, work: () => Promise<T>): Promise<T> {
    const key = chain ?? '';
    let state = this.chains.get(key);
    if (!state) {
      state = { running: 0, waiting: [] };
      this.chains.set(key, state);
    }
    if (state.running < this.width) state.running += 1;
    // A finishing run hands its place straight to the first waiter (running stays counted).
    else await new Promise<void>((resolve) => state.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = state.waiting.shift();
      if (next) next();
      else if (--state.running === 0) this.chains.delete(key);
    }
  }

  /** Chains with someone running or waiting (for tests and diagnostics). */
  get busy(): number {
    return this.chains.size;
  }
}
