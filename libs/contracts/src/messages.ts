import type { FileDto } from './files';
import { BroadcastMention, MessageMentions, NO_MENTIONS } from './mentions';

export const MESSAGE_MAX_LENGTH = 10_000;
/** `sync` returns at most this many messages per channel; page the rest through REST. */
export const SYNC_MAX_PER_CHANNEL = 500;
export const HISTORY_PAGE_MAX = 100;

export interface MessageDto {
  id: string;
  channelId: string;
  /** Per channel: 1, 2, 3, … with no gaps, in the order messages were stored. */
  seq: number;
  senderId: string;
  /** Empty once the message is deleted. */
  text: string;
  clientMsgId: string;
  createdAt: string;
  /** When the text was last edited ("(edited)" in the client); null if never. */
  editedAt: string | null;
  /** When it was deleted: the client shows "This message was deleted" (or nothing without replies). */
  deletedAt: string | null;
  /** The thread this message replies in (its root), or null for a message of the channel. */
  threadRootId: string | null;
  /** A thread reply also shown in the channel's history ("also send to channel"). */
  alsoInChannel: boolean;
  /**
   * On a thread root: how many replies were stored in its thread (a deleted reply still counts:
   * deleting takes nothing off), when the last came, and the first few repliers. A deleted root
   * keeps its thread: its replies stay readable through GET /api/messages/:id/replies.
   */
  replyCount: number;
  lastReplyAt: string | null;
  /** The first THREAD_REPLIERS_SHOWN distinct people who replied, in the order they first replied. */
  replierIds: string[];
  /** Reactions in the order each emoji was first used; empty once the message is deleted. */
  reactions: ReactionDto[];
  /** When and by whom it was pinned to the channel; null when not pinned. */
  pinnedAt: string | null;
  pinnedBy: string | null;
  /** Set on a message made by forwarding: a quoted copy of the source as it was then. */
  forwardedFrom: ForwardedFrom | null;
  /** Who the text mentions, resolved by the server (see mentions.ts); empty once deleted. */
  mentions: MessageMentions;
  /** Attached files in the order they were sent (fileIds); empty once deleted. */
  files: FileDto[];
}

/**
 * The answer to the sender of a message (the sendMessage ack, `POST /api/channels/:id/messages`):
 * the message, and what only the sender is told about its mentions. Everyone else gets the
 * MessageDto alone.
 */
export interface SentMessage extends MessageDto {
  /**
   * People it mentions who are not in the channel, so they were not notified: the client offers to
   * add them (Slack's behaviour). Empty in DMs, and in a retry of a stored message as well.
   */
  mentionedNonMembers: string[];
  /** @channel/@here was written, but the workspace's `broadcastMentions` does not let the sender notify everyone. */
  broadcastRefused: BroadcastMention | null;
}

/** How many repliers a thread root names (`replierIds`). */
export const THREAD_REPLIERS_SHOWN = 3;
/** How many of the people who reacted with an emoji a reaction names (`userIds`). */
export const REACTION_USERS_SHOWN = 10;
/** How many different emoji one message may carry. */
export const REACTIONS_PER_MESSAGE_MAX = 50;
/** `GET /api/channels/:id/pins` lists at most this many, the most recently pinned first. */
export const PINS_LISTED_MAX = 100;
export const FORWARD_COMMENT_MAX_LENGTH = MESSAGE_MAX_LENGTH;

/**
 * One emoji on a message. `me`: whether the reader reacted with it. In a live event
 * (messageUpdated, messageDeleted, reactionUpdated) `me` is the event's actor's: a client that is
 * not the actor keeps its own `me` for each emoji (see MessageChangeEvent.actorId).
 */
export interface ReactionDto {
  /** The emoji itself (Unicode, e.g. "👍"), never a shortcode. */
  emoji: string;
  count: number;
  /** The first REACTION_USERS_SHOWN people who reacted with it, in the order they did. */
  userIds: string[];
  me: boolean;
}

/** The source of a forwarded message, copied when it was forwarded. */
export interface ForwardedFrom {
  messageId: string;
  channelId: string;
  senderId: string;
  createdAt: string;
  /** The source's text when it was forwarded. */
  text: string;
}

/** `POST /api/messages/:id/forward`: a new message in `channelId` quoting the source. */
export interface ForwardMessageRequest {
  channelId: string;
  /** Your words above the quote (may be empty). */
  comment?: string;
  /** As for a send: forwarding again with the same one returns the stored message. */
  clientMsgId: string;
}

