import { randomUUID } from 'node:crypto';
import { ChannelDto, ChannelErrorCode, CommonErrorCode, MessageDto, MessagePage, SentMessage, WorkspaceDto } from '@parley/contracts';
import { asOthersSeeIt, Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callOk, collect, eventually } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const env = (sink: SmtpSink) => ({
  SMTP_URL: sink.url,
  RATE_LIMIT_CODE_PER_IP: '1000',
  RATE_LIMIT_VERIFY_PER_IP: '1000',
  RATE_LIMIT_SEND_BURST: '1000',
});

describe.each(databaseModes())('pins, forwarding and history around a seq (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, guest: Person, stranger: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  let secret: ChannelDto;
  const { open } = socketsPerTest(() => t.url);
  const pins = async (p: Person, channelId: string): Promise<MessageDto[]> => (await p.get(`/api/channels/${channelId}/pins`).expect(200)).body as MessageDto[];
  const fresh = async (name: string) => {
    const channel = await ana.createChannel(ws.id, `${name}-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    return channel;
  };
  const count = async (sql: string, params: unknown[]): Promise<number> => Number((await t.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, carla, guest, stranger] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Gus', 'Olga'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Pins');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await ana.createChannel(ws.id, 'room');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id] }).expect(200);
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  describe('pins', () => {
    it('pin and unpin are idempotent; the list is the most recently pinned first, without deleted messages', async () => {
      const channel = await fresh('pins');
      const [one, two, three] = [await ana.send(channel.id, 'one'), await ana.send(channel.id, 'two'), await bruno.send(channel.id, 'three')];
      const pinned = (await bruno.put(`/api/messages/${one.id}/pin`).expect(200)).body as MessageDto;
      expect(pinned).toMatchObject({ id: one.id, pinnedBy: bruno.id });
      expect(pinned.pinnedAt).not.toBeNull();
      expect((await bruno.put(`/api/messages/${one.id}/pin`).expect(200)).body).toEqual(pinned);
      await ana.put(`/api/messages/${three.id}/pin`).expect(200);
      await ana.put(`/api/messages/${two.id}/pin`).expect(200);
      expect((await pins(carla, channel.id)).map((m) => m.text)).toEqual(['two', 'three', 'one']);

      const unpinned = (await ana.delete(`/api/messages/${three.id}/pin`).expect(200)).body as MessageDto;
      expect(unpinned).toMatchObject({ pinnedAt: null, pinnedBy: null });
      expect((await ana.delete(`/api/messages/${three.id}/pin`).expect(200)).body).toEqual(unpinned);
      // Deleting a pinned message unpins it.
      await ana.delete(`/api/messages/${two.id}`).expect(204);
      expect((await pins(ana, channel.id)).map((m) => m.id)).toEqual([one.id]);
      const [row] = await t.dataSource.query('SELECT pinned_at FROM messages WHERE id = $1', [two.id]);
      expect(row.pinned_at).toBeNull();
      await ana.put(`/api/messages/${two.id}/pin`).expect(404);
      const kinds: { kind: string; actor_id: string }[] = await t.dataSource.query(
        'SELECT kind, actor_id FROM message_changes WHERE channel_id = $1 ORDER BY change_seq',
        [channel.id],
      );
      expect(kinds.map((k) => [k.kind, k.actor_id])).toEqual([
        ['pinned', bruno.id],
        ['pinned', ana.id],
        ['pinned', ana.id],
        ['unpinned', ana.id],
        ['deleted', ana.id],
      ]);
    });

    it('live: another member gets messageUpdated for pin and unpin, in changeSeq order; sync returns them after a disconnect', async () => {
      const channel = await fresh('live-pins');
      const sent = await ana.send(channel.id, 'remember this');
      const b = await open(bruno);
      const updated = collect(b, 'messageUpdated');
      await ana.put(`/api/messages/${sent.id}/pin`).expect(200);
      await ana.delete(`/api/messages/${sent.id}/pin`).expect(200);
      await eventually(() => expect(updated).toHaveLength(2));
      expect(updated.map((c) => [c.changeSeq, c.kind, c.actorId, c.message.pinnedBy])).toEqual([
        [1, 'pinned', ana.id, ana.id],
        [2, 'unpinned', ana.id, null],
      ]);
      b.close();
      await ana.put(`/api/messages/${sent.id}/pin`).expect(200);
      await bruno.put(`/api/messages/${sent.id}/reactions/%2B1`).expect(200);
      const synced = await callOk(await open(bruno), 'sync', { cursors: {}, changeCursors: { [channel.id]: 2 } });
      expect(synced.changes.map((c) => [c.changeSeq, c.kind])).toEqual([
        [3, 'pinned'],
        [4, 'reacted'],
      ]);
      expect(synced.changes[1].message).toMatchObject({ pinnedBy: ana.id, reactions: [{ emoji: '👍', count: 1, userIds: [bruno.id], me: true }] });
    });

    it('who may pin: members of the channel (403 join for others), not archived (409); outsiders of a private channel 404', async () => {
      const channel = await fresh('who-pins');
      const sent = await ana.send(channel.id, 'pin me');
      await carla.put(`/api/messages/${sent.id}/pin`).expect(403);
      // The list is for whoever may read the channel.
      await carla.get(`/api/channels/${channel.id}/pins`).expect(200);
      await guest.put(`/api/messages/${sent.id}/pin`).expect(404);
      await guest.get(`/api/channels/${channel.id}/pins`).expect(404);
      const hidden = await bruno.send(secret.id, 'hidden');
      await bruno.put(`/api/messages/${hidden.id}/pin`).expect(200);
      for (const outsider of [carla, guest, stranger]) {
        await outsider.put(`/api/messages/${hidden.id}/pin`).expect(404);
        await outsider.delete(`/api/messages/${hidden.id}/pin`).expect(404);
        await outsider.get(`/api/channels/${secret.id}/pins`).expect(404);
      }
      expect((await pins(bruno, secret.id)).map((m) => m.id)).toEqual([hidden.id]);
      await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
      expect((await ana.put(`/api/messages/${sent.id}/pin`).expect(409)).body.code).toBe(ChannelErrorCode.Archived);
      await ana.get('/api/channels/not-a-uuid/pins').expect(404);
    });
  });

  describe('forward', () => {
    it('makes a message in the target quoting the source as it is now, the comment as its text; the same clientMsgId again is the same message', async () => {
      const target = await fresh('target');
      const source = await bruno.send(room.id, 'the plan');
      await bruno.patch(`/api/messages/${source.id}`, { text: 'the plan, v2' }).expect(200);
      const clientMsgId = randomUUID();
      const b = await open(bruno);
      const arrived = collect(b, 'newMessage');
      const answer = (await ana.post(`/api/messages/${source.id}/forward`, { channelId: target.id, comment: 'FYI', clientMsgId }).expect(201)).body as SentMessage;
      expect(answer).toMatchObject({ mentionedNonMembers: [], broadcastRefused: null });
      const forwarded = asOthersSeeIt(answer);
      expect(forwarded).toMatchObject({
        channelId: target.id,
        senderId: ana.id,
        text: 'FYI',
        clientMsgId,
        forwardedFrom: { messageId: source.id, channelId: room.id, senderId: bruno.id, createdAt: source.createdAt, text: 'the plan, v2' },
      });
      const again = (await ana.post(`/api/messages/${source.id}/forward`, { channelId: target.id, comment: 'FYI', clientMsgId }).expect(201)).body as SentMessage;
      expect(asOthersSeeIt(again)).toEqual(forwarded);
      const history = ((await bruno.get(`/api/channels/${target.id}/messages`).expect(200)).body as MessagePage).items;
      expect(history).toEqual([forwarded]);
      // Only the target's: the source's own newMessage may still be on its way when collecting starts.
      const inTarget = () => arrived.filter((m) => m.channelId === target.id);
      await eventually(() => expect(inTarget().map((m) => m.id)).toEqual([forwarded.id]));
      expect(inTarget()[0].forwardedFrom).toEqual(forwarded.forwardedFrom);
      // No comment: an empty text.
      const bare = (await ana.post(`/api/messages/${source.id}/forward`, { channelId: target.id, clientMsgId: randomUUID() }).expect(201)).body;
      expect(bare).toMatchObject({ text: '', forwardedFrom: { messageId: source.id } });
      // A deleted forward shows no quote; the source is untouched.
      await ana.delete(`/api/messages/${bare.id}`).expect(204);
      expect(((await ana.get(`/api/channels/${target.id}/messages`).expect(200)).body as MessagePage).items.at(-1)).toMatchObject({ forwardedFrom: null });
    });

    it('from a private channel you are not in: 404, and nothing is stored', async () => {
      const target = await fresh('leak');
      const hidden = await bruno.send(secret.id, 'the secret');
      for (const outsider of [carla, stranger, guest]) {
        const refused = await outsider.post(`/api/messages/${hidden.id}/forward`, { channelId: target.id, clientMsgId: randomUUID() }).expect(404);
        expect(refused.body.code).toBe(CommonErrorCode.NotFound);
      }
      expect(await count('SELECT count(*) AS n FROM messages WHERE channel_id = $1', [target.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM messages WHERE forwarded_from->>'messageId' = $1`, [hidden.id])).toBe(0);
    });

    it('into a channel you may not post in: as a send (404 unseen, 403 join, 409 archived); a deleted source is 404', async () => {
      const source = await ana.send(room.id, 'worth sharing');
      const notJoined = await ana.createChannel(ws.id, `nj-${randomUUID().slice(0, 6)}`);
      await bruno.post(`/api/messages/${source.id}/forward`, { channelId: notJoined.id, clientMsgId: randomUUID() }).expect(403);
      await bruno.post(`/api/messages/${source.id}/forward`, { channelId: secret.id, clientMsgId: randomUUID() }).expect(201);
      await carla.post(`/api/messages/${source.id}/forward`, { channelId: secret.id, clientMsgId: randomUUID() }).expect(404);
      await ana.post(`/api/messages/${source.id}/forward`, { channelId: randomUUID(), clientMsgId: randomUUID() }).expect(404);
      const archived = await fresh('frozen');
      await ana.post(`/api/channels/${archived.id}/archive`).expect(200);
      const refused = await ana.post(`/api/messages/${source.id}/forward`, { channelId: archived.id, clientMsgId: randomUUID() }).expect(409);
      expect(refused.body.code).toBe(ChannelErrorCode.Archived);
      expect(await count('SELECT count(*) AS n FROM messages WHERE channel_id = ANY($1)', [[notJoined.id, archived.id]])).toBe(0);

      const gone = await ana.send(room.id, 'gone soon');
      await ana.delete(`/api/messages/${gone.id}`).expect(204);
      await ana.post(`/api/messages/${gone.id}/forward`, { channelId: room.id, clientMsgId: randomUUID() }).expect(404);
    });

    it('refuses bad bodies with 400: no channel, a malformed one, a comment too long or with NUL', async () => {
      const source = await ana.send(room.id, 'x');
      const path = `/api/messages/${source.id}/forward`;
      await ana.post(path, { clientMsgId: randomUUID() }).expect(400);
      await ana.post(path, { channelId: 'general', clientMsgId: randomUUID() }).expect(400);
      await ana.post(path, { channelId: room.id }).expect(400);
      await ana.post(path, { channelId: room.id, clientMsgId: randomUUID(), comment: 'x'.repeat(10_001) }).expect(400);
      await ana.post(path, { channelId: room.id, clientMsgId: randomUUID(), comment: 42 }).expect(400);
      const nul = await ana.post(path, { channelId: room.id, clientMsgId: randomUUID(), comment: 'a\u0000b' });
      expect(nul.status).toBe(400);
    });
  });

  describe('around', () => {
    it('the page centred on a seq, ascending, with hasMore (older) and hasMoreAfter (newer)', async () => {
      const channel = await fresh('around');
      for (let i = 1; i <= 20; i++) await ana.send(channel.id, `m${i}`);
      const page = async (query: string) => (await ana.get(`/api/channels/${channel.id}/messages?${query}`).expect(200)).body as MessagePage;
      const middle = await page('around=10&limit=6');
      expect(middle.items.map((m) => m.seq)).toEqual([7, 8, 9, 10, 11, 12]);
      expect(middle).toMatchObject({ hasMore: true, hasMoreAfter: true });
      const start = await page('around=2&limit=6');
      expect(start.items.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(start).toMatchObject({ hasMore: false, hasMoreAfter: true });
      const end = await page('around=19&limit=6');
      expect(end.items.map((m) => m.seq)).toEqual([16, 17, 18, 19, 20]);
      expect(end).toMatchObject({ hasMore: true, hasMoreAfter: false });
      expect((await page('around=20&limit=1')).items.map((m) => m.seq)).toEqual([20]);
      expect((await page('around=0&limit=4')).items.map((m) => m.seq)).toEqual([1, 2]);
      expect((await page('around=5')).items).toHaveLength(20);
    });

    it('around with before or after, or a bad value, is 400; outsiders of a private channel get 404', async () => {
      for (const query of ['around=3&before=5', 'around=3&after=1', 'around=-1', 'around=1.5', 'around=abc', 'around=99999999999999999999']) {
        const refused = await ana.get(`/api/channels/${room.id}/messages?${query}`);
        expect([query, refused.status, refused.body.code]).toEqual([query, 400, CommonErrorCode.ValidationFailed]);
      }
      expect((await ana.get(`/api/channels/${room.id}/messages?around=3&before=5`)).body.message).toMatch(/around cannot be combined/);
      await bruno.send(secret.id, 'hidden');
      await carla.get(`/api/channels/${secret.id}/messages?around=1`).expect(404);
      await bruno.get(`/api/channels/${secret.id}/messages?around=1`).expect(200);
    });
  });
});
