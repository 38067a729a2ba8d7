import { UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';
import type { ChatMessage } from './message-groups';
import { groupMessages } from './message-groups';
import { nextReadMark, type ReadMark, type ReadMarkEvent } from './read-mark';

const message = (seq: number, senderId: string): ChatMessage => ({
  id: `m${seq}`,
  channelId: 'c',
  seq,
  senderId,
  text: `text ${seq}`,
  clientMsgId: `k${seq}`,
  createdAt: new Date(Date.UTC(2026, 10, 20, 9, seq)).toISOString(),
  editedAt: null,
  deletedAt: null,
  threadRootId: null,
  ...UNTOUCHED_MESSAGE_FIELDS,
  state: 'sent',
});

/** The seq of the first message the divider sits above, or null when there is none. */
function dividerAbove(messages: ChatMessage[], mark: ReadMark): number | null {
  const group = groupMessages(messages, mark ?? 0, 'ana').find((g) => g.newSince);
  return group ? group.messages[0].seq : null;
}

const run = (events: ReadMarkEvent[], start: ReadMark = null) => events.reduce(nextReadMark, start);

describe('nextReadMark', () => {
  const log = [1, 2, 3, 4, 5].map((seq) => message(seq, 'bruno'));

  it('opens at the read position: the divider goes above the first unread message', () => {
    const mark = run([{ kind: 'opened', lastReadSeq: 3 }]);
    expect(mark).toBe(3);
    expect(dividerAbove(log, mark)).toBe(4);
  });

  it('stays put while the person reads the channel (marking it read does not move it)', () => {
    let mark = run([{ kind: 'opened', lastReadSeq: 3 }]);
    // The channel list learns the new read position after markRead: the mark is known, so it stays.
    mark = nextReadMark(mark, { kind: 'known', lastReadSeq: 5 });
    expect(dividerAbove(log, mark)).toBe(4);
    // Coming back to the tab with nothing new keeps it too.
    mark = nextReadMark(mark, { kind: 'returned', lastReadSeq: 5, lastSeq: 5 });
    expect(dividerAbove(log, mark)).toBe(4);
  });

  it('is gone the next time the channel is opened after reading it', () => {
    let mark = run([{ kind: 'opened', lastReadSeq: 3 }]);
    expect(dividerAbove(log, mark)).toBe(4);
    // Read up to 5, went elsewhere, came back: it opens at the new read position.
    mark = nextReadMark(mark, { kind: 'opened', lastReadSeq: 5 });
    expect(dividerAbove(log, mark)).toBeNull();
  });

  it('moves above what arrived while the person was away from the tab', () => {
    const longer = [...log, message(6, 'bruno'), message(7, 'bruno')];
    let mark = run([{ kind: 'opened', lastReadSeq: 3 }]);
    mark = nextReadMark(mark, { kind: 'returned', lastReadSeq: 5, lastSeq: 7 });
    expect(mark).toBe(5);
    expect(dividerAbove(longer, mark)).toBe(6);
  });

  it('waits for the channel list after a reload, then takes its read position once', () => {
    let mark = run([{ kind: 'opened', lastReadSeq: null }]);
    expect(mark).toBeNull();
    expect(dividerAbove(log, mark)).toBeNull();
    mark = nextReadMark(mark, { kind: 'known', lastReadSeq: 2 });
    expect(dividerAbove(log, mark)).toBe(3);
    // Later refreshes of the list (after markRead, after a reconnect) do not move it.
    mark = nextReadMark(mark, { kind: 'known', lastReadSeq: 5 });
    expect(dividerAbove(log, mark)).toBe(3);
  });

  it('shows nothing for a channel never read, or read to the end', () => {
    expect(dividerAbove(log, run([{ kind: 'opened', lastReadSeq: 0 }]))).toBeNull();
    expect(dividerAbove(log, run([{ kind: 'opened', lastReadSeq: 5 }]))).toBeNull();
  });

  it('switching channels starts each one from its own read position', () => {
    const mark = run([
      { kind: 'opened', lastReadSeq: 3 },
      { kind: 'opened', lastReadSeq: null },
      { kind: 'known', lastReadSeq: 1 },
    ]);
    expect(dividerAbove(log, mark)).toBe(2);
  });
});
