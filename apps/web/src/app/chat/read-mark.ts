/**
 * Where the "New since you left" divider goes in the open channel: above the first message
 * from someone else after this seq. `null` while the channel's read position is not known yet
 * (a reload shows the channel before the channel list arrives).
 *
 * The Slack behaviour: the divider marks what was new when the person came to the channel,
 * and stays there while they look at it (reading does not make it jump). It moves only when
 * they come back from elsewhere (the tab was hidden) to messages that arrived meanwhile, and
 * the next time they open the channel it starts from the read position again, so once read
 * it is gone.
 */
export type ReadMark = number | null;

export type ReadMarkEvent =
  /** The channel was opened; its read position if the channel list already holds it. */
  | { kind: 'opened'; lastReadSeq: number | null }
  /** The channel list (with the read position) is in: it fills a mark not known yet. */
  | { kind: 'known'; lastReadSeq: number }
  /** The person came back to the channel (tab visible again), before it is marked read. */
  | { kind: 'returned'; lastReadSeq: number; lastSeq: number };

export function nextReadMark(mark: ReadMark, event: ReadMarkEvent): ReadMark {
  switch (event.kind) {
    case 'opened':
      return event.lastReadSeq;
    case 'known':
      return mark ?? event.lastReadSeq;
    case 'returned':
      // Something arrived while they were away: the divider goes above it.
      return event.lastSeq > event.lastReadSeq ? event.lastReadSeq : mark;
  }
}
