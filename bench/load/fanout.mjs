// Scenarios 2 and 4: one sender, M receivers in one channel (the sender may be on another
// instance). The sender sends at a paced rate without waiting for acks; every receiver
// records send→deliver latency (one clock: sender and receivers live in this process).
//  mode 'ladder': doubles the rate until p99 > limit or a delivery is lost, then bisects
//                 between the last good and first bad rate; best = highest good deliveries/s.
//  mode 'fixed':  one window at a given deliveries/s.
import { randomUUID } from 'node:crypto';
import { Recorder, cpuMs } from '../lib/stats.mjs';
import { cpuBetween } from '../lib/procs.mjs';
import { childMain, closeAll, connect, connectMany, payloadText, probe, sleep } from '../lib/sio.mjs';

childMain(async (config) => {
  const { senderUrl, receiverUrl, senderAuth, receiverAuths, channelId } = config;
  const receivers = await connectMany(
    receiverAuths.map((auth) => ({ url: receiverUrl, auth })),
    { concurrency: 50 },
  );
  const sender = await connect(senderUrl, senderAuth);
  const members = receivers.length;

  // clientMsgId → { t, remaining } for messages not yet delivered everywhere
  const pending = new Map();
  let stray = 0;
  for (const socket of receivers) {
    socket.on('newMessage', (message) => {
      const now = performance.now();
      const entry = pending.get(message.clientMsgId);
      if (!entry) {
        stray++;
        return;
      }
      entry.step.latency.record(now - entry.t);
      entry.step.delivered++;
      if (--entry.remaining === 0) pending.delete(message.clientMsgId);
    });
  }
  await sleep(300); // presence and join chatter of the connects settles

  async function runStep(deliveriesPerSec, windowMs) {
    const rate = deliveriesPerSec / members; // messages per second
    const current = {
      latency: new Recorder(1 << 16),
      ack: new Recorder(1 << 12),
      delivered: 0,
      sent: 0,
      acked: 0,
      ackErrors: 0,
      firstError: null,
    };
    const snap0 = await probe();
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    await new Promise((resolve) => {
      const tick = setInterval(() => {
        const elapsed = performance.now() - start;
        const due = Math.min(Math.floor((rate * Math.min(elapsed, windowMs)) / 1000), Math.ceil((rate * windowMs) / 1000));
        while (current.sent < due) {
          const clientMsgId = randomUUID();
          const t = performance.now();
          pending.set(clientMsgId, { t, remaining: members, step: current });
          current.sent++;
          sender.emit('sendMessage', { channelId, text: payloadText(current.sent), clientMsgId }, (ack) => {
            current.ack.record(performance.now() - t);
            if (ack?.ok) current.acked++;
            else {
              current.ackErrors++;
              current.firstError ??= ack?.error?.code ?? 'no ack';
            }
          });
        }
        if (elapsed >= windowMs) {
          clearInterval(tick);
          resolve();
        }
      }, 2);
    });
    const sendDone = performance.now();
    const snap1 = await probe();
    // Wait for the stragglers: a lost delivery counts as infinitely late.
    const drainDeadline = sendDone + config.drainMs;
    while (
      performance.now() < drainDeadline &&
      (current.delivered < current.sent * members || current.acked + current.ackErrors < current.sent)
    )
      await sleep(5);
    const expected = current.sent * members;
    const missing = expected - current.delivered;
    const cpu = cpuMs(cpu0);
    // Let a backlog (after an overloaded step) clear before the next one; forget what never came.
    const settleDeadline = performance.now() + config.settleMs;
    while (performance.now() < settleDeadline && current.acked + current.ackErrors < current.sent) await sleep(20);
    for (const [id, entry] of pending) if (entry.step === current) pending.delete(id);
    const lat = current.latency.summary(missing);
    const ack = current.ack.summary(current.sent - current.acked - current.ackErrors);
    const result = {
      targetDps: deliveriesPerSec,
      msgsPerSec: rate,
      sent: current.sent,
      achievedDps: (current.delivered / Math.max(windowMs, sendDone - start)) * 1000,
      missing,
      p50: lat.p50,
      p99: lat.p99,
      max: lat.max,
      ackP50: ack.p50,
      ackP99: ack.p99,
      ackErrors: current.ackErrors,
      firstError: current.firstError,
      clientCpu: cpu / (performance.now() - start),
      cpu: cpuBetween(snap0, snap1),
    };
    result.ok = missing === 0 && current.ackErrors === 0 && result.p99 !== null && result.p99 <= config.p99LimitMs;
    for (const key of ['p50', 'p99', 'max', 'ackP50', 'ackP99']) if (result[key] === Infinity) result[key] = null;
    await sleep(150);
    return result;
  }

  const steps = [];
  let best = null;
  let limit = null;
  // A failed step is tried once more before it counts (a burst of other work on this small
  // machine should not end a ladder); the figure is then the rate that passed.
  async function tryRate(dps) {
    const first = await runStep(dps, config.windowMs);
    steps.push(first);
    if (first.ok || !config.retryFailed) return first;
    const again = await runStep(dps, config.windowMs);
    again.retry = true;
    steps.push(again);
    return again.ok ? again : first;
  }
  if (config.mode === 'fixed') {
    await runStep(config.fixedDps, config.warmupMs); // warm-up at the same rate, not reported
    steps.push(await runStep(config.fixedDps, config.windowMs));
  } else {
    const { startDps, maxDps, bisections } = config;
    let good = null;
    let bad = null;
    let dps = startDps;
    const first = await tryRate(dps);
    if (first.ok) {
      good = first;
      for (dps *= 2; dps <= maxDps; dps *= 2) {
        const r = await tryRate(dps);
        if (r.ok) good = r;
        else {
          bad = r;
          break;
        }
      }
    } else {
      // Even the first rate failed: halve it (at most 4 times) until one passes.
      bad = first;
      for (let i = 0; i < 4 && !good; i++) {
        dps = Math.round(dps / 2);
        const r = await tryRate(dps);
        if (r.ok) good = r;
        else bad = r;
      }
    }
    for (let i = 0; i < bisections && good && bad; i++) {
      const r = await tryRate(Math.round(Math.sqrt(good.targetDps * bad.targetDps)));
      if (r.ok) good = r;
      else bad = r;
    }
    best = good;
    // The lowest rate that failed: where it broke (acks late = the send path; deliveries late with
    // prompt acks = fan-out), and the CPU then.
    limit = bad;
  }
  closeAll([sender, ...receivers]);
  await sleep(100);
  return { members, steps, best, limit, maxGoodDps: best ? best.achievedDps : 0, stray };
});
