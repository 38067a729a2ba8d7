import { MessageChangeEvent, MessageChangeKind, MessageDto, MessageVersionDto } from '@parley/contracts';

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
}

export const MESSAGE_COLUMNS = 'id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id';

/** The same columns of messages aliased `m` (for statements that join it). */
export const MESSAGE_COLUMNS_OF_M = MESSAGE_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');

/** A message_changes row with the message as it is now. */
export interface MessageChangeRow extends MessageRow {
  change_seq: string | number;
  kind: MessageChangeKind;
}

/** A message_versions row. */
export interface MessageVersionRow {
  text: string;
  written_at: Date | string;
  replaced_at: Date | string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toMessageDto(row: MessageRow): MessageDto {
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    text: row.deleted_at ? '' : row.text,
    clientMsgId: row.client_msg_id,
    createdAt: iso(row.created_at)!,
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
    threadRootId: row.thread_root_id,
  };
}

export function toMessageChangeEvent(row: MessageChangeRow): MessageChangeEvent {
  return { channelId: row.channel_id, changeSeq: Number(row.change_seq), kind: row.kind, message: toMessageDto(row) };
}

export function toMessageVersionDto(row: MessageVersionRow): MessageVersionDto {
  return { text: row.text, writtenAt: iso(row.written_at)!, replacedAt: iso(row.replaced_at)! };
}
