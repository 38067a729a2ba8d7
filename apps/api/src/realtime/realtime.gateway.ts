import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  Ack,
  ClientToServerEvents,
  MessageDto,
  ReadUpdateEvent,
  ServerToClientEvents,
  StatusUpdateEvent,
  SyncResult,
  UserTypingEvent,
} from '@parley/contracts';
import { isUUID } from 'class-validator';
import type { Server, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { ChannelAction } from '../access/access.rules';
import { AccessService } from '../access/access.service';
import { AccessTokenPayload } from '../auth/jwt.strategy';
import { SessionsService } from '../auth/sessions.service';
import { CHANNEL_ROW_SELECT, ChannelRow, toChannelDto } from '../channels/channel-rows';
import { ChannelsService } from '../channels/channels.service';
import { preparedQuery } from '../database/prepared';
import { validatePayload } from '../common/validation';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ChannelMembersEvent, ChannelUpdatedEvent, SessionRevokedEvent, WorkspaceMemberEvent } from '../events/app-events';
import { OnAppEvent } from '../events/event-bus';
import { MESSAGE_COLUMNS, MessageRow, toMessageDto } from '../messages/message-mapper';
import { MessagesService } from '../messages/messages.service';
import { PresenceService } from '../presence/presence.service';
import { TypingService } from '../presence/typing.service';
import { RedisService } from '../redis/redis.module';
import { toAck, toHandshakeError } from './ack';
import { OrderedDelivery } from './ordered-delivery';
import { ChannelRefDto, checkCursors, SetStatusDto, SocketMarkReadDto, SocketSendMessageDto, SyncDto } from './socket.dto';

/** What the handshake established about a socket. */
export interface SocketData {
  userId: string;
  sessionId: string;
}

interface InterServerEvents {
  'parley:newMessage': (message: MessageDto) => void;
  'parley:sessionRevoked': (sessionId: string) => void;
}

type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** How long a membership change waits for the other instances to confirm their rooms followed. */
const ROOM_CHANGE_WAIT_MS = 1000;

const userRoom = (id: string) => `user:${id}`;
const workspaceRoom = (id: string) => `workspace:${id}`;
const channelRoom = (id: string) => `channel:${id}`;

