// Scenario 7: the senders of scenario 3, where every `changeEvery`-th operation is a change to
// one of the sender's own recent messages instead of a send — an edit, or a reaction added or
// taken back (👍), in turn — over the socket (editMessage, addReaction, removeReaction) or, with
// `via: 'rest'`, over keep-alive HTTP (PATCH, PUT/DELETE …/reactions/👍). Closed loop, one
// operation in flight per sender; counts the operations completed inside the window.
import { randomUUID } from 'node:crypto';
import { Recorder } from '../lib/stats.mjs';
import { childMain, closeAll, connectMany, emitAck, payloadText, sleep, windowCpu } from '../lib/sio.mjs';

const THUMBS_UP = encodeURIComponent('👍');

childMain(async ({ url, senders, warmupMs, windowMs, changeEvery = 10, via = 'socket' }) => {
  const sockets = await connectMany(
    senders.map((s) => ({ url, auth: s.auth })),
    { concurrency: 50 },
  );
  await sleep(300);
  const sendLatency = new Recorder(1 << 16);
  const changeLatency = new Recorder(1 << 16);
  /** Per kind of change (edit, react, unreact), for the diagnostics. */
  const kindLatency = [new Recorder(1 << 14), new Recorder(1 << 14), new Recorder(1 << 14)];
  let sends = 0;
  let changes = 0;
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = windowCpu(measureFrom, end);

  /** One change to message `id`: the kth change of this sender picks edit, react, unreact in turn. */
  async function change(socket, token, id, k) {
    const kind = k % 3;
    if (via === 'socket') {
      const event = ['editMessage', 'addReaction', 'removeReaction'][kind];
      const ack = await emitAck(socket, event, kind === 0 ? { messageId: id, text: payloadText(k) } : { messageId: id, emoji: '👍' }, 15_000);
      return ack?.ok ? null : (ack?.error?.code ?? 'no ack');
    }
    const response = await fetch(kind === 0 ? `${url}/api/messages/${id}` : `${url}/api/messages/${id}/reactions/${THUMBS_UP}`, {
      method: kind === 0 ? 'PATCH' : kind === 1 ? 'PUT' : 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(kind === 0 ? { body: JSON.stringify({ text: payloadText(k) }) } : {}),
    });
    await response.arrayBuffer();
    return response.ok ? null : `HTTP ${response.status}`;
  }

  async function loop(socket, { auth, channelId }, index) {
    // Senders start at different points of the cycle, so changes are one in ten of the operations
    // of any window, not bunched at each sender's tenth (a short window saw none at all).
    let n = index % changeEvery;
    let k = 0;
    // The message the changes go to: the sender's latest (so a react and its unreact meet the same one).
    let target = null;
    while (performance.now() < end) {
      const t = performance.now();
      const isChange = target !== null && ++n % changeEvery === 0;
      const kind = k % 3;
      let error = null;
      if (isChange) {
        error = await change(socket, auth.token, target, k).catch((e) => e.message);
        if (k++ % 3 === 2) target = null;
      } else {
        const ack = await emitAck(socket, 'sendMessage', { channelId, text: payloadText(n), clientMsgId: randomUUID() }, 15_000);
        if (ack?.ok) target ??= ack.data.id;
        else error = ack?.error?.code ?? 'no ack';
      }
      const done = performance.now();
      if (t < measureFrom || done > end) continue;
      if (error) {
        errors++;
        firstError ??= error;
      } else if (isChange) {
        changes++;
        changeLatency.record(done - t);
        kindLatency[kind].record(done - t);
      } else {
        sends++;
        sendLatency.record(done - t);
      }
    }
  }
  await Promise.all(sockets.map((socket, i) => loop(socket, senders[i], i)));
  const cpu = await cpuWindow;
  closeAll(sockets);
  const s = sendLatency.summary();
  const c = changeLatency.summary();
  return {
    opsPerSec: ((sends + changes) / windowMs) * 1000,
    sends,
    changes,
    sendP50: s.p50,
    sendP99: s.p99,
    changeP50: c.p50,
    changeP99: c.p99,
    ...Object.fromEntries(
      ['edit', 'react', 'unreact'].flatMap((name, i) => {
        const k = kindLatency[i].summary();
        return [
          [`${name}P50`, k.p50],
          [`${name}P99`, k.p99],
        ];
      }),
    ),
    errors,
    firstError,
    cpu,
  };
});
