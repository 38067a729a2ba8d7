import type { IncomingMessage } from 'node:http';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../config/config';

/** Largest Socket.IO frame accepted; bigger ones close that connection, nothing else. */
export const MAX_SOCKET_FRAME_BYTES = 64 * 1024;

/**
 * Socket.IO with the same allowed origins as REST, a bounded frame size, and — with
 * REDIS_URL — the Redis adapter joining every instance (rooms and broadcasts span them all).
 * Clients may use the websocket transport alone, so no sticky sessions are needed.
 */
export class ParleyIoAdapter extends IoAdapter {
  private readonly logger = new Logger('SocketIO');
  private readonly redisClients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = new Set([this.config.publicUrl, ...this.config.corsOrigins]);
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_FRAME_BYTES,
      perMessageDeflate: false,
      cors: { origin: [...allowed], credentials: false },
      // Browsers always send Origin; a foreign one is refused. Non-browser clients send none.
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const origin = request.headers.origin;
        callback(null, origin === undefined || allowed.has(origin) || isSameHost(origin, request.headers.host));
      },
    }) as Server;
    if (this.config.redisUrl) server.adapter(this.redisAdapter(this.config.redisUrl));
    // Engine.IO answers its HTTP requests (the handshake, long polling) outside Express: name
    // the instance there too, as every other response does.
    server.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Parley-Instance'] = this.config.instanceId;
    });
    return server;
  }

  /**
   * One plain listener per event and socket. Nest's version builds an rxjs pipeline per
   * handler per socket (about 26 KiB of heap for each connection); the handlers here answer
   * through their acknowledgement and never return streams.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args) as { data: unknown; ack?: unknown };
        const respond = (response: unknown) => {
          if (response === null || response === undefined) return;
          const { event, data: eventData } = response as { event?: string; data?: unknown };
          if (typeof event === 'string') socket.emit(event, eventData);
          else if (!isAckHandledManually && typeof ack === 'function') (ack as (response: unknown) => void)(response);
        };
        Promise.resolve()
          .then(() => callback(data, ack))
          .then((result: unknown) => (isObservable(result) ? result.subscribe(respond) : respond(result)))
          .catch((error: Error) => this.logger.error(`Handler for ${String(message)} failed: ${error?.message}`, error?.stack));
      });
    }
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => undefined)));
  }

  private redisAdapter(url: string) {
    const pub = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.logger.warn(`Redis (Socket.IO adapter): ${error.message}`));
      this.redisClients.push(client);
    }
    // The adapter publishes without handling failures; while Redis is away a broadcast to other
    // instances is lost (clients catch up through sync), and that must not crash the process.
    const publish = pub.publish.bind(pub);
    pub.publish = ((channel: string, message: string | Buffer) =>
      publish(channel, message).catch((error: Error) => {
        this.logger.warn(`Redis publish failed: ${error.message}`);
        return 0;
      })) as typeof pub.publish;
    return createAdapter(pub, sub, { key: `${this.config.redisPrefix}:socket.io`, requestsTimeout: 3000 });
  }
}

function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
