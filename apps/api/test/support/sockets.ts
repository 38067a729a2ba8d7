import { Ack, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
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

/** Emits an event and waits for its acknowledgement. */
export function call<T>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack<T>> {
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
