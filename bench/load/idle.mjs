// Scenario 1: N authenticated sockets that then sit idle. Connects them (bounded handshakes
// in flight), tells run.mjs, which reads the server's memory, then closes them.
import { childMain, closeAll, connectMany, sleep, waitFor } from '../lib/sio.mjs';

childMain(async ({ url, clients, concurrency, settleMs }) => {
  const started = performance.now();
  const sockets = await connectMany(
    clients.map((auth) => ({ url, auth })),
    { concurrency },
  );
  const connectMs = performance.now() - started;
  let events = 0;
  for (const socket of sockets) socket.onAny(() => events++);
  await sleep(settleMs);
  const connected = sockets.filter((s) => s.connected).length;
  process.send({ type: 'connected', connected, connectMs });
  await waitFor('finish');
  const stillConnected = sockets.filter((s) => s.connected).length;
  closeAll(sockets);
  await sleep(200);
  return { connected, stillConnected, connectMs, connectsPerSec: (clients.length / connectMs) * 1000, eventsWhileIdle: events };
});
