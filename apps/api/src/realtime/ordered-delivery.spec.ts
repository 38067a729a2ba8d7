import { MessageChangeEvent, MessageDto, UNTOUCHED_MESSAGE_FIELDS } from '@parley/contracts';
import { OrderedDelivery } from './ordered-delivery';

const msg = (seq: number, channelId = 'c1'): MessageDto => ({
  id: `${channelId}-${seq}`,
  channelId,
  seq,
  senderId: 'u',
  text: `m${seq}`,
  clientMsgId: `${channelId}-${seq}`,
  createdAt: new Date(0).toISOString(),
  editedAt: null,
  deletedAt: null,
  threadRootId: null,
  ...UNTOUCHED_MESSAGE_FIELDS,
});

describe('OrderedDelivery', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(stored: MessageDto[] = []) {
    const delivered: number[] = [];
    const fetches: [number, number][] = [];
    const delivery = new OrderedDelivery<MessageDto>({
      seqOf: (m) => m.seq,
      deliver: (messages) => delivered.push(...messages.map((m) => m.seq)),
      fetchRange: async (channelId, from, to) => {
        fetches.push([from, to]);
        return stored.filter((m) => m.channelId === channelId && m.seq >= from && m.seq < to);
      },
      firstSightMs: 10,
      gapMs: 100,
    });
    return { delivery, delivered, fetches };
  }

  it('gathers the first messages of a channel briefly and delivers them sorted', () => {
    const { delivery, delivered } = setup();
    delivery.accept(msg(3));
    delivery.accept(msg(2));
    expect(delivered).toEqual([]);
    jest.advanceTimersByTime(10);
    expect(delivered).toEqual([2, 3]);
    delivery.accept(msg(4));
    expect(delivered).toEqual([2, 3, 4]);
  });

  it('holds a message until the one before it arrives', () => {
    const { delivery, delivered } = setup();
    delivery.accept(msg(1));
    jest.advanceTimersByTime(10);
    delivery.accept(msg(3));
    delivery.accept(msg(4));
    expect(delivered).toEqual([1]);
    delivery.accept(msg(2));
    expect(delivered).toEqual([1, 2, 3, 4]);
  });

  it('drops duplicates', () => {
    const { delivery, delivered } = setup();
    delivery.accept(msg(1));
    jest.advanceTimersByTime(10);
    delivery.accept(msg(2));
    delivery.accept(msg(2));
    delivery.accept(msg(1));
    expect(delivered).toEqual([1, 2]);
  });

  it('fills a gap that does not close from the database', async () => {
    const { delivery, delivered, fetches } = setup([msg(2), msg(3)]);
    delivery.accept(msg(1));
    jest.advanceTimersByTime(10);
    delivery.accept(msg(4));
    jest.advanceTimersByTime(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(fetches).toEqual([[2, 4]]);
    expect(delivered).toEqual([1, 2, 3, 4]);
  });

  it('delivers at once a late message from before the first one seen', () => {
    const { delivery, delivered } = setup();
    delivery.accept(msg(5));
    jest.advanceTimersByTime(10);
    delivery.accept(msg(4));
    expect(delivered).toEqual([5, 4]);
  });

  it('keeps channels apart and forgets idle ones', () => {
    const { delivery, delivered } = setup();
    delivery.accept(msg(1, 'a'));
    delivery.accept(msg(7, 'b'));
    jest.advanceTimersByTime(10);
    expect(delivered.sort()).toEqual([1, 7]);
    expect(delivery.size).toBe(2);
    jest.advanceTimersByTime(60_000);
    delivery.sweep(30_000);
    expect(delivery.size).toBe(0);
  });

  it('starts a primed channel exactly after the seq the joining socket already has', () => {
    const { delivery, delivered } = setup();
    delivery.prime('c1', 10);
    delivery.accept(msg(10)); // history: the client reads it through sync
    delivery.accept(msg(12));
    expect(delivered).toEqual([]);
    delivery.accept(msg(11));
    expect(delivered).toEqual([11, 12]);
    delivery.prime('c1', 3); // already streaming: keeps its place
    delivery.accept(msg(13));
    expect(delivered).toEqual([11, 12, 13]);
  });

  it('keeps going when a gap cannot be read, and when the gap closed meanwhile', async () => {
    const { delivery, delivered } = setup([]);
    delivery.prime('c1', 0);
    delivery.accept(msg(2));
    jest.advanceTimersByTime(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(delivered).toEqual([2]);
    delivery.accept(msg(3));
    expect(delivered).toEqual([2, 3]);
  });

  it('orders changes by their changeSeq, apart from the seq of the message they carry, filling gaps the same way', async () => {
    const change = (changeSeq: number, seq: number): MessageChangeEvent => ({ channelId: 'c1', changeSeq, kind: 'edited', actorId: 'u', message: msg(seq) });
    const stored = [change(1, 7), change(2, 3), change(3, 7)];
    const delivered: number[] = [];
    const delivery = new OrderedDelivery<MessageChangeEvent>({
      seqOf: (c) => c.changeSeq,
      deliver: (changes) => delivered.push(...changes.map((c) => c.changeSeq)),
      fetchRange: async (_, from, to) => stored.filter((c) => c.changeSeq >= from && c.changeSeq < to),
      gapMs: 100,
    });
    delivery.prime('c1', 0);
    delivery.accept(stored[2]);
    delivery.accept(stored[0]);
    expect(delivered).toEqual([1]);
    jest.advanceTimersByTime(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(delivered).toEqual([1, 2, 3]);
    delivery.accept(stored[1]); // late: delivered already
    expect(delivered).toEqual([1, 2, 3]);
  });
});
