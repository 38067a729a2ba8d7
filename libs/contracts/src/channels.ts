export type ChannelType = 'public' | 'private' | 'dm' | 'group_dm';
export type ChannelVisibility = 'public' | 'private';

export const CHANNEL_NAME_MAX_LENGTH = 80;
/** Lowercase letters, digits, hyphens and underscores; no spaces. */
export const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const GROUP_DM_MAX_PEOPLE = 8;

export interface ChannelDto {
  id: string;
  workspaceId: string;
  type: ChannelType;
  /** Null for DMs: clients name them after the other people. */
  name: string | null;
  topic: string | null;
  createdBy: string | null;
  createdAt: string;
  archivedAt: string | null;
  memberCount: number;
  /** Whether the caller is a member. */
  member: boolean;
  /** For DMs and group DMs: everyone in it. */
  dmUserIds?: string[];
  /** The seq of the newest message (0 when empty). */
  lastSeq: number;
  /** The channel's newest changeSeq (0 when no message was ever edited or deleted): the change cursor to sync from. */
  lastChangeSeq: number;
  /** The caller's read position (0 when not a member). */
  lastReadSeq: number;
  /**
   * Messages after lastReadSeq that the channel's history shows (thread replies only when also
   * sent to the channel), by others, not deleted; at most UNREAD_COUNTED_MAX; 0 for non-members
   * (see countsAsUnread). Sending a message marks the channel read up to it.
   */
  unreadCount: number;
  /**
   * Unread messages that mention the caller (by name, @channel or @here; see mentionsUser), thread
   * replies included, deleted ones not: the count of the caller's notified mentions after lastReadSeq.
   */
  mentionCount: number;
}

export interface CreateChannelRequest {
  name: string;
  visibility: ChannelVisibility;
  topic?: string;
}

export interface UpdateChannelRequest {
  name?: string;
  topic?: string | null;
}

export interface AddChannelMembersRequest {
  userIds: string[];
}

export interface OpenDmRequest {
  /** The other people (the caller is added): 1 for a DM, 2–7 for a group DM. */
  userIds: string[];
}

export interface ChannelMemberDto {
  userId: string;
  displayName: string;
  avatarUrl: string | null;
  joinedAt: string;
}

/**
 * The most unread messages a channel counts (a badge then reads "999+"): counting stops there,
 * so a channel list costs the same however far behind one is.
 */
export const UNREAD_COUNTED_MAX = 1000;

/**
 * Whether a message counts as unread for `userId` once it is past their read position: the
 * channel's history shows it (a thread reply only when also sent to the channel: replies are
 * counted by the threads one follows), someone else sent it, and it is not deleted. The one rule
 * for `ChannelDto.unreadCount`, on the server (the same condition in SQL) and in the client.
 */
export function countsAsUnread(message: { senderId: string; threadRootId: string | null; alsoInChannel: boolean; deletedAt: string | null }, userId: string): boolean {
  return message.senderId !== userId && message.deletedAt === null && (message.threadRootId === null || message.alsoInChannel);
}

/**
 * An upper bound of the unread messages between a read position and a channel's newest seq,
 * never below 0 (a read position can run ahead of a list fetched a moment earlier): every seq
 * after it, thread replies, one's own and deleted ones included.
 */
export function countUnread(lastSeq: number, lastReadSeq: number): number {
  return Math.max(0, lastSeq - lastReadSeq);
}

/**
 * Read receipts are shown in DMs, group DMs, and channels of at most this many members (who has
 * read a message, on hover); a bigger channel has none.
 */
export const READ_RECEIPTS_MAX_MEMBERS = 50;

/** Why `GET /api/channels/:id/reads` shows nobody: the workspace turned receipts off, you did, or the channel is too big. */
export type ReadReceiptsUnavailable = 'workspace' | 'you' | 'too_large';

/** A member's read position, for read receipts. */
export interface ReadReceiptDto {
  userId: string;
  /** The seq of the last message they have read. */
  lastReadSeq: number;
}

/**
 * `GET /api/channels/:id/reads`: how far each other member who sends read receipts has read.
 * People who turned receipts off are left out (and see none themselves).
 */
export interface ChannelReadsDto {
  available: boolean;
  /** Null when available. */
  unavailableReason: ReadReceiptsUnavailable | null;
  /** The other members' positions (never the caller's), empty when not available. */
  reads: ReadReceiptDto[];
}
