// Socket.IO clients for the load generators: websocket transport only, no reconnection,
// one connection per socket, spread over several 127.0.0.x source addresses.
import { io } from 'socket.io-client';

const SOURCE_ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 2}`);
let nextSource = 0;

export function connect(url, auth, { timeoutMs = 20_000 } = {}) {
  const localAddress = SOURCE_ADDRESSES[nextSource++ % SOURCE_ADDRESSES.length];
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      localAddress,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Connects every spec ({ url, auth }) with at most `concurrency` handshakes in flight. */
export async function connectMany(specs, { concurrency = 100, timeoutMs = 20_000 } = {}) {
  const sockets = new Array(specs.length);
  const errors = [];
  let next = 0;
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      try {
        sockets[i] = await connect(specs[i].url, specs[i].auth, { timeoutMs });
      } catch (error) {
        errors.push(error.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
  if (errors.length) {
    for (const socket of sockets) socket?.close();
    throw new Error(`${errors.length} of ${specs.length} sockets failed to connect; first: ${errors[0]}`);
  }
  return sockets;
}

export function closeAll(sockets) {
  for (const socket of sockets) socket?.close();
}

/** Emits with an acknowledgement, resolving to the ack or to { ok: false, error: timeout }. */
export function emitAck(socket, event, payload, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (error, ack) => {
      resolve(error ? { ok: false, error: { code: 'TIMEOUT', message: String(error.message ?? error) } } : ack);
    });
  });
}

/** ≈200 bytes of message text. */
export function payloadText(tag) {
  const head = `bench ${tag} `;
  return head + 'lorem ipsum dolor sit amet '.repeat(8).slice(0, 200 - head.length);
}

/** The load child's side of the protocol with run.mjs. */
export function childMain(run) {
  process.once('message', async (message) => {
    if (message?.type !== 'config') return;
    try {
      const result = await run(message.config);
      process.send({ type: 'result', ...result }, () => process.exit(0));
    } catch (error) {
      process.send({ type: 'error', message: error?.stack ?? String(error) }, () => process.exit(1));
    }
  });
}

/** Waits for the next IPC message of the given command from run.mjs. */
export function waitFor(cmd) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message?.cmd === cmd) {
        process.off('message', listener);
        resolve(message);
      }
    };
    process.on('message', listener);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks run.mjs for a CPU snapshot (servers, PostgreSQL, Redis, machine); two of them around a
 * window give the cores each used (see cpuBetween in lib/procs.mjs).
 */
let probeIds = 0;
export function probe() {
  const id = ++probeIds;
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message?.cmd === 'probe' && message.id === id) {
        process.off('message', listener);
        resolve(message.snapshot);
      }
    };
    process.on('message', listener);
    process.send({ type: 'probe', id });
  });
}

/** CPU use between two moments (performance.now() values) of this process's clock. */
export async function windowCpu(from, to) {
  const { cpuBetween } = await import('./procs.mjs');
  await sleep(Math.max(0, from - performance.now()));
  const a = await probe();
  await sleep(Math.max(0, to - performance.now()));
  const b = await probe();
  return cpuBetween(a, b);
}
