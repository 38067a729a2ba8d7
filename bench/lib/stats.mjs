// Exact latency recording (every sample kept, sorted once) and run-to-run summaries.

/** Records samples (milliseconds) in a growable Float64Array; percentiles are exact (nearest rank). */
export class Recorder {
  constructor(initial = 1024) {
    this.values = new Float64Array(initial);
    this.count = 0;
    this.sorted = null;
  }

  record(value) {
    if (this.count === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.count++] = value;
    this.sorted = null;
  }

  /** Nearest-rank percentile; `missing` samples (never arrived) count as +Infinity. */
  percentile(p, missing = 0) {
    const total = this.count + missing;
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    if (rank > this.count) return Infinity;
    this.sorted ??= this.values.slice(0, this.count).sort();
    return this.sorted[rank - 1];
  }

  summary(missing = 0) {
    return {
      count: this.count,
      missing,
      p50: this.percentile(50, missing),
      p99: this.percentile(99, missing),
      max: this.count ? this.percentile(100, missing) : null,
    };
  }
}

export function median(values) {
  const list = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b);
  if (!list.length) return null;
  const mid = Math.floor(list.length / 2);
  return list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2;
}

/** min / median / max of one figure over the rounds. */
export function spread(values) {
  const list = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  if (!list.length) return { min: null, median: null, max: null, runs: [] };
  return { min: Math.min(...list), median: median(list), max: Math.max(...list), runs: values };
}

/** CPU time of this process (user + system) in ms since `since` (a previous reading). */
export function cpuMs(since) {
  const usage = process.cpuUsage(since);
  return (usage.user + usage.system) / 1000;
}
