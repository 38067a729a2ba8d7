import { Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JwtService } from '@nestjs/jwt';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessTokenPayload } from '../auth/jwt.strategy';
import { SESSION_REVOKED, SessionRevokedEvent, SessionsService } from '../auth/sessions.service';

/** What the handshake established about a socket. */
export interface SocketData {
  userId: string;
  sessionId: string;
}

/**
 * The Socket.IO endpoint. A connection must present an access token (`auth: { token }`)
 * for a live session; it then joins the room `user:<id>`. Ending the session closes it.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('Realtime');
  @WebSocketServer() server!: Server;
  initialized = false;

  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsService,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        (data) => {
          socket.data = data;
          next();
        },
        (error: Error) => next(error),
      );
    });
    this.initialized = true;
  }

  async handleConnection(socket: Socket<never, never, never, SocketData>): Promise<void> {
    await socket.join(`user:${socket.data.userId}`);
  }

  @OnEvent(SESSION_REVOKED)
  onSessionRevoked({ sessionId, userId }: SessionRevokedEvent): void {
    this.server
      .in(`user:${userId}`)
      .fetchSockets()
      .then((sockets) => {
        for (const socket of sockets) {
          if ((socket.data as SocketData).sessionId === sessionId) socket.disconnect(true);
        }
      })
      .catch((error: Error) => this.logger.warn(`Could not close the sockets of session ${sessionId}: ${error.message}`));
  }

  private async authenticate(socket: Socket): Promise<SocketData> {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) throw new Error('AUTH_TOKEN_MISSING: send auth: { token } with an access token');
    let payload: AccessTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessTokenPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw new Error('AUTH_TOKEN_INVALID: the access token is not valid or has expired');
    }
    if (!(await this.sessions.isActive(payload.sid, payload.sub))) {
      throw new Error('AUTH_SESSION_REVOKED: this session has ended');
    }
    return { userId: payload.sub, sessionId: payload.sid };
  }
}
