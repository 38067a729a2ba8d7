import type { ErrorCode } from './errors';
import type { EditMessageRequest, MarkReadRequest, MessageChangeEvent, MessageDto, SendMessageRequest, SentMessage } from './messages';
import type { PresenceStatus, SetStatus } from './presence';
import type { ChannelDto } from './channels';

/** Every Socket.IO acknowledgement: the result, or a coded error. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

export interface AckError {
  code: ErrorCode;
  message: string;
  /** True when sending the same request again (same clientMsgId) may succeed. */
  retryable: boolean;
}

export interface ChannelRef {
  channelId: string;
}

export interface MessageRef {
  messageId: string;
}

/** A reaction over the socket: the emoji itself or a shortcode such as `+1`, as in the REST path. */
export interface ReactionRef extends MessageRef {
  emoji: string;
}

export interface SyncRequest {
  /** The last seq the client has of each channel (0 for none). */
  cursors: Record<string, number>;
  /**
   * The last changeSeq the client has applied of each channel (see MessageChangeEvent); a
   * channel left out gets no changes back. A client without changes yet sends the channel's
   * `lastChangeSeq` from when it loaded the messages it holds.
   */
  changeCursors?: Record<string, number>;
}

export interface SyncResult {
  /**
   * Every message after each cursor, per channel in seq order: thread replies too (they share
   * the channel's seqs; a client routes a message with threadRootId into its thread, and shows it
   * in the channel only with alsoInChannel), so open threads and unread counts stay exact. The
   * roots they changed come as 'replied' changes.
   */
  messages: MessageDto[];
  /** Every change after each change cursor, per channel in changeSeq order. */
  changes: MessageChangeEvent[];
  /** Channels with more than the limit missing: page them through GET /api/channels/:id/messages?after=. */
  truncated: string[];
}

export interface StatusUpdateEvent {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: string | null;
}

export interface UserTypingEvent {
  userId: string;
  channelId: string;
  typing: boolean;
}

export interface ReadUpdateEvent {
  channelId: string;
  userId: string;
  seq: number;
}

/** A person's profile as others see it changed (their name, picture or status text). */
export interface UserUpdatedEvent {
  userId: string;
  displayName: string;
  avatarUrl: string | null;
  statusText: string | null;
}

export interface MemberEvent {
  channelId: string;
  userId: string;
  /** How many members the channel has after the change (for the channel header). */
  memberCount: number;
}

export interface WorkspaceRef {
  workspaceId: string;
}

/** Client → server events, each answered through the acknowledgement callback. */
export interface ClientToServerEvents {
  sendMessage: (payload: SendMessageRequest & ChannelRef, ack: (result: Ack<SentMessage>) => void) => void;
  typingStart: (payload: ChannelRef, ack?: (result: Ack<null>) => void) => void;
  typingStop: (payload: ChannelRef, ack?: (result: Ack<null>) => void) => void;
  markRead: (payload: MarkReadRequest & ChannelRef, ack?: (result: Ack<null>) => void) => void;
  setStatus: (payload: { status: SetStatus }, ack?: (result: Ack<StatusUpdateEvent>) => void) => void;
  sync: (payload: SyncRequest, ack: (result: Ack<SyncResult>) => void) => void;
  /** PATCH /api/messages/:id over the socket: the sender's new text; answers the message as it is now. Audited like the route. */
  editMessage: (payload: EditMessageRequest & MessageRef, ack: (result: Ack<MessageDto>) => void) => void;
  /** PUT /api/messages/:id/reactions/:emoji over the socket (idempotent). */
  addReaction: (payload: ReactionRef, ack: (result: Ack<MessageDto>) => void) => void;
  /** DELETE /api/messages/:id/reactions/:emoji over the socket (idempotent). */
  removeReaction: (payload: ReactionRef, ack: (result: Ack<MessageDto>) => void) => void;
}

/** Server → client events. */
export interface ServerToClientEvents {
  newMessage: (message: MessageDto) => void;
  /** A message was edited, pinned or unpinned, or a thread root got a reply (the event carries it as it is now). */
  messageUpdated: (event: MessageChangeEvent) => void;
  /** A reaction was added to or removed from a message (kind 'reacted'). */
  reactionUpdated: (event: MessageChangeEvent) => void;
  /** A message was deleted. */
  messageDeleted: (event: MessageChangeEvent) => void;
  statusUpdate: (event: StatusUpdateEvent) => void;
  /**
   * A person renamed themselves, changed their picture or their status text: to the same people
   * as their statusUpdate (and their own other sockets).
   */
  userUpdated: (event: UserUpdatedEvent) => void;
  userTyping: (event: UserTypingEvent) => void;
  /**
   * A read position moved. Always to the reader's own connections (unread counts on every device);
   * to the channel's other members only as a read receipt: in a DM, group DM or channel of at most
   * READ_RECEIPTS_MAX_MEMBERS members, when the workspace and the reader send receipts, and only to
   * members who have receipts on themselves.
   */
  readUpdate: (event: ReadUpdateEvent) => void;
  /**
   * The person turned sending read receipts off: stop showing their reads (until they turn them
   * on and read again). To the members of that person's channels.
   */
  readReceiptsWithdrawn: (event: { userId: string }) => void;
  memberJoined: (event: MemberEvent) => void;
  memberLeft: (event: MemberEvent) => void;
  channelUpdated: (channel: ChannelDto) => void;
  /** You became a member of a workspace (an invite accepted, reactivated): fetch your workspaces again. */
  workspaceJoined: (event: WorkspaceRef) => void;
  /** You are no longer in a workspace (removed, deactivated, or it was deleted). */
  workspaceLeft: (event: WorkspaceRef) => void;
  /**
   * The workspace's list of public channels changed for people outside the channel (one was
   * created, renamed or archived): fetch the channel list again. Members of the channel get
   * `channelUpdated` instead.
   */
  channelsChanged: (event: WorkspaceRef) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/**
 * Every client → server event name, at run time (for tests that walk them all). A record keyed
 * by the interface, so adding an event to ClientToServerEvents without listing it here, or
 * listing one that does not exist, fails to compile.
 */
const CLIENT_EVENTS: Record<ClientEventName, true> = {
  sendMessage: true,
  typingStart: true,
  typingStop: true,
  markRead: true,
  setStatus: true,
  sync: true,
  editMessage: true,
  addReaction: true,
  removeReaction: true,
};
export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENTS) as readonly ClientEventName[];
