import { Ack, ClientEventName, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { io, Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client over the websocket transport, connected (or rejected) at the handshake. */
export function connectSocket(url: string, token: string | undefined, options: Parameters<typeof io>[1] = {}): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(token === undefined ? {} : { auth: { token } }),
      ...options,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The payload of a client → server event. */
export type PayloadOf<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];

/** What a client → server event acknowledges with: `{ ok: true, data }` or `{ ok: false, error }`. */
export type AckOf<E extends ClientEventName> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/** The `data` of a successful acknowledgement. */
export type AckDataOf<E extends ClientEventName> = Extract<AckOf<E>, { ok: true }>['data'];

/** Emits an event of the contracts with its payload type, and waits for its (typed) acknowledgement. */
export function call<E extends ClientEventName>(socket: ClientSocket, event: E, payload: PayloadOf<E>, timeoutMs = 10_000): Promise<AckOf<E>> {
  return callUntyped(socket, event, payload, timeoutMs) as Promise<AckOf<E>>;
}

/** Like `call`, but resolves with the acknowledged data, and rejects with the error when the server refused. */
export async function callOk<E extends ClientEventName>(socket: ClientSocket, event: E, payload: PayloadOf<E>, timeoutMs = 10_000): Promise<AckDataOf<E>> {
  return ackData((await callUntyped(socket, event, payload, timeoutMs)) as Ack<AckDataOf<E>>, event);
}

/** The data of an acknowledgement, or an error naming what the server refused (for acks gathered by `call`). */
export function ackData<T>(ack: Ack<T>, what = 'the event'): T {
  if (!ack.ok) throw new Error(`${what} refused: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

/**
 * Emits any event name with any payload, unchecked: for tests that send what the contracts do not
 * allow on purpose (hostile and fuzzed input). Everything else uses `call`.
 */
export function callUntyped<T = unknown>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<T>> {
  return (socket as unknown as { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<Ack<T>> } })
    .timeout(timeoutMs)
    .emitWithAck(event, payload);
}

/** Collects every event of a kind a socket receives. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

/** Waits until `check` passes (polling), or fails with its last error. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await check();
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw last;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Emits an event whose payload is raw text (any JSON, or not JSON at all), written as one
 * Socket.IO frame, and resolves with its acknowledgement or with the reason the connection closed.
 * socket.io-client cannot encode some hostile payloads itself (it recurses over them).
 */
export function callRaw(
  socket: ClientSocket,
  event: string,
  payloadText: string,
  timeoutMs = 10_000,
): Promise<{ ack: unknown } | { closed: string }> {
  const engine = socket.io.engine;
  const id = 900_000 + Math.floor(Math.random() * 99_999);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      engine.off('message', onMessage);
      socket.off('disconnect', onClose);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no acknowledgement of ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    // An acknowledgement in the default namespace reads 3<id>[result].
    const onMessage = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3${id}[`)) return;
      done();
      resolve({ ack: (JSON.parse(data.slice(String(id).length + 1)) as unknown[])[0] });
    };
    const onClose = (reason: string) => {
      done();
      resolve({ closed: reason });
    };
    engine.on('message', onMessage);
    socket.once('disconnect', onClose);
    engine.write(`2${id}[${JSON.stringify(event)},${payloadText}]`);
  });
}
