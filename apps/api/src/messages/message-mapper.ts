import { type StoredFileSummary, toFileDto } from '@api/files/file-mapper';
import { ForwardedFrom, MessageChangeEvent, MessageChangeKind, MessageDto, MessageMentions, MessageVersionDto, NO_MENTIONS } from '@parley/contracts';

/** messages.reactions: what a message shows of its reactions, without the reader's `me`. */
export interface StoredReaction {
  emoji: string;
  count: number;
  userIds: string[];
}

/** A messages row as raw SQL returns it. */
export interface MessageRow {
  id: string;
  channel_id: string;
  seq: string | number;
  sender_id: string;
  text: string;
  client_msg_id: string;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  thread_root_id: string | null;
  also_in_channel: boolean;
  reply_count: number;
  last_reply_at: Date | string | null;
  replier_ids: string[];
  reactions: StoredReaction[];
  pinned_at: Date | string | null;
  pinned_by: string | null;
  forwarded_from: ForwardedFrom | null;
  /** Null for a message that mentions nobody. */
  mentions: MessageMentions | null;
  files: StoredFileSummary[];
  /** The emoji the reader (or, in an event, the actor) reacted with, where the statement selects them (see myReactions). */
  my_reactions?: string[] | null;
}

export const MESSAGE_COLUMNS =
  'id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id, also_in_channel, reply_count, last_reply_at, replier_ids, reactions, pinned_at, pinned_by, forwarded_from, mentions, files';

/**
 * The column `my_reactions`: the emoji user `reader` (a parameter such as '$2') reacted with on
 * message `alias`; no lookup for a message without reactions.
 */
export const myReactions = (alias: string, reader: string) =>
  `CASE WHEN ${alias}.reactions = '[]'::jsonb THEN NULL ELSE (SELECT array_agg(r.emoji) FROM message_reactions r WHERE r.message_id = ${alias}.id AND r.user_id = ${reader}::uuid) END AS my_reactions`;

/** The same columns of messages aliased `alias` (for statements that join it). */
export const columnsOf = (alias: string) =>
  MESSAGE_COLUMNS.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');

export const MESSAGE_COLUMNS_OF_M = columnsOf('m');

/** A message_changes row with the message as it is now. */
export interface MessageChangeRow extends MessageRow {
  change_seq: string | number;
  kind: MessageChangeKind;
  actor_id: string;
  detail: { emoji: string; added: boolean } | null;
}

/** A message_versions row. */
export interface MessageVersionRow {
  text: string;
  written_at: Date | string;
  replaced_at: Date | string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toMessageDto(row: MessageRow): MessageDto {
  const deleted = row.deleted_at !== null;
  const mine = new Set(row.my_reactions ?? []);
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    text: deleted ? '' : row.text,
    clientMsgId: row.client_msg_id,
    createdAt: iso(row.created_at)!,
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
    threadRootId: row.thread_root_id,
    alsoInChannel: row.also_in_channel,
    replyCount: Number(row.reply_count),
    lastReplyAt: iso(row.last_reply_at),
    replierIds: row.replier_ids,
    reactions: deleted ? [] : row.reactions.map((reaction) => ({ ...reaction, me: mine.has(reaction.emoji) })),
    pinnedAt: iso(row.pinned_at),
    pinnedBy: row.pinned_by,
    forwardedFrom: deleted ? null : row.forwarded_from,
    mentions: deleted || row.mentions === null ? NO_MENTIONS : row.mentions,
    files: deleted ? [] : row.files.map((file) => toFileDto(file, row.channel_id, row.id)),
  };
}

export function toMessageChangeEvent(row: MessageChangeRow): MessageChangeEvent {
  return {
    channelId: row.channel_id,
    changeSeq: Number(row.change_seq),
    kind: row.kind,
    actorId: row.actor_id,
    ...(row.detail ? { reaction: row.detail } : {}),
    message: toMessageDto(row),
  };
}

export function toMessageVersionDto(row: MessageVersionRow): MessageVersionDto {
  return { text: row.text, writtenAt: iso(row.written_at)!, replacedAt: iso(row.replaced_at)! };
}
