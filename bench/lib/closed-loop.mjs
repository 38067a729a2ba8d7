// The measurement both sides of a request/response scenario share, so Parley and its baseline
// are timed the same way: `concurrency` closed-loop workers taking channels in turn, a warm-up,
// then a window in which every finished attempt counts.
import { Recorder } from './stats.mjs';
import { windowCpu } from './sio.mjs';

/** `attempt(channelId)` resolves to null when the answer was right, or a short description of what was wrong. */
export async function closedLoop({ channelIds, concurrency, warmupMs, windowMs, attempt }) {
  const latency = new Recorder(1 << 16);
  let ok = 0;
  let errors = 0;
  let firstError = null;
  let next = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = windowMs ? windowCpu(measureFrom, end) : null;
  async function worker() {
    while (performance.now() < end) {
      const channelId = channelIds[next++ % channelIds.length];
      const t = performance.now();
      let problem;
      try {
        problem = await attempt(channelId);
      } catch (error) {
        problem = error.message;
      }
      if (problem) firstError ??= problem;
      const done = performance.now();
      if (t >= measureFrom && done <= end) {
        if (!problem) {
          ok++;
          latency.record(done - t);
        } else errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const s = latency.summary();
  const cpu = cpuWindow ? await cpuWindow : null;
  return { cpu, perSec: (ok / windowMs) * 1000, ok, errors, firstError, p50: s.p50, p99: s.p99, max: s.max };
}
