// Scenario 3: S senders, each with one send in flight at a time (closed loop), into their
// channels; every ack comes after the commit. Counts acks inside the measured window.
// With `count`, each sender sends exactly that many instead (used for diagnostics).
import { randomUUID } from 'node:crypto';
import { Recorder, cpuMs } from '../lib/stats.mjs';
import { childMain, closeAll, connectMany, emitAck, payloadText, sleep, windowCpu } from '../lib/sio.mjs';

childMain(async ({ url, senders, warmupMs, windowMs, count = null }) => {
  const sockets = await connectMany(
    senders.map((s) => ({ url, auth: s.auth })),
    { concurrency: 50 },
  );
  await sleep(300);
  const latency = new Recorder(1 << 16);
  let acked = 0;
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = count === null ? windowCpu(measureFrom, end) : null;
  let client0 = null;
  const clientTimer = setTimeout(() => (client0 = process.cpuUsage()), warmupMs);
  async function loop(socket, channelId) {
    let n = 0;
    while (count === null ? performance.now() < end : n < count) {
      const t = performance.now();
      const ack = await emitAck(socket, 'sendMessage', { channelId, text: payloadText(n++), clientMsgId: randomUUID() }, 15_000);
      const done = performance.now();
      if (count !== null || (t >= measureFrom && done <= end)) {
        if (ack?.ok) {
          acked++;
          latency.record(done - t);
        } else {
          errors++;
          firstError ??= ack?.error?.code ?? 'no ack';
        }
      }
    }
  }
  await Promise.all(sockets.map((socket, i) => loop(socket, senders[i].channelId)));
  clearTimeout(clientTimer);
  const clientCpu = client0 && windowMs ? cpuMs(client0) / (performance.now() - measureFrom) : null;
  const cpu = cpuWindow ? await cpuWindow : null;
  closeAll(sockets);
  const s = latency.summary();
  return {
    msgsPerSec: count === null ? (acked / windowMs) * 1000 : null,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    acked,
    errors,
    firstError,
    concurrency: senders.length,
    clientCpu,
    cpu,
  };
});
