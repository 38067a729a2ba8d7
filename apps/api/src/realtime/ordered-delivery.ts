/** What is delivered in order: anything numbered per channel without gaps (messages by seq, changes by changeSeq). */
export interface Sequenced {
  channelId: string;
}

export interface OrderedDeliveryOptions<T extends Sequenced> {
  /** The item's number in its channel's sequence. */
  seqOf: (item: T) => number;
  /** Hands items to the local sockets, in order. */
  deliver: (items: T[]) => void;
  /** Reads committed items with fromSeq <= seq < toSeq (to fill a gap). */
  fetchRange: (channelId: string, fromSeq: number, toSeq: number) => Promise<T[]>;
  /** How long the first messages of a channel are gathered before the first delivery. */
  firstSightMs?: number;
  /** How long a gap may stay open before it is filled from the database. */
  gapMs?: number;
  onError?: (error: unknown) => void;
}

interface ChannelState<T> {
  /** The seq delivered next; null until the first gathering window closes. */
  next: number | null;
  /** Seqs below this were never seen here: when one arrives late it is delivered at once. */
  floor: number;
  pending: Map<number, T>;
  timer: NodeJS.Timeout | null;
  lastActive: number;
  /** Set by prime(): the start is known exactly, and anything before it is history. */
  primed?: boolean;
}

/**
 * Puts the messages (or changes) of each channel in seq order before they reach this
 * instance's sockets. Items from several instances can arrive out of order; an item waits for
 * the ones before it, and a gap that does not close by itself is filled from the database (a
 * later seq is only ever committed after every earlier one, so the gap is always there to read).
 */
export class OrderedDelivery<T extends Sequenced> {
  private readonly channels = new Map<string, ChannelState<T>>();
  private readonly firstSightMs: number;
  private readonly gapMs: number;

  constructor(private readonly options: OrderedDeliveryOptions<T>) {
    this.firstSightMs = options.firstSightMs ?? 25;
    this.gapMs = options.gapMs ?? 300;
  }

  accept(item: T): void {
    const seq = this.options.seqOf(item);
    let state = this.channels.get(item.channelId);
    if (!state) {
      state = { next: null, floor: 0, pending: new Map(), timer: null, lastActive: Date.now() };
      this.channels.set(item.channelId, state);
    }
    state.lastActive = Date.now();
    if (state.next === null) {
      state.pending.set(seq, item);
      state.timer ??= setTimeout(() => this.openChannel(item.channelId), this.firstSightMs);
      return;
    }
    if (seq < state.floor) {
      // Unprimed channels only: a straggler from before the first item seen here.
      if (!state.primed) this.options.deliver([item]);
      return;
    }
    if (seq < state.next || state.pending.has(seq)) return; // delivered already
    state.pending.set(seq, item);
    this.drain(item.channelId, state);
  }

  /**
   * Sets where a channel's live stream starts, when a socket here joins it: `lastSeq` is the
   * newest message committed before the join (the client reads up to it through sync), so
   * delivery starts exactly after it. A channel already being delivered keeps its position.
   */
  prime(channelId: string, lastSeq: number): void {
    if (this.channels.has(channelId)) return;
    this.channels.set(channelId, { next: lastSeq + 1, floor: lastSeq + 1, pending: new Map(), timer: null, lastActive: Date.now(), primed: true });
  }

  /** Forgets channels idle for `idleMs` with nothing waiting, when `unused` says no socket here needs them. */
  sweep(idleMs: number, unused: (channelId: string) => boolean = () => true): void {
    const cutoff = Date.now() - idleMs;
    for (const [channelId, state] of this.channels) {
      if (state.lastActive < cutoff && state.pending.size === 0 && state.timer === null && unused(channelId)) this.channels.delete(channelId);
    }
  }

  /** How many channels are tracked (for metrics and tests). */
  get size(): number {
    return this.channels.size;
  }

  close(): void {
    for (const state of this.channels.values()) if (state.timer) clearTimeout(state.timer);
    this.channels.clear();
  }

  private openChannel(channelId: string): void {
    const state = this.channels.get(channelId);
    if (!state) return;
    state.timer = null;
    const first = Math.min(...state.pending.keys());
    state.next = first;
    state.floor = first;
    this.drain(channelId, state);
  }

  private drain(channelId: string, state: ChannelState<T>): void {
    const ready: T[] = [];
    while (state.next !== null && state.pending.has(state.next)) {
      ready.push(state.pending.get(state.next)!);
      state.pending.delete(state.next);
      state.next += 1;
    }
    if (ready.length) this.options.deliver(ready);
    if (state.pending.size === 0) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    } else {
      state.timer ??= setTimeout(() => this.fillGap(channelId), this.gapMs);
    }
  }

  private fillGap(channelId: string): void {
    const state = this.channels.get(channelId);
    if (!state || state.next === null) return;
    state.timer = null;
    if (state.pending.size === 0) return;
    const from = state.next;
    const to = Math.min(...state.pending.keys());
    this.options
      .fetchRange(channelId, from, to)
      .then((found) => {
        for (const item of found) {
          const seq = this.options.seqOf(item);
          if (seq >= (state.next ?? 0)) state.pending.set(seq, item);
        }
        // Should the database not have them (it always should), move on rather than hold the channel forever.
        if (state.pending.size > 0 && !state.pending.has(state.next!)) {
          this.options.onError?.(new Error(`seqs ${state.next} to ${Math.min(...state.pending.keys()) - 1} of ${channelId} could not be read`));
          state.next = Math.min(...state.pending.keys());
        }
        this.drain(channelId, state);
      })
      .catch((error: unknown) => {
        this.options.onError?.(error);
        state.timer ??= setTimeout(() => this.fillGap(channelId), this.gapMs);
      });
  }
}
