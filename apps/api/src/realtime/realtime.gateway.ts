import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import {
  Ack,
  AuthErrorCode,
  ClientEventName,
  ClientToServerEvents,
  MessageChangeEvent,
  MessageDto,
  ReadUpdateEvent,
  ServerEventName,
  ServerToClientEvents,
  StatusUpdateEvent,
  UserTypingEvent,
  UserUpdatedEvent,
} from '@parley/contracts';
import type { BroadcastOperator, Server, Socket } from 'socket.io';
import { ChannelAction, MessageAction } from '../access/access.rules';
import { AccessService } from '../access/access.service';
import { MembershipRepository } from '../access/membership.repository';
import { withDeclaredCheck, withDeclaredMessageCheck } from '../access/access-declarations';
import { AccessTokenVerifier } from '../auth/access-tokens';
import { AuthUser } from '../auth/current-user';
import { SessionsService } from '../auth/sessions.service';
import { ChannelsService } from '../channels/channels.service';
import { AuthError, AuthException } from '../common/domain-errors';
import { validatePayload } from '../common/validation';
import { ChannelMembersEvent, ChannelUpdatedEvent, SessionRevokedEvent, WorkspaceMemberEvent } from '../events/app-events';
import { OnAppEvent } from '../events/event-bus';
import { MessageChangesService } from '../messages/message-changes.service';
import { MessageMarksService } from '../messages/message-marks.service';
import { MessagesService } from '../messages/messages.service';
import { ReadReceiptsService } from '../messages/read-receipts.service';
import { PresenceService } from '../presence/presence.service';
import { TypingService } from '../presence/typing.service';
import { RedisService } from '../redis/redis.module';
import { toAck, toHandshakeError } from './ack';
import {
  AckDataOf,
  AnswersClientEvents,
  ClientEventHandler,
  ClientEventTable,
  EventSocket,
  onChannel,
  onMessage,
  signedIn,
  SubscribeClientEvents,
  visibleChannels,
} from './client-events';
import { OrderedDelivery } from './ordered-delivery';
import { socketClient, TrustFunction } from './socket-client';
import { ChannelRefDto, checkCursors, SetStatusDto, SocketEditMessageDto, SocketMarkReadDto, SocketReactionDto, SocketSendMessageDto, SyncDto } from './socket.dto';

/** What the handshake established about a socket: whose it is, and for which session. */
export type SocketData = AuthUser;

interface InterServerEvents {
  'parley:newMessage': (message: MessageDto) => void;
  'parley:messageChanged': (change: MessageChangeEvent) => void;
  'parley:sessionRevoked': (sessionId: string) => void;
}

type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** Where a server event goes: rooms, on every instance or on this one. */
type Target = BroadcastOperator<ServerToClientEvents, SocketData>;

/** How long a membership change waits for the other instances to confirm their rooms followed. */
const ROOM_CHANGE_WAIT_MS = 1000;

const userRoom = (id: string) => `user:${id}`;
const workspaceRoom = (id: string) => `workspace:${id}`;
/** The sockets of a workspace's members who see all its people (PEOPLE_SEEN), and so everyone's presence there. */
const presenceRoom = (workspaceId: string) => `presence:${workspaceId}`;
const channelRoom = (id: string) => `channel:${id}`;

/** How the handshake words a refused token (clients match the code before the colon). */
const HANDSHAKE_REFUSALS: Partial<Record<AuthError, string>> = {
  [AuthError.TokenInvalid]: 'the access token is not valid or has expired',
  [AuthError.SessionRevoked]: 'this session has ended',
};

/**
 * The Socket.IO endpoint, a transport adapter: a connection presents an access token
 * (`auth: { token }`) for a live session and joins `user:<id>`, its workspaces and its
 * channels; each client event of the contracts is validated, handed to its service and answered
 * through its acknowledgement (`clientEvents`); server events go out through `send`. Messages
 * reach sockets in seq order per channel, and edits and deletes in changeSeq order, from
 * whichever instance stored them.
 */
