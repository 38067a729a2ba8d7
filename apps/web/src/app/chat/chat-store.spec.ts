import type { MessageDto } from '@parley/contracts';
import { ChannelMessages, mergeSent } from './chat-store';
import type { ChatMessage } from './message-groups';

const stored = (seq: number, clientMsgId = `k${seq}`): MessageDto => ({
  id: `m${seq}`,
  channelId: 'c',
  seq,
  senderId: 'ana',
  text: `t${seq}`,
  clientMsgId,
  createdAt: new Date(0).toISOString(),
  editedAt: null,
  deletedAt: null,
  threadRootId: null,
});

describe('mergeSent', () => {
  const empty: ChannelMessages = { messages: [], outbox: [], hasOlder: false, lastSeq: 0 };

  it('keeps messages in seq order without duplicates, whatever order they arrive in', () => {
    let held = mergeSent(empty, [stored(3), stored(1)]);
    held = mergeSent(held, [stored(2), stored(3)]);
    expect(held.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(held.lastSeq).toBe(3);
  });

  it('takes a message out of the outbox when its stored copy arrives', () => {
    const pending: ChatMessage = { ...stored(Number.MAX_SAFE_INTEGER, 'mine'), id: 'mine', state: 'pending' };
    const held = mergeSent({ ...empty, outbox: [pending] }, [stored(7, 'mine')]);
    expect(held.outbox).toEqual([]);
    expect(held.messages).toEqual([{ ...stored(7, 'mine'), state: 'sent' }]);
  });
});
