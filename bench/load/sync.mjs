// Scenario 5b: K clients reconnect at once, each `behind` messages behind in its channel:
// all connects start together, each client sends sync on connect. Per client: connect start
// → sync ack; total: first connect start → last sync ack. Every answer is checked. With
// `changesBehind`, each client also sends change cursors and must get that many changes back.
import { Recorder } from '../lib/stats.mjs';
import { childMain, closeAll, connect, emitAck } from '../lib/sio.mjs';

childMain(async ({ url, clients, behind, changesBehind = null }) => {
  const perClient = new Recorder(4096);
  const syncOnly = new Recorder(4096);
  const sockets = [];
  let wrong = 0;
  let failed = 0;
  let firstError = null;
  const start = performance.now();
  await Promise.all(
    clients.map(async ({ auth, cursors, changeCursors }) => {
      const t = performance.now();
      let socket;
      try {
        socket = await connect(url, auth, { timeoutMs: 60_000 });
      } catch (error) {
        failed++;
        firstError ??= error.message;
        return;
      }
      sockets.push(socket);
      const s = performance.now();
      const ack = await emitAck(socket, 'sync', changeCursors ? { cursors, changeCursors } : { cursors }, 60_000);
      const done = performance.now();
      if (!ack?.ok) {
        failed++;
        firstError ??= ack?.error?.code ?? 'no ack';
        return;
      }
      if (ack.data.messages.length !== behind) wrong++;
      else if (changesBehind !== null && ack.data.changes?.length !== changesBehind) wrong++;
      perClient.record(done - t);
      syncOnly.record(done - s);
    }),
  );
  const totalMs = performance.now() - start;
  closeAll(sockets);
  const a = perClient.summary();
  const b = syncOnly.summary();
  return { totalMs, clients: clients.length, failed, wrong, firstError, p50: a.p50, p99: a.p99, syncP50: b.p50, syncP99: b.p99 };
});