@WebSocketGateway()
@SubscribeClientEvents()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown, AnswersClientEvents {
  private readonly logger = new Logger('Realtime');
  @WebSocketServer() server!: ParleyServer;
  initialized = false;
  private delivery!: OrderedDelivery<MessageDto>;
  private changeDelivery!: OrderedDelivery<MessageChangeEvent>;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly changes: MessageChangesService,
    private readonly marks: MessageMarksService,
    private readonly readReceipts: ReadReceiptsService,
    private readonly channels: ChannelsService,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly redis: RedisService,
    private readonly httpAdapterHost: HttpAdapterHost,
  ) {}

  /**
   * Every client event: its payload class, who may send it, what it does. Only editMessage is
   * audited, as its route is (sends, reactions and read marks are not, on REST either: see
   * NotAudited). Edits and reactions go through the same services as their routes, in batches.
   */
  readonly clientEvents: ClientEventTable = {
    sendMessage: {
      payload: SocketSendMessageDto,
      rule: onChannel(ChannelAction.Post),
      handle: async (user, { channelId, ...request }) => {
        const { message } = await this.messages.send(user.userId, channelId, request);
        void this.typing.stop(user.userId, channelId);
        return message;
      },
    },
    typingStart: {
      payload: ChannelRefDto,
      rule: onChannel(ChannelAction.Type),
      handle: async (user, { channelId }) => {
        await this.access.requireChannel(user, channelId, ChannelAction.Type);
        await this.typing.start(user.userId, channelId);
        return null;
      },
    },
    typingStop: {
      payload: ChannelRefDto,
      rule: onChannel(ChannelAction.Type),
      handle: async (user, { channelId }) => {
        await this.access.requireChannel(user, channelId, ChannelAction.Type);
        await this.typing.stop(user.userId, channelId);
        return null;
      },
    },
    markRead: {
      payload: SocketMarkReadDto,
      rule: onChannel(ChannelAction.MarkRead),
      handle: async (user, { channelId, seq }) => {
        await this.messages.markRead(user, channelId, seq);
        return null;
      },
    },
    setStatus: {
      payload: SetStatusDto,
      rule: signedIn,
      handle: (user, { status }) => this.presence.setStatus(user.userId, status),
    },
    sync: {
      payload: SyncDto,
      rule: visibleChannels,
      handle: (user, { cursors, changeCursors }) =>
        this.messages.sync(user.userId, checkCursors(cursors), changeCursors === undefined ? {} : checkCursors(changeCursors, 'changeCursors')),
    },
    editMessage: {
      payload: SocketEditMessageDto,
      rule: onMessage(MessageAction.Edit),
      handle: (user, { messageId, text }, client) => this.changes.edit(user, messageId, text, client()),
    },
    addReaction: {
      payload: SocketReactionDto,
      rule: onMessage(MessageAction.React),
      handle: (user, { messageId, emoji }) => this.marks.react(user, messageId, emoji, true),
    },
    removeReaction: {
      payload: SocketReactionDto,
      rule: onMessage(MessageAction.React),
      handle: (user, { messageId, emoji }) => this.marks.react(user, messageId, emoji, false),
    },
  };

  /** A client event: its payload validated, its handler run, the outcome as the acknowledgement. */
  answer<E extends ClientEventName>(event: E, socket: EventSocket, body: unknown): Promise<Ack<AckDataOf<E>>> {
    const { payload, handle, rule } = this.clientEvents[event] as ClientEventHandler<E>;
    return toAck(async () => {
      const valid = await validatePayload(payload, body);
      const client = () => (socket.request ? socketClient(socket.request, this.trust()) : { ip: null, userAgent: null });
      const run = () => handle(socket.data, valid, client);
      if (rule.kind === 'channel') return withDeclaredCheck((valid as { channelId: string }).channelId, rule.action, `socket event ${event}`, run);
      if (rule.kind === 'message') return withDeclaredMessageCheck((valid as { messageId: string }).messageId, rule.action, `socket event ${event}`, run);
      return run();
    });
  }

  /** Express's `trust proxy`, compiled: a socket's address is read as a request's is. */
  private trust(): TrustFunction {
    const express = this.httpAdapterHost.httpAdapter?.getInstance<{ get(name: string): unknown }>();
    const trust = express?.get('trust proxy fn');
    return typeof trust === 'function' ? (trust as TrustFunction) : () => false;
  }

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
    this.delivery = new OrderedDelivery<MessageDto>({
      seqOf: (message) => message.seq,
      deliver: (messages) => {
        for (const message of messages) this.send(server.local.to(channelRoom(message.channelId)), 'newMessage', message);
      },
      fetchRange: (channelId, from, to) => this.messages.fetchRange(channelId, from, to),
      onError: (error) => this.logger.warn(`Filling a gap failed: ${(error as Error).message}`),
    });
    this.changeDelivery = new OrderedDelivery<MessageChangeEvent>({
      seqOf: (change) => change.changeSeq,
      deliver: (changes) => {
        for (const change of changes) {
          this.send(server.local.to(channelRoom(change.channelId)), changeEventName(change), change);
        }
      },
      fetchRange: (channelId, from, to) => this.changes.fetchRange(channelId, from, to),
      onError: (error) => this.logger.warn(`Filling a gap of changes failed: ${(error as Error).message}`),
    });
    server.on('parley:newMessage', (message: MessageDto) => this.delivery.accept(message));
    server.on('parley:messageChanged', (change: MessageChangeEvent) => this.changeDelivery.accept(change));
    server.on('parley:sessionRevoked', (sessionId: string) => this.sessions.forget(sessionId));
    this.sweeper = setInterval(() => {
      const unused = (channelId: string) => !server.sockets.adapter.rooms.has(channelRoom(channelId));
      this.delivery.sweep(5 * 60_000, unused);
      this.changeDelivery.sweep(5 * 60_000, unused);
    }, 60_000);
    this.sweeper.unref();
    this.initialized = true;
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.delivery?.close();
    this.changeDelivery?.close();
  }

  async handleConnection(socket: ParleySocket): Promise<void> {
    socket.onAny(() => void this.presence.activity(socket.id).catch(() => undefined));
    await this.presence
      .connected(socket.data.userId, socket.id)
      .catch((error: Error) => this.logger.warn(`Presence of ${socket.data.userId}: ${error.message}`));
  }

  /**
   * Joins `user:<id>`, the user's workspaces (and their presence rooms where the user sees all
   * people) and channels, and primes ordered delivery (of messages and of changes) for each channel.
   */
  private async joinRooms(socket: ParleySocket): Promise<void> {
    const { userId } = socket.data;
    const { workspaces, channels } = await this.memberships.findSocketRooms(userId);
    for (const channel of channels) {
      this.delivery.prime(channel.id, channel.lastSeq);
      this.changeDelivery.prime(channel.id, channel.lastChangeSeq);
    }
    await socket.join([
      userRoom(userId),
      ...workspaces.map((w) => workspaceRoom(w.id)),
      ...workspaces.filter((w) => w.seesAllPeople).map((w) => presenceRoom(w.id)),
      ...channels.map((channel) => channelRoom(channel.id)),
    ]);
  }

  async handleDisconnect(socket: ParleySocket): Promise<void> {
    if (!socket.data?.userId) return;
    await this.presence.disconnected(socket.data.userId, socket.id).catch((error: Error) => this.logger.warn(error.message));
  }

  /** Emits a server event of the contracts, its payload checked against the event. */
  private send<E extends ServerEventName>(target: Target, event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    (target.emit as (event: E, payload: Parameters<ServerToClientEvents[E]>[0]) => boolean)(event, payload);
  }

  @OnAppEvent('message.created')
  onMessageCreated(message: MessageDto): void {
    this.delivery.accept(message);
    if (this.redis.enabled) this.server.serverSideEmit('parley:newMessage', message);
  }

  @OnAppEvent('message.changed')
  onMessageChanged(change: MessageChangeEvent): void {
    this.changeDelivery.accept(change);
    if (this.redis.enabled) this.server.serverSideEmit('parley:messageChanged', change);
  }

  /**
   * The reader's own sockets always (unread counts on their other devices); the other members
   * only as a read receipt, those ReadReceiptsService allows (none in a big channel), in one emit.
   */
  @OnAppEvent('message.read')
  async onReadUpdated(event: ReadUpdateEvent): Promise<void> {
    const audience = await this.readReceipts.audience(event.channelId, event.userId);
    this.send(this.server.to([event.userId, ...audience].map(userRoom)), 'readUpdate', event);
  }

  /** To the person's channels (where their reads may show as receipts) and their own other sockets. */
  @OnAppEvent('user.read-receipts.withdrawn')
  async onReadReceiptsWithdrawn({ userId }: { userId: string }): Promise<void> {
    const { channelIds } = await this.presenceAudienceOf(userId);
    this.send(this.server.to([userRoom(userId), ...channelIds.map(channelRoom)]), 'readReceiptsWithdrawn', { userId });
  }

  @OnAppEvent('presence.typing.changed')
  onTyping(event: UserTypingEvent): void {
    this.send(this.server.to(channelRoom(event.channelId)).except(userRoom(event.userId)), 'userTyping', event);
  }

  /**
   * To the person's own sockets; to the members of their workspaces who see all people (the
   * presence rooms); and to their channels, where the guests who share one with them hear it
   * (PEOPLE_SEEN). One emit: a socket in several of these rooms gets it once.
   */
  @OnAppEvent('presence.changed')
  async onPresence(event: StatusUpdateEvent): Promise<void> {
    const { workspaceIds, channelIds } = await this.presenceAudienceOf(event.userId);
    this.send(this.server.to([userRoom(event.userId), ...workspaceIds.map(presenceRoom), ...channelIds.map(channelRoom)]), 'statusUpdate', event);
  }

  /** A new name, picture or status text: to whoever hears the person's presence (onPresence). */
  @OnAppEvent('user.profile.changed')
  async onProfile(event: UserUpdatedEvent): Promise<void> {
    const { workspaceIds, channelIds } = await this.presenceAudienceOf(event.userId);
    this.send(this.server.to([userRoom(event.userId), ...workspaceIds.map(presenceRoom), ...channelIds.map(channelRoom)]), 'userUpdated', event);
  }

  /**
   * The workspaces and channels of a user: the rooms one of the user's sockets here is in (kept
   * current as memberships change, on every instance), or from the database when none is
   * connected here.
   */
  private async presenceAudienceOf(userId: string): Promise<{ workspaceIds: string[]; channelIds: string[] }> {
    const adapter = this.server.sockets.adapter;
    const socketId = adapter.rooms.get(userRoom(userId))?.values().next().value;
    const joined = socketId === undefined ? undefined : adapter.sids.get(socketId);
    if (!joined) return this.memberships.presenceAudienceOf(userId);
    const idsIn = (prefix: string) => [...joined].filter((room) => room.startsWith(prefix)).map((room) => room.slice(prefix.length));
    return { workspaceIds: idsIn('workspace:'), channelIds: idsIn('channel:') };
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
    for (const userId of userIds) this.send(this.server.to([channelRoom(channelId), userRoom(userId)]), 'memberJoined', { channelId, userId, memberCount });
  }

  @OnAppEvent('channel.members.removed')
  async onMembersRemoved({ channelId, userIds }: ChannelMembersEvent): Promise<void> {
    const memberCount = await this.channels.memberCount(channelId);
    for (const userId of userIds) this.send(this.server.to([channelRoom(channelId), userRoom(userId)]), 'memberLeft', { channelId, userId, memberCount });
    this.server.in(userIds.map(userRoom)).socketsLeave(channelRoom(channelId));
    await this.applied(userIds.map(userRoom));
  }

  /** Members of the channel get the channel; for a public one, the rest of the workspace is told its list changed. */
  @OnAppEvent('channel.created')
  @OnAppEvent('channel.updated')
  async onChannelUpdated({ channelId }: ChannelUpdatedEvent): Promise<void> {
    const channel = await this.channels.findForBroadcast(channelId);
    if (!channel) return;
    this.send(this.server.to(channelRoom(channelId)), 'channelUpdated', channel);
    if (channel.type === 'public') {
      this.send(this.server.to(workspaceRoom(channel.workspaceId)).except(channelRoom(channelId)), 'channelsChanged', { workspaceId: channel.workspaceId });
    }
  }

  @OnAppEvent('workspace.created')
  @OnAppEvent('workspace.member.joined')
  @OnAppEvent('workspace.member.reactivated')
  async onMemberActive({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const [channels, seesAll] = await Promise.all([this.channels.idsOfMember(workspaceId, userId), this.memberships.seesAllPeople(workspaceId, userId)]);
    this.server.in(userRoom(userId)).socketsJoin([workspaceRoom(workspaceId), ...(seesAll ? [presenceRoom(workspaceId)] : []), ...channels.map(channelRoom)]);
    await this.applied([userRoom(userId)]);
    this.send(this.server.to(userRoom(userId)), 'workspaceJoined', { workspaceId });
  }

  /** A guest made a member hears everyone's presence from now on; a member made a guest only that of the people of their channels. */
  @OnAppEvent('workspace.member.role.changed')
  async onRoleChanged({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const seesAll = await this.memberships.seesAllPeople(workspaceId, userId);
    if (seesAll) this.server.in(userRoom(userId)).socketsJoin(presenceRoom(workspaceId));
    else this.server.in(userRoom(userId)).socketsLeave(presenceRoom(workspaceId));
    await this.applied([userRoom(userId)]);
  }

  @OnAppEvent('workspace.member.removed')
  @OnAppEvent('workspace.member.deactivated')
  async onMemberGone({ workspaceId, userId }: WorkspaceMemberEvent): Promise<void> {
    const channels = await this.channels.idsOfMember(workspaceId, userId);
    this.send(this.server.to(userRoom(userId)), 'workspaceLeft', { workspaceId });
    this.server.in(userRoom(userId)).socketsLeave([workspaceRoom(workspaceId), presenceRoom(workspaceId), ...channels.map(channelRoom)]);
    await this.applied([userRoom(userId)]);
  }

  @OnAppEvent('workspace.deleted')
  async onWorkspaceDeleted({ workspaceId }: WorkspaceMemberEvent): Promise<void> {
    const channels = await this.channels.idsInWorkspace(workspaceId);
    this.send(this.server.to(workspaceRoom(workspaceId)), 'workspaceLeft', { workspaceId });
    this.server.in(workspaceRoom(workspaceId)).socketsLeave([workspaceRoom(workspaceId), presenceRoom(workspaceId), ...channels.map(channelRoom)]);
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

  /** The token check REST makes too (AccessTokenVerifier), its refusals worded for the handshake. */
  private async authenticate(socket: Socket): Promise<SocketData> {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) throw new Error(`${AuthErrorCode.TokenMissing}: send auth: { token } with an access token`);
    try {
      return await this.tokens.verify(token);
    } catch (error) {
      const refusal = error instanceof AuthException ? HANDSHAKE_REFUSALS[error.reason] : undefined;
      throw refusal ? new Error(`${(error as AuthException).code}: ${refusal}`) : error;
    }
  }
}

/** The server event a change goes out as. */
function changeEventName(change: MessageChangeEvent): 'messageDeleted' | 'reactionUpdated' | 'messageUpdated' {
  if (change.kind === 'deleted') return 'messageDeleted';
  if (change.kind === 'reacted') return 'reactionUpdated';
  return 'messageUpdated';
}
