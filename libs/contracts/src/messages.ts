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
  text: string;
  clientMsgId: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  threadRootId: string | null;
}

export interface SendMessageRequest {
  text: string;
  /** A UUID made by the client: sending again with the same one returns the stored message. */
  clientMsgId: string;
  threadRootId?: string;
}

export interface MessagePage {
  items: MessageDto[];
  /** More messages exist beyond this page (older for `before`/newest, newer for `after`). */
  hasMore: boolean;
}

export interface MarkReadRequest {
  seq: number;
}
