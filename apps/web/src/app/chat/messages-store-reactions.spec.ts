import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { MessageChangeEvent, MessageDto, ReactionDto } from '@parley/contracts';

import { AuthStore } from '../core/auth/auth-store';
import { SocketService } from '../core/realtime/socket';
import { ChatApi } from './chat-api';
import { FakeSocket, stored } from './chat-test-fixtures';
import { MessagesStore } from './messages-store';

const ME = 'me';
const reaction = (emoji: string, userIds: string[], me: boolean): ReactionDto => ({ emoji, count: userIds.length, userIds, me });
const reacted = (changeSeq: number, actorId: string, reactions: ReactionDto[], emoji = reactions[0]?.emoji ?? '👍', added = true): MessageChangeEvent => ({
  channelId: 'c',
  changeSeq,
  kind: 'reacted',
  actorId,
  reaction: { emoji, added },
  message: { ...stored(1), reactions },
});
const pinned = (changeSeq: number, seq: number): MessageChangeEvent => ({
  channelId: 'c',
  changeSeq,
  kind: 'pinned',
  actorId: 'ana',
  message: { ...stored(seq), pinnedAt: new Date(changeSeq * 1000).toISOString(), pinnedBy: 'ana' },
});

describe('MessagesStore: reactions, pins and windows around a message', () => {
  let socket: FakeSocket;
  let history: ReturnType<typeof vi.fn>;
  let store: MessagesStore;
  const held = () => store.messages()['c'];
  const reactionsOf = (seq: number) => held().messages.find((m) => m.seq === seq)?.reactions;
  const syncs = () => socket.requests.filter((r) => r.event === 'sync').map((r) => r.payload);

  beforeEach(() => {
    socket = new FakeSocket();
    history = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: socket },
        { provide: AuthStore, useValue: { user: signal({ id: ME }) } },
        { provide: ChatApi, useValue: { history, channel: () => Promise.resolve({ lastChangeSeq: 0 }) } },
      ],
    });
    store = TestBed.inject(MessagesStore);
  });

  describe('reactions live', () => {
    beforeEach(async () => {
      history.mockResolvedValueOnce({ items: [{ ...stored(1), reactions: [reaction('👍', [ME], true)] }, stored(2)], hasMore: false });
      await store.openChannel('c', 0);
      socket.answer = () => ({ ok: true, data: { messages: [], changes: [], truncated: [] } });
    });

    it("someone else's reaction does not flip my own: I keep mine per emoji, and an emoji new to me is not mine", () => {
      // Ana's event carries her `me` (true for both: she reacted 👍 too, and added 🎉).
      socket.emit('reactionUpdated', reacted(1, 'ana', [reaction('👍', [ME, 'ana'], true), reaction('🎉', ['ana'], true)], '🎉'));
      expect(reactionsOf(1)).toEqual([reaction('👍', [ME, 'ana'], true), reaction('🎉', ['ana'], false)]);
      // Ana takes 👍 back: her event says me=false for 👍, and I still have mine.
      socket.emit('reactionUpdated', reacted(2, 'ana', [reaction('👍', [ME], false), reaction('🎉', ['ana'], true)], '👍', false));
      expect(reactionsOf(1)).toEqual([reaction('👍', [ME], true), reaction('🎉', ['ana'], false)]);
      expect(held().lastChangeSeq).toBe(2);
    });

    it('my own reaction (from another tab too) takes the event as it is', () => {
      socket.emit('reactionUpdated', reacted(1, ME, [reaction('👍', [ME], true), reaction('🎉', [ME], true)], '🎉'));
      expect(reactionsOf(1)).toEqual([reaction('👍', [ME], true), reaction('🎉', [ME], true)]);
      socket.emit('reactionUpdated', reacted(2, ME, [reaction('🎉', [ME], true)], '👍', false));
      expect(reactionsOf(1)).toEqual([reaction('🎉', [ME], true)]);
    });

    it('the same change twice changes nothing the second time', () => {
      socket.emit('reactionUpdated', reacted(1, 'ana', [reaction('👍', [ME, 'ana'], true)]));
      const after = held();
      // Delivered again, now with what would flip my `me` if it were applied.
      socket.emit('reactionUpdated', reacted(1, ME, [reaction('👍', ['ana'], false)]));
      expect(held()).toBe(after);
      expect(reactionsOf(1)).toEqual([reaction('👍', [ME, 'ana'], true)]);
    });

    it('a reaction past a gap syncs the channel from its change cursor, and sync results carry my own `me` as they are', async () => {
      socket.answer = () => ({
        ok: true,
        data: {
          messages: [],
          changes: [reacted(2, 'ana', [reaction('👍', ['ana'], false)]), reacted(1, 'ana', [reaction('👍', [ME, 'ana'], true)])],
          truncated: [],
        },
      });
      socket.emit('reactionUpdated', reacted(2, 'ana', [reaction('👍', ['ana'], true)]));
      expect(reactionsOf(1)).toEqual([reaction('👍', [ME], true)]);
      await vi.waitFor(() => expect(held().lastChangeSeq).toBe(2));
      expect(syncs()).toEqual([{ cursors: { c: 2 }, changeCursors: { c: 0 } }]);
      // The sync's last change says I no longer react with 👍 (taken back in another tab, say): taken as it is.
      expect(reactionsOf(1)).toEqual([reaction('👍', ['ana'], false)]);
    });

    it('pins arrive as messageUpdated and replace the message in changeSeq order', () => {
      socket.emit('messageUpdated', pinned(1, 2));
      expect(held().messages[1].pinnedBy).toBe('ana');
      socket.emit('messageUpdated', { ...pinned(2, 2), kind: 'unpinned', message: stored(2) });
      expect(held().messages[1].pinnedAt).toBeNull();
      expect(held().lastChangeSeq).toBe(2);
    });
  });

  describe('a window around a linked message', () => {
    const page = (from: number, to: number): MessageDto[] => Array.from({ length: to - from + 1 }, (_, i) => stored(from + i));

    beforeEach(async () => {
      history.mockResolvedValueOnce({ items: page(100, 120), hasMore: true });
      await store.openChannel('c', 3);
      history.mockResolvedValueOnce({ items: page(5, 30), hasMore: true, hasMoreAfter: true });
      socket.answer = () => ({ ok: true, data: { messages: [], changes: [], truncated: [] } });
      await store.openAround('c', 10);
    });

    it('replaces what is held by the page around the message, keeping the change cursor', () => {
      expect(history).toHaveBeenLastCalledWith('c', { around: 10, limit: 50 });
      expect(held()).toMatchObject({ hasOlder: true, hasNewer: true, lastSeq: 30, lastChangeSeq: 3 });
      expect(held().messages.map((m) => m.seq)).toEqual(page(5, 30).map((m) => m.seq));
    });

    it('takes no live message (it comes with the pages below), and syncs only its changes', async () => {
      expect(store.receive(stored(121))).toBe(false);
      expect(held().lastSeq).toBe(30);
      await store.sync();
      expect(syncs()).toEqual([{ cursors: {}, changeCursors: { c: 3 } }]);
    });

    it('loads newer pages below; reaching the newest end it syncs for what was stored meanwhile and takes live messages again', async () => {
      history.mockResolvedValueOnce({ items: page(31, 80), hasMore: true });
      await store.loadNewer('c');
      expect(history).toHaveBeenLastCalledWith('c', { after: 30, limit: 50 });
      expect(held()).toMatchObject({ hasNewer: true, lastSeq: 80 });
      expect(syncs()).toEqual([]);
      history.mockResolvedValueOnce({ items: page(81, 121), hasMore: false });
      socket.answer = () => ({ ok: true, data: { messages: [stored(122)], changes: [], truncated: [] } });
      await store.loadNewer('c');
      expect(syncs()).toEqual([{ cursors: { c: 121 }, changeCursors: { c: 3 } }]);
      expect(held()).toMatchObject({ hasNewer: false, lastSeq: 122 });
      expect(store.receive(stored(123))).toBe(false);
      expect(held().lastSeq).toBe(123);
    });

    it('one’s own send in a window goes back to the newest page, which holds it (so it leaves the outbox)', async () => {
      const pending = store.addPending('c', ME, 'hello');
      history.mockResolvedValueOnce({ items: [...page(100, 121), { ...stored(122), clientMsgId: pending.clientMsgId, text: 'hello' }], hasMore: true });
      expect(store.receive({ ...stored(122), clientMsgId: pending.clientMsgId, text: 'hello' })).toBe(false);
      await vi.waitFor(() => expect(held().hasNewer).toBe(false));
      expect(held().outbox).toEqual([]);
      expect(held().messages.at(-1)).toMatchObject({ seq: 122, text: 'hello', state: 'sent' });
      expect(held().lastChangeSeq).toBe(3);
    });

    it('a linked message already held loads nothing; opening the channel without the link goes back to the newest page', async () => {
      const calls = history.mock.calls.length;
      await store.openAround('c', 12);
      expect(history).toHaveBeenCalledTimes(calls);
      history.mockResolvedValueOnce({ items: page(100, 121), hasMore: true });
      await store.openChannel('c');
      expect(history).toHaveBeenLastCalledWith('c', { limit: 50 });
      expect(held()).toMatchObject({ hasNewer: false, lastSeq: 121, lastChangeSeq: 3 });
      expect(held().messages[0].seq).toBe(100);
    });
  });
});
