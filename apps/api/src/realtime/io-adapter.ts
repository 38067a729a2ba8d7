import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../config/config';

/** Largest Socket.IO frame accepted; bigger ones close that connection, nothing else. */
export const MAX_SOCKET_FRAME_BYTES = 64 * 1024;

/** Socket.IO with the same allowed origins as REST and a bounded frame size. */
export class ParleyIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = new Set([this.config.publicUrl, ...this.config.corsOrigins]);
    return super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_FRAME_BYTES,
      cors: { origin: [...allowed], credentials: false },
      // Browsers always send Origin; a foreign one is refused. Non-browser clients send none.
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const origin = request.headers.origin;
        callback(null, origin === undefined || allowed.has(origin) || isSameHost(origin, request.headers.host));
      },
    }) as Server;
  }
}

function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
