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
  threadRootId: string | null;
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
export type MessageChangeKind = 'edited' | 'deleted';

/**
 * A change to a stored message. Each channel numbers its changes 1, 2, 3, … with no gaps
 * (`changeSeq`, apart from the messages' own `seq`): a client that has applied change n of a
 * channel applies n + 1 next, and syncs when one is missing, so no change is lost or applied
 * twice. Sent as `messageUpdated` (an edit) or `messageDeleted`, and returned by `sync`.
 */
export interface MessageChangeEvent {
  channelId: string;
  changeSeq: number;
  kind: MessageChangeKind;
  /** The message as it is after the change (deleted: text '' and deletedAt set). */
  message: MessageDto;
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
