import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { io, Socket } from 'socket.io-client';
import { firstValueFrom } from 'rxjs';

import { AuthSession } from '../auth/auth-session';
import { AuthStore } from '../auth/auth-store';

type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ClientEvent = keyof ClientToServerEvents;
type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type ResultOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[1] extends ((result: Ack<infer T>) => void) | undefined ? T : never;

export type ConnectionState = 'connecting' | 'online' | 'offline';

/**
 * The one Socket.IO connection of the app. It follows the session (connects when signed in,
 * closes on sign-out), reconnects by itself with a fresh access token, and tells listeners
 * each time it is (re)connected so they can `sync` what they missed.
 */
@Injectable({ providedIn: 'root' })
export class SocketService {
  private readonly store = inject(AuthStore);
  private readonly session = inject(AuthSession);
  private socket: ParleySocket | null = null;
  private readonly connectListeners = new Set<() => void>();
  private readonly handlers = new Set<{ event: keyof ServerToClientEvents; handler: (...args: unknown[]) => void }>();

  readonly state = signal<ConnectionState>('offline');

  constructor() {
    effect(() => {
      const signedIn = this.store.isSignedIn();
      if (signedIn && !this.socket) this.open();
      if (!signedIn && this.socket) this.close();
    });
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Runs `listener` on every (re)connection; returns a function that removes it. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    if (this.socket?.connected) listener();
    return () => this.connectListeners.delete(listener);
  }

  /**
   * Listens for a server event on every connection from now on: the handlers are the
   * service's, not one socket's, so they outlive a sign-out and the socket of the next sign-in
   * (a store made while signed out, as on an invite page, still hears that socket).
   */
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    const entry = { event, handler: handler as (...args: unknown[]) => void };
    this.handlers.add(entry);
    this.socket?.on(event, handler as never);
    return () => {
      this.handlers.delete(entry);
      this.socket?.off(event, handler as never);
    };
  }

  /** Emits an event and waits for its acknowledgement (an error ack when the socket is offline or slow). */
  async request<E extends ClientEvent>(event: E, payload: PayloadOf<E>, timeoutMs = 10_000): Promise<Ack<ResultOf<E>>> {
    const socket = this.socket;
    if (!socket?.connected) {
      return { ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'Not connected', retryable: true } } as Ack<ResultOf<E>>;
    }
    try {
      const emitter = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<ResultOf<E>>> };
      return await emitter.emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'No answer from the server', retryable: true } } as Ack<ResultOf<E>>;
    }
  }

  /** Fire-and-forget events (typing). */
  notify<E extends ClientEvent>(event: E, payload: PayloadOf<E>): void {
    if (this.socket?.connected) (this.socket as unknown as { emit(event: string, payload: unknown): void }).emit(event, payload);
  }

  private open(): void {
    const socket: ParleySocket = io({
      transports: ['websocket'],
      auth: (callback) => callback({ token: this.store.accessToken() }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    for (const { event, handler } of this.handlers) socket.on(event, handler as never);
    this.state.set('connecting');
    socket.on('connect', () => {
      this.state.set('online');
      for (const listener of this.connectListeners) listener();
    });
    socket.on('disconnect', (reason) => {
      this.state.set('offline');
      // The server closed it (session ended or token refused): reconnect only with a fresh token.
      if (reason === 'io server disconnect') void this.refreshAndReconnect(socket);
    });
    socket.on('connect_error', (error) => {
      this.state.set('offline');
      if (/AUTH_TOKEN_INVALID|AUTH_TOKEN_MISSING/.test(error.message)) void this.refreshAndReconnect(socket);
    });
  }

  private async refreshAndReconnect(socket: ParleySocket): Promise<void> {
    try {
      await firstValueFrom(this.session.refresh());
      if (this.socket === socket) socket.connect();
    } catch {
      // The session is over: AuthSession signs out and the effect above closes the socket.
    }
  }

  private close(): void {
    this.socket?.removeAllListeners();
    this.socket?.close();
    this.socket = null;
    this.state.set('offline');
  }
}
