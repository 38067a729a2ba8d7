import { MessageDto } from '@parley/contracts';

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
