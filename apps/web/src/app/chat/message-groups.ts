import type { MessageDto } from '@parley/contracts';

export type DeliveryState = 'sent' | 'pending' | 'failed';

/** A message as the client shows it: stored (sent), or still on its way. */
export interface ChatMessage extends MessageDto {
  state: DeliveryState;
}

export interface MessageGroup {
  /** Stable key for @for tracking. */
  key: string;
  senderId: string;
  /** Starts a new day: the label to show above it. */
  dayLabel: string | null;
  /** The "new since you left" divider goes above this group. */
  newSince: boolean;
  messages: ChatMessage[];
}

/** Messages by the same person within this many minutes share one header. */
const GROUP_WINDOW_MS = 5 * 60_000;

export function dayLabel(date: Date, now = new Date()): string {
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

/**
 * Groups consecutive messages by sender and day, and marks where the unread ones start
 * (the first message after `lastReadSeq` not sent by `me`).
 */
export function groupMessages(messages: readonly ChatMessage[], lastReadSeq: number, me: string | null, now = new Date()): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let previousDay = '';
  let dividerPlaced = false;
  for (const message of messages) {
    const at = new Date(message.createdAt);
    const day = at.toDateString();
    const isNew = !dividerPlaced && message.state === 'sent' && message.seq > lastReadSeq && message.senderId !== me && lastReadSeq > 0;
    const last = groups.at(-1);
    const lastMessage = last?.messages.at(-1);
    const continues =
      last &&
      lastMessage &&
      last.senderId === message.senderId &&
      day === previousDay &&
      !isNew &&
      // A thread's summary closes its root's group, and a reply also sent to the channel opens its
      // own (with "replied to a thread"): neither reads as part of the message beside it.
      !lastMessage.replyCount &&
      !(message.threadRootId && message.alsoInChannel) &&
      at.getTime() - new Date(lastMessage.createdAt).getTime() < GROUP_WINDOW_MS;
    if (continues) {
      last.messages.push(message);
    } else {
      groups.push({
        key: message.clientMsgId,
        senderId: message.senderId,
        dayLabel: day !== previousDay ? dayLabel(at, now) : null,
        newSince: isNew,
        messages: [message],
      });
    }
    if (isNew) dividerPlaced = true;
    previousDay = day;
  }
  return groups;
}

/** One message as a row of the (virtual) message list, knowing what goes above and beside it. */
export interface MessageRow {
  kind: 'message';
  /** The message's clientMsgId: the same from pending to sent, so the row keeps its place and measured height. */
  key: string;
  message: ChatMessage;
  senderId: string;
  /** First message of a sender group: shows the avatar, name and time. */
  startsGroup: boolean;
  /** Last message of its group. */
  endsGroup: boolean;
  /** A day separator goes above this row (only on a group's first row). */
  dayLabel: string | null;
  /** The "new since you left" separator goes above this row (only on a group's first row). */
  newSince: boolean;
}

/** Flattens groups into one row per message, in the same order. */
export function messageRows(groups: readonly MessageGroup[]): MessageRow[] {
  const rows: MessageRow[] = [];
  for (const group of groups) {
    group.messages.forEach((message, index) => {
      const startsGroup = index === 0;
      rows.push({
        kind: 'message',
        key: message.clientMsgId,
        message,
        senderId: group.senderId,
        startsGroup,
        endsGroup: index === group.messages.length - 1,
        dayLabel: startsGroup ? group.dayLabel : null,
        newSince: startsGroup && group.newSince,
      });
    });
  }
  return rows;
}