/** `GET /api/messages/:id/replies`: a page of a thread's replies, ascending seq. */
export interface ReplyPageQuery {
  /** Replies after this seq (default: from the first). */
  after?: number;
  limit?: number;
}

/** A thread you follow (`GET /api/workspaces/:id/threads`), newest activity first. */
export interface ThreadDto {
  root: MessageDto;
  /** Replies by others after your read position in the thread (deleted replies are not counted). */
  unreadReplies: number;
  /** False once you unfollowed (the thread then leaves the list). */
  following: boolean;
  /** Your read position in the thread (a reply's seq; 0 for none). */
  lastReadSeq: number;
}

/**
 * `PUT /api/messages/:id/follow` and `DELETE` answer with this; also `POST /api/messages/:id/replies/read`.
 * Replying in a thread follows it (and reads it up to your reply); the root's sender follows it
 * from its first reply, unless they unfollowed it before.
 */
export interface ThreadFollowState {
  rootId: string;
  following: boolean;
  lastReadSeq: number;
  unreadReplies: number;
}

/** `PATCH /api/messages/:id`: the sender replaces the text (the earlier one is kept as a version). */
export interface EditMessageRequest {
  text: string;
}

/** An earlier text of an edited message (`GET /api/messages/:id/versions`, oldest first). */
export interface MessageVersionDto {
  text: string;
  /** When this text was written: the message's creation, or the edit that made it. */
  writtenAt: string;
  /** When an edit replaced it. */
  replacedAt: string;
}

/** What happened to a stored message. */
export type MessageChangeKind =
  | 'edited'
  | 'deleted'
  /** A reaction added or removed (event reactionUpdated). */
  | 'reacted'
  | 'pinned'
  | 'unpinned'
  /** A thread root whose replyCount, lastReplyAt or replierIds changed (a reply was stored). */
  | 'replied';

/**
 * A change to a stored message. Each channel numbers its changes 1, 2, 3, … with no gaps
 * (`changeSeq`, apart from the messages' own `seq`): a client that has applied change n of a
 * channel applies n + 1 next, and syncs when one is missing, so no change is lost or applied
 * twice. Sent as `messageDeleted` (deleted), `reactionUpdated` (reacted) or `messageUpdated`
 * (every other kind), and returned by `sync`. A client applies each the same way: the message
 * replaces the one it holds, keeping its own reactions' `me` unless it is the actor.
 */
export interface MessageChangeEvent {
  channelId: string;
  changeSeq: number;
  kind: MessageChangeKind;
  /** Who made the change (for 'replied': who replied). `me` of the message's reactions is theirs. */
  actorId: string;
  /** For 'reacted': the emoji, and whether the actor added (true) or removed it. */
  reaction?: { emoji: string; added: boolean };
  /** The message as it is after the change (deleted: text '' and deletedAt set). */
  message: MessageDto;
}

export interface SendMessageRequest {
  /** May be empty when `fileIds` has at least one file. */
  text: string;
  /**
   * Files uploaded to this channel by the sender and not yet sent (POST /api/channels/:id/files),
   * at most FILES_PER_MESSAGE_MAX; otherwise 400 FILE_NOT_ATTACHABLE.
   */
  fileIds?: string[];
  /** A UUID made by the client: sending again with the same one returns the stored message. */
  clientMsgId: string;
  /** Reply in this message's thread (a root of the same channel). */
  threadRootId?: string;
  /**
   * With threadRootId: show the reply in the channel's history too (stored as `alsoInChannel`).
   * True without threadRootId is refused (400 VALIDATION_FAILED).
   */
  alsoSendToChannel?: boolean;
}

export interface MessagePage {
  items: MessageDto[];
  /** More messages exist beyond this page (older for `before`/newest, newer for `after`; for `around`: older). */
  hasMore: boolean;
  /** For `around` only: newer messages exist beyond this page. */
  hasMoreAfter?: boolean;
}

export interface MarkReadRequest {
  seq: number;
}

/** What a message has before anyone replies, reacts, pins or forwards (for messages made in a client before the server answers, and fixtures). */
export const UNTOUCHED_MESSAGE_FIELDS: Pick<
  MessageDto,
  'alsoInChannel' | 'replyCount' | 'lastReplyAt' | 'replierIds' | 'reactions' | 'pinnedAt' | 'pinnedBy' | 'forwardedFrom' | 'mentions' | 'files'
> = Object.freeze({
  alsoInChannel: false,
  replyCount: 0,
  lastReplyAt: null,
  replierIds: [],
  reactions: [],
  pinnedAt: null,
  pinnedBy: null,
  forwardedFrom: null,
  mentions: NO_MENTIONS,
  files: [],
});