/**
 * The Socket.IO endpoint. A connection presents an access token (`auth: { token }`) for a
 * live session and joins `user:<id>`, its workspaces and its channels. Every client event
 * is checked like the REST routes and answered through its acknowledgement. Messages reach
 * sockets in seq order per channel, from whichever instance stored them.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  @WebSocketServer() server!: ParleyServer;
  initialized = false;
  private delivery!: OrderedDelivery;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly channels: ChannelsService,
    private readonly access: AccessService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly redis: RedisService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: ParleyServer): void {
    // Authenticate and join every room before the connection completes, so a client that
    // acts the moment it sees `connect` misses nothing.
    server.use((socket, next) => {
      this.authenticate(socket)
        .then(async (data) => {
          socket.data = data;
          await this.joinRooms(socket);
        })
        .then(
          () => next(),
          (error: unknown) => next(toHandshakeError(error)),
        );
    });
    this.delivery = new OrderedDelivery({
      deliver: (messages) => {
        for (const message of messages) server.local.to(channelRoom(message.channelId)).emit('newMessage', message);
      },
      fetchRange: (channelId, from, to) => this.fetchRange(channelId, from, to),
      onError: (error) => this.logger.warn(`Filling a gap failed: ${(error as Error).message}`),
    });
    server.on('parley:newMessage', (message: MessageDto) => this.delivery.accept(message));
    server.on('parley:sessionRevoked', (sessionId: string) => this.sessions.forget(sessionId));
    this.sweeper = setInterval(() => this.delivery.sweep(5 * 60_000, (channelId) => !server.sockets.adapter.rooms.has(channelRoom(channelId))), 60_000);
    this.sweeper.unref();
    this.initialized = true;
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.delivery?.close();
  }

  async handleConnection(socket: ParleySocket): Promise<void> {
    socket.onAny(() => void this.presence.activity(socket.id).catch(() => undefined));
    await this.presence
      .connected(socket.data.userId, socket.id)
      .catch((error: Error) => this.logger.warn(`Presence of ${socket.data.userId}: ${error.message}`));
  }

  /** Joins `user:<id>`, the user's workspaces and channels, and primes ordered delivery for each channel. */
  private async joinRooms(socket: ParleySocket): Promise<void> {
    const { userId } = socket.data;
    const rooms = await preparedQuery<{ room: string; channel_id: string | null; last_seq: string | null }>(
      this.dataSource,
      'parley_socket_rooms',
      `SELECT 'workspace:' || m.workspace_id AS room, NULL::uuid AS channel_id, NULL::bigint AS last_seq
         FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL
        WHERE m.user_id = $1 AND m.deactivated_at IS NULL
       UNION ALL
       SELECT 'channel:' || cm.channel_id, cm.channel_id, c.last_seq
         FROM channel_members cm
         JOIN channels c ON c.id = cm.channel_id
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = cm.user_id AND m.deactivated_at IS NULL
         JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
        WHERE cm.user_id = $1`,
      [userId],
    );
    for (const row of rooms) if (row.channel_id) this.delivery.prime(row.channel_id, Number(row.last_seq));
    await socket.join([userRoom(userId), ...rooms.map((row) => row.room)]);
  }

  async handleDisconnect(socket: ParleySocket): Promise<void> {
    if (!socket.data?.userId) return;
    await this.presence.disconnected(socket.data.userId, socket.id).catch((error: Error) => this.logger.warn(error.message));
  }

  // No client event here is audited: sends and read marks are not, on REST either (see NotAudited).
  @SubscribeMessage('sendMessage')
  onSendMessage(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<MessageDto>> {
    return toAck(async () => {
      const { channelId, ...request } = await validatePayload(SocketSendMessageDto, body);
      const { message } = await this.messages.send(socket.data.userId, channelId, request);
      void this.typing.stop(socket.data.userId, channelId);
      return message;
    });
  }

  @SubscribeMessage('typingStart')
  onTypingStart(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<null>> {
    return toAck(async () => {
      const { channelId } = await validatePayload(ChannelRefDto, body);
      await this.requireMember(socket.data.userId, channelId);
      await this.typing.start(socket.data.userId, channelId);
      return null;
    });
  }

  @SubscribeMessage('typingStop')
  onTypingStop(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<null>> {
    return toAck(async () => {
      const { channelId } = await validatePayload(ChannelRefDto, body);
      await this.requireMember(socket.data.userId, channelId);
      await this.typing.stop(socket.data.userId, channelId);
      return null;
    });
  }

  @SubscribeMessage('markRead')
  onMarkRead(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<null>> {
    return toAck(async () => {
      const { channelId, seq } = await validatePayload(SocketMarkReadDto, body);
      await this.messages.markRead(socket.data, channelId, seq);
      return null;
    });
  }

  @SubscribeMessage('setStatus')
  onSetStatus(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<StatusUpdateEvent>> {
    return toAck(async () => {
      const { status } = await validatePayload(SetStatusDto, body);
      return this.presence.setStatus(socket.data.userId, status);
    });
  }

  @SubscribeMessage('sync')
  onSync(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown): Promise<Ack<SyncResult>> {
    return toAck(async () => {
      const { cursors } = await validatePayload(SyncDto, body);
      return this.messages.sync(socket.data.userId, checkCursors(cursors));
    });
  }

  @OnAppEvent('message.created')
  onMessageCreated(message: MessageDto): void {
    this.delivery.accept(message);
    if (this.redis.enabled) this.server.serverSideEmit('parley:newMessage', message);
  }

  @OnAppEvent('message.read')
  onReadUpdated(event: ReadUpdateEvent): void {
    this.server.to(channelRoom(event.channelId)).emit('readUpdate', event);
  }

  @OnAppEvent('presence.typing.changed')
  onTyping(event: UserTypingEvent): void {
    this.server.to(channelRoom(event.channelId)).except(userRoom(event.userId)).emit('userTyping', event);
  }

  @OnAppEvent('presence.changed')
  async onPresence(event: StatusUpdateEvent): Promise<void> {
    const rooms = [userRoom(event.userId), ...(await this.workspaceRoomsOf(event.userId))];
    this.server.to(rooms).emit('statusUpdate', event);
  }

  /**
   * The workspace rooms of a user: those one of the user's sockets here is in (kept current as
   * memberships change, on every instance), or from the database when none is connected here.
   */
  private async workspaceRoomsOf(userId: string): Promise<string[]> {
    const adapter = this.server.sockets.adapter;
    const socketId = adapter.rooms.get(userRoom(userId))?.values().next().value;
    const joined = socketId === undefined ? undefined : adapter.sids.get(socketId);
    if (joined) return [...joined].filter((room) => room.startsWith('workspace:'));
    const rows: { workspace_id: string }[] = await this.dataSource.query(
      `SELECT workspace_id FROM workspace_members WHERE user_id = $1 AND deactivated_at IS NULL`,
      [userId],
    );
    return rows.map((row) => workspaceRoom(row.workspace_id));
  }

  /*
   * Membership changes reach every socket of the person on every instance: the room change is
   * published, then `applied()` waits until every instance has made it, so that once the REST
   * answer leaves, the next message reaches (or no longer reaches) those sockets. Then the
   * clients are told, so channel lists and member counts follow without a reload.
   */

  @OnAppEvent('channel.members.added')
  async onMembersAdded({ channelId, userIds }: ChannelMembersEvent): Promise<void> {
    this.server.in(userIds.map(userRoom)).socketsJoin(channelRoom(channelId));
    await this.applied(userIds.map(userRoom));
    const memberCount = await this.channels.memberCount(channelId);
    for (const userId of userIds) this.server.to([channelRoom(channelId), userRoom(userId)]).emit('memberJoined', { channelId, userId, memberCount });
  }

  @OnAppEvent('channel.members.removed')
  async onMembersRemoved({ channelId, userIds }: ChannelMembersEvent): Promise<void> {
    const memberCount = await this.channels.memberCount(channelId);
    for (const userId of userIds) this.server.to([channelRoom(channelId), userRoom(userId)]).emit('memberLeft', { channelId, userId, memberCount });
    this.server.in(userIds.map(userRoom)).socketsLeave(channelRoom(channelId));
    await this.applied(userIds.map(userRoom));
  }

  /** Members of the channel get the channel; for a public one, the rest of the workspace is told its list changed. */
  @OnAppEvent('channel.created')
  @OnAppEvent('channel.updated')
  async onChannelUpdated({ channelId }: ChannelUpdatedEvent): Promise<void> {
    const rows: ChannelRow[] = await this.dataSource.query(`${CHANNEL_ROW_SELECT} WHERE c.id = $2`, [null, channelId]);
    if (!rows.length) return;
    const channel = toChannelDto(rows[0]);
    this.server.to(channelRoom(channelId)).emit('channelUpdated', { ...channel, member: true });
    if (channel.type === 'public') {
      this.server.to(workspaceRoom(channel.workspaceId)).except(channelRoom(channelId)).emit('channelsChanged', { workspaceId: channel.workspaceId });
    }
  }

  @OnAppEvent('workspace.created')
  @OnAppEvent('workspace.member.joined')
  @OnAppEvent('workspace.member.reactivated')
  async onMemberActive({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const channels = await this.channelsOf(workspaceId, userId);
    this.server.in(userRoom(userId)).socketsJoin([workspaceRoom(workspaceId), ...channels.map(channelRoom)]);
    await this.applied([userRoom(userId)]);
    this.server.to(userRoom(userId)).emit('workspaceJoined', { workspaceId });
  }

  @OnAppEvent('workspace.member.removed')
  @OnAppEvent('workspace.member.deactivated')
  async onMemberGone({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const channels = await this.channelsOf(workspaceId, userId);
    this.server.to(userRoom(userId)).emit('workspaceLeft', { workspaceId });
    this.server.in(userRoom(userId)).socketsLeave([workspaceRoom(workspaceId), ...channels.map(channelRoom)]);
    await this.applied([userRoom(userId)]);
  }

  @OnAppEvent('workspace.deleted')
  async onWorkspaceDeleted({ workspaceId }: WorkspaceMemberEvent): Promise<void> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM channels WHERE workspace_id = $1`, [workspaceId]);
    this.server.to(workspaceRoom(workspaceId)).emit('workspaceLeft', { workspaceId });
    this.server.in(workspaceRoom(workspaceId)).socketsLeave([workspaceRoom(workspaceId), ...rows.map((row) => channelRoom(row.id))]);
  }

  /**
   * Resolves once every instance has handled the room changes published before this call:
   * the adapter sends requests over one Redis channel, which every instance reads in order, so
   * when all have answered this fetch they have made the earlier joins and leaves too.
   */
  private async applied(rooms: string[]): Promise<void> {
    if (!this.redis.enabled || !rooms.length) return;
    const confirmed = this.server
      .in(rooms)
      .fetchSockets()
      .then(
        () => undefined,
        (error: Error) => this.logger.warn(`Not every instance confirmed a room change: ${error.message}`),
      );
    // With Redis away the answer must not wait for the adapter's own timeout; clients catch up through sync.
    let timer: NodeJS.Timeout | undefined;
    const enough = new Promise<void>((resolve) => (timer = setTimeout(resolve, ROOM_CHANGE_WAIT_MS)));
    await Promise.race([confirmed, enough]);
    clearTimeout(timer);
  }

  @OnAppEvent('session.revoked')
  onSessionRevoked({ sessionId, userId }: SessionRevokedEvent): void {
    if (this.redis.enabled) this.server.serverSideEmit('parley:sessionRevoked', sessionId);
    this.server
      .in(userRoom(userId))
      .fetchSockets()
      .then((sockets) => {
        for (const socket of sockets) if (socket.data.sessionId === sessionId) socket.disconnect(true);
      })
      .catch((error: Error) => this.logger.warn(`Could not close the sockets of session ${sessionId}: ${error.message}`));
  }

  private async requireMember(userId: string, channelId: string): Promise<void> {
    await this.access.requireChannel({ userId }, channelId, ChannelAction.Type);
  }

  private async channelsOf(workspaceId: string, userId: string): Promise<string[]> {
    const rows: { channel_id: string }[] = await this.dataSource.query(
      `SELECT cm.channel_id FROM channel_members cm JOIN channels c ON c.id = cm.channel_id WHERE c.workspace_id = $1 AND cm.user_id = $2`,
      [workspaceId, userId],
    );
    return rows.map((row) => row.channel_id);
  }

  private async fetchRange(channelId: string, from: number, to: number): Promise<MessageDto[]> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE channel_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
      [channelId, from, to],
    );
    return rows.map(toMessageDto);
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
    if (!isUUID(payload.sub) || !isUUID(payload.sid)) throw new Error('AUTH_TOKEN_INVALID: the access token is not valid or has expired');
    if (!(await this.sessions.isActive(payload.sid, payload.sub))) {
      throw new Error('AUTH_SESSION_REVOKED: this session has ended');
    }
    return { userId: payload.sub, sessionId: payload.sid };
  }
}
