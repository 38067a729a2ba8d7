import { UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';
import type { ChatMessage } from './message-groups';
import { groupMessages, messageRows } from './message-groups';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 9, minutes)).toISOString();
const message = (seq: number, senderId: string, minutes: number, state: ChatMessage['state'] = 'sent'): ChatMessage => ({
  id: `m${seq}`,
  channelId: 'c',
  seq,
  senderId,
  text: `text ${seq}`,
  clientMsgId: `k${seq}`,
  createdAt: at(minutes),
  editedAt: null,
  deletedAt: null,
  threadRootId: null,
  ...UNTOUCHED_MESSAGE_FIELDS,
  state,
});

describe('groupMessages', () => {
  it('groups consecutive messages of one sender within five minutes', () => {
    const groups = groupMessages([message(1, 'ana', 0), message(2, 'ana', 2), message(3, 'bruno', 3), message(4, 'ana', 4), message(5, 'ana', 20)], 0, 'ana');
    expect(groups.map((g) => g.messages.map((m) => m.seq))).toEqual([[1, 2], [3], [4], [5]]);
    expect(groups[0].dayLabel).not.toBeNull();
    expect(groups[1].dayLabel).toBeNull();
  });

  it('ends a group at a thread root with replies (its summary goes under it), and starts one at a reply also sent to the channel', () => {
    const root = { ...message(1, 'ana', 0), replyCount: 2 };
    const also = { ...message(3, 'ana', 2), threadRootId: 'm1', alsoInChannel: true };
    const groups = groupMessages([root, message(2, 'ana', 1), also, message(4, 'ana', 3)], 0, 'ana');
    expect(groups.map((g) => g.messages.map((m) => m.seq))).toEqual([[1], [2], [3, 4]]);
  });

  it('puts the "new since you left" divider above the first unread message from someone else', () => {
    const groups = groupMessages([message(1, 'bruno', 0), message(2, 'bruno', 1), message(3, 'bruno', 2)], 1, 'ana');
    expect(groups.map((g) => [g.newSince, g.messages.map((m) => m.seq)])).toEqual([
      [false, [1]],
      [true, [2, 3]],
    ]);
  });

  it('shows no divider when nothing was read yet or for your own messages', () => {
    expect(groupMessages([message(1, 'bruno', 0)], 0, 'ana').some((g) => g.newSince)).toBe(false);
    expect(groupMessages([message(1, 'ana', 0), message(2, 'ana', 1)], 1, 'ana').some((g) => g.newSince)).toBe(false);
  });
});

describe('messageRows', () => {
  it('gives each message one row, in order, keyed by its clientMsgId', () => {
    const rows = messageRows(groupMessages([message(1, 'ana', 0), message(2, 'ana', 1), message(3, 'bruno', 2)], 0, 'ana'));
    expect(rows.map((r) => [r.key, r.message.seq, r.senderId])).toEqual([
      ['k1', 1, 'ana'],
      ['k2', 2, 'ana'],
      ['k3', 3, 'bruno'],
    ]);
  });

  it('marks where a sender group starts and ends', () => {
    const rows = messageRows(groupMessages([message(1, 'ana', 0), message(2, 'ana', 1), message(3, 'ana', 2), message(4, 'bruno', 3)], 0, 'ana'));
    expect(rows.map((r) => [r.startsGroup, r.endsGroup])).toEqual([
      [true, false],
      [false, false],
      [false, true],
      [true, true],
    ]);
  });

  it('puts the day separator and the "new since you left" line only above the first row of their group', () => {
    const yesterday = { ...message(1, 'bruno', 0), createdAt: new Date(Date.UTC(2026, 10, 19, 9, 0)).toISOString() };
    const rows = messageRows(groupMessages([yesterday, message(2, 'bruno', 0), message(3, 'bruno', 1), message(4, 'bruno', 2)], 2, 'ana'));
    expect(rows.map((r) => [r.message.seq, r.dayLabel !== null, r.newSince])).toEqual([
      [1, true, false],
      [2, true, false],
      [3, false, true],
      [4, false, false],
    ]);
    expect(rows[2].startsGroup).toBe(true);
  });

  it('keeps the key from pending to sent, so the row stays the same row', () => {
    const pending = messageRows(groupMessages([{ ...message(7, 'ana', 0, 'pending'), seq: Number.MAX_SAFE_INTEGER }], 0, 'ana'));
    const sent = messageRows(groupMessages([message(7, 'ana', 0)], 0, 'ana'));
    expect(pending[0].key).toBe(sent[0].key);
  });
});
