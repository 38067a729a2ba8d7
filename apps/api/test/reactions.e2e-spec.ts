import { randomUUID } from 'node:crypto';
import {
  ChannelDto,
  ChannelErrorCode,
  CommonErrorCode,
  MessageChangeEvent,
  MessageDto,
  MessageErrorCode,
  MessagePage,
  REACTION_USERS_SHOWN,
  REACTIONS_PER_MESSAGE_MAX,
  WorkspaceDto,
} from '@parley/contracts';
import { Person, person } from './support/api-client';
import { EMOJI } from './support/emoji';
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


const reactPath = (messageId: string, emoji: string) => `/api/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

describe.each(databaseModes())('reactions (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, guest: Person, stranger: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  let secret: ChannelDto;
  const { open } = socketsPerTest(() => t.url);
  const inHistory = async (p: Person, message: MessageDto): Promise<MessageDto> =>
    ((await p.get(`/api/channels/${message.channelId}/messages`).expect(200)).body as MessagePage).items.find((m) => m.id === message.id)!;
  const changeRows = async (messageId: string): Promise<{ kind: string; actor_id: string; detail: unknown }[]> =>
    t.dataSource.query('SELECT kind, actor_id, detail FROM message_changes WHERE message_id = $1 ORDER BY change_seq', [messageId]);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, carla, guest, stranger] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Gus', 'Olga'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Reactions');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await ana.createChannel(ws.id, 'room');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id] }).expect(200);
    // Private: carla (a member of the workspace), the guest and the stranger are outside it.
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('the emoji itself and its shortcodes are one reaction; reacting again changes nothing and records nothing', async () => {
    const sent = await ana.send(room.id, 'ship it?');
    const first = (await bruno.put(reactPath(sent.id, '👍')).expect(200)).body as MessageDto;
    expect(first.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bruno.id], me: true }]);
    for (const same of ['+1', ':+1:', 'thumbsup', ':thumbsup:', '👍\uFE0E', '👍\uFE0F']) {
      expect(((await bruno.put(reactPath(sent.id, same)).expect(200)).body as MessageDto).reactions).toEqual(first.reactions);
    }
    // The raw emoji in the path, not encoded by the client beyond what HTTP needs, is the same too.
    await bruno.put(`/api/messages/${sent.id}/reactions/%F0%9F%91%8D`).expect(200);
    expect(await changeRows(sent.id)).toEqual([{ kind: 'reacted', actor_id: bruno.id, detail: { emoji: '👍', added: true } }]);

    const removed = (await bruno.delete(reactPath(sent.id, ':thumbsup:')).expect(200)).body as MessageDto;
    expect(removed.reactions).toEqual([]);
    expect((await bruno.delete(reactPath(sent.id, '👍')).expect(200)).body).toEqual(removed);
    expect((await changeRows(sent.id)).map((row) => row.detail)).toEqual([
      { emoji: '👍', added: true },
      { emoji: '👍', added: false },
    ]);
    const [row] = await t.dataSource.query('SELECT reactions FROM messages WHERE id = $1', [sent.id]);
    expect(row.reactions).toEqual([]);
  });

  it('a variation selector the data writes is kept whichever way it arrives (❤ and ❤️ are one); skin tones are their own emoji', async () => {
    const sent = await ana.send(room.id, 'love it');
    await ana.put(reactPath(sent.id, '❤')).expect(200);
    await bruno.put(reactPath(sent.id, '❤\uFE0F')).expect(200);
    const toned = (await bruno.put(reactPath(sent.id, ':+1::skin-tone-4:')).expect(200)).body as MessageDto;
    expect(toned.reactions.map((r) => [r.emoji, r.count])).toEqual([
      ['❤\uFE0F', 2],
      ['👍🏽', 1],
    ]);
    expect(((await bruno.put(reactPath(sent.id, '👍🏽')).expect(200)).body as MessageDto).reactions).toEqual(toned.reactions);
  });

  it('emoji in the order first used, people in the order they reacted; `me` is the reader\'s in history, sync and the answer', async () => {
    const sent = await ana.send(room.id, 'lunch?');
    await bruno.put(reactPath(sent.id, 'tada')).expect(200);
    await ana.put(reactPath(sent.id, 'heart')).expect(200);
    const last = (await ana.put(reactPath(sent.id, 'tada')).expect(200)).body as MessageDto;
    expect(last.reactions).toEqual([
      { emoji: '🎉', count: 2, userIds: [bruno.id, ana.id], me: true },
      { emoji: '❤\uFE0F', count: 1, userIds: [ana.id], me: true },
    ]);
    const brunos = await inHistory(bruno, sent);
    expect(brunos.reactions.map((r) => [r.emoji, r.me])).toEqual([
      ['🎉', true],
      ['❤\uFE0F', false],
    ]);
    expect((await inHistory(ana, sent)).reactions.map((r) => r.me)).toEqual([true, true]);
    // Every read path: the page after a seq, and sync's messages.
    const after = ((await bruno.get(`/api/channels/${room.id}/messages?after=${sent.seq - 1}`).expect(200)).body as MessagePage).items[0];
    expect(after.reactions).toEqual(brunos.reactions);
    const synced = await callOk(await open(bruno), 'sync', { cursors: { [room.id]: sent.seq - 1 } });
    expect(synced.messages.find((m) => m.id === sent.id)!.reactions).toEqual(brunos.reactions);
  });

  it(`names the first ${REACTION_USERS_SHOWN} who reacted and counts all`, async () => {
    const channel = await ana.createChannel(ws.id, `crowd-${randomUUID().slice(0, 6)}`);
    const crowd = await Promise.all(Array.from({ length: REACTION_USERS_SHOWN + 2 }, (_, i) => person(t.url, sink, `Fan${i}`)));
    for (const fan of crowd) {
      await ana.invite(ws.id, fan);
      await fan.post(`/api/channels/${channel.id}/join`).expect(200);
    }
    const sent = await ana.send(channel.id, 'applause');
    for (const fan of crowd) await fan.put(reactPath(sent.id, 'clap')).expect(200);
    const [reaction] = ((await ana.get(`/api/channels/${channel.id}/messages`).expect(200)).body as MessagePage).items[0].reactions;
    expect(reaction).toEqual({ emoji: '👏', count: crowd.length, userIds: crowd.slice(0, REACTION_USERS_SHOWN).map((p) => p.id), me: false });
  });

  it('live: another member gets reactionUpdated with the reaction and its actor, in changeSeq order; `me` in it is the actor\'s', async () => {
    const channel = await ana.createChannel(ws.id, `live-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const sent = await ana.send(channel.id, 'react to me');
    const b = await open(bruno);
    const seen = collect(b, 'reactionUpdated');
    await ana.put(reactPath(sent.id, '+1')).expect(200);
    await ana.put(reactPath(sent.id, 'tada')).expect(200);
    await ana.put(reactPath(sent.id, 'tada')).expect(200); // no change: no event
    await ana.delete(reactPath(sent.id, '+1')).expect(200);
    await eventually(() => expect(seen).toHaveLength(3));
    expect(seen.map((c) => [c.changeSeq, c.kind, c.actorId, c.reaction])).toEqual([
      [1, 'reacted', ana.id, { emoji: '👍', added: true }],
      [2, 'reacted', ana.id, { emoji: '🎉', added: true }],
      [3, 'reacted', ana.id, { emoji: '👍', added: false }],
    ]);
    expect(seen[2].message.reactions).toEqual([{ emoji: '🎉', count: 1, userIds: [ana.id], me: true }]);
  });

  it('sync with changeCursors returns the reactions missed while away, `me` the reader\'s', async () => {
    const channel = await ana.createChannel(ws.id, `away-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const sent = await ana.send(channel.id, 'while you were out');
    await bruno.put(reactPath(sent.id, 'eyes')).expect(200);
    const { lastChangeSeq } = (await bruno.get(`/api/channels/${channel.id}`).expect(200)).body as ChannelDto;
    // Bruno is away now; Ana reacts twice and takes one back.
    await ana.put(reactPath(sent.id, 'eyes')).expect(200);
    await ana.put(reactPath(sent.id, 'fire')).expect(200);
    await ana.delete(reactPath(sent.id, 'fire')).expect(200);
    const synced = await callOk(await open(bruno), 'sync', { cursors: {}, changeCursors: { [channel.id]: lastChangeSeq } });
    expect(synced.changes.map((c: MessageChangeEvent) => [c.changeSeq, c.actorId, c.reaction])).toEqual([
      [lastChangeSeq + 1, ana.id, { emoji: '👀', added: true }],
      [lastChangeSeq + 2, ana.id, { emoji: '🔥', added: true }],
      [lastChangeSeq + 3, ana.id, { emoji: '🔥', added: false }],
    ]);
    expect(synced.changes.at(-1)!.message.reactions).toEqual([{ emoji: '👀', count: 2, userIds: [bruno.id, ana.id], me: true }]);
  });

  it('refuses hostile emoji with 400 MESSAGE_EMOJI_UNKNOWN, never 500, and stores nothing', async () => {
    const sent = await ana.send(room.id, 'poke me');
    const hostile = [
      '<script>alert(1)</script>',
      'zz',
      'x'.repeat(1000),
      '👍'.repeat(300),
      '\u200F👍',
      '\u202E👍',
      '👍\u200D\u200D\u200D',
      '\u200D',
      '%00',
      '../../etc/passwd',
      '::skin-tone-2',
      '__proto__',
      'constructor',
      '👍👍',
    ];
    for (const emoji of hostile) {
      const refused = await ana.put(reactPath(sent.id, emoji));
      expect([emoji, refused.status, refused.body.code]).toEqual([emoji, 400, MessageErrorCode.EmojiUnknown]);
      expect((await ana.delete(reactPath(sent.id, emoji))).status).toBe(400);
    }
    // Malformed percent-encoding and a raw NUL in the path are refused by the router, as 400.
    expect((await ana.put(`/api/messages/${sent.id}/reactions/%E0%A4%A`)).status).toBe(400);
    // A NUL (or a lone surrogate) in any parameter is refused before the route, as for every route (VALIDATION_FAILED).
    for (const raw of ['%00', '%F0%9F%91%8D%00', encodeURIComponent('\u0000')]) {
      expect((await ana.put(`/api/messages/${sent.id}/reactions/${raw}`)).body).toMatchObject({ statusCode: 400, code: CommonErrorCode.ValidationFailed });
    }
    expect((await ana.put(`/api/messages/${sent.id}/reactions/%20`)).status).toBe(400);
    // `a` is a real shortcode (🅰️), not hostile.
    expect(((await ana.put(reactPath(sent.id, 'a')).expect(200)).body as MessageDto).reactions[0].emoji).toBe('🅰\uFE0F');
    expect(await changeRows(sent.id)).toHaveLength(1);
  });

  it(`at most ${REACTIONS_PER_MESSAGE_MAX} different emoji on a message (409 MESSAGE_REACTIONS_FULL); more people with one of them still may`, async () => {
    const sent = await ana.send(room.id, 'so many feelings');
    for (const emoji of EMOJI.slice(0, REACTIONS_PER_MESSAGE_MAX)) await ana.put(reactPath(sent.id, emoji)).expect(200);
    const full = await ana.put(reactPath(sent.id, EMOJI[REACTIONS_PER_MESSAGE_MAX])).expect(409);
    expect(full.body.code).toBe(MessageErrorCode.ReactionsFull);
    const joined = (await bruno.put(reactPath(sent.id, EMOJI[0])).expect(200)).body as MessageDto;
    expect(joined.reactions).toHaveLength(REACTIONS_PER_MESSAGE_MAX);
    expect(joined.reactions[0]).toMatchObject({ emoji: EMOJI[0], count: 2 });
    expect(joined.reactions.map((r) => r.emoji)).toEqual(EMOJI.slice(0, REACTIONS_PER_MESSAGE_MAX));
  });

  it('who may react: members of the channel; 403 "join" for a reader who is not in it, 404 for who may not see it', async () => {
    const sent = await ana.send(room.id, 'members only');
    const notIn = await carla.put(reactPath(sent.id, '+1')).expect(403);
    expect(notIn.body.message).toMatch(/join/i);
    // A guest not in the channel may not even see it (guests do not browse).
    await guest.put(reactPath(sent.id, '+1')).expect(404);
    await stranger.put(reactPath(sent.id, '+1')).expect(404);
    // Added to the channel, the guest may.
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [guest.id] }).expect(200);
    await guest.put(reactPath(sent.id, '+1')).expect(200);
    await ana.delete(`/api/channels/${room.id}/members/${guest.id}`).expect(204);
    await guest.delete(reactPath(sent.id, '+1')).expect(404);

    const hidden = await bruno.send(secret.id, 'between us');
    for (const outsider of [carla, guest, stranger]) {
      const refused = await outsider.put(reactPath(hidden.id, '+1')).expect(404);
      expect(refused.body).toEqual((await outsider.put(reactPath(randomUUID(), '+1')).expect(404)).body);
      await outsider.delete(reactPath(hidden.id, '+1')).expect(404);
    }
    expect(await changeRows(hidden.id)).toEqual([]);
    expect(((await bruno.put(reactPath(hidden.id, '+1')).expect(200)).body as MessageDto).reactions).toHaveLength(1);
  });

  it('an archived channel takes no reactions (409); a deleted message has none to take (404)', async () => {
    const channel = await ana.createChannel(ws.id, `arch-${randomUUID().slice(0, 6)}`);
    const sent = await ana.send(channel.id, 'frozen');
    const gone = await ana.send(channel.id, 'gone');
    await ana.put(reactPath(gone.id, '+1')).expect(200);
    await ana.delete(`/api/messages/${gone.id}`).expect(204);
    await ana.put(reactPath(gone.id, 'tada')).expect(404);
    await ana.delete(reactPath(gone.id, '+1')).expect(404);
    expect((await inHistory(ana, gone)).reactions).toEqual([]);
    await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
    const refused = await ana.put(reactPath(sent.id, '+1')).expect(409);
    expect(refused.body.code).toBe(ChannelErrorCode.Archived);
  });

  // A reaction's React rule is checked by the batch's statement (APPLY_CHANGES), not by requireMessage first: it must refuse all the rule refuses.
  it('the batch refuses what the React rule refuses: a deactivated member still listed in the channel, a deleted workspace, a deleted message in an archived channel', async () => {
    const other = await ana.createWorkspace(`Gone ${randomUUID().slice(0, 6)}`);
    const dina = await person(t.url, sink, 'Dina');
    await ana.invite(other.id, dina);
    const channel = await ana.createChannel(other.id, `checks-${randomUUID().slice(0, 6)}`);
    await ana.post(`/api/channels/${channel.id}/members`, { userIds: [dina.id] }).expect(200);
    const sent = await ana.send(channel.id, 'react to me');
    await dina.put(reactPath(sent.id, '+1')).expect(200);

    await ana.post(`/api/workspaces/${other.id}/members/${dina.id}/deactivate`).expect(200);
    // Deactivation keeps the channel row (reactivation gives the channels back): only the workspace membership says no.
    const [listed] = await t.dataSource.query('SELECT count(*)::int AS n FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channel.id, dina.id]);
    expect(listed.n).toBe(1);
    await dina.put(reactPath(sent.id, 'tada')).expect(404);
    await dina.delete(reactPath(sent.id, '+1')).expect(404);

    const dropped = await ana.send(channel.id, 'gone too');
    await ana.delete(`/api/messages/${dropped.id}`).expect(204);
    await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
    // The rule's order: a deleted message is not there (404) before its channel is archived (409).
    await ana.put(reactPath(dropped.id, '+1')).expect(404);
    expect((await ana.put(reactPath(sent.id, '+1')).expect(409)).body.code).toBe(ChannelErrorCode.Archived);

    await ana.delete(`/api/workspaces/${other.id}`).expect(204);
    await ana.put(reactPath(sent.id, 'tada')).expect(404);
    const rows = await changeRows(sent.id);
    expect(rows).toEqual([{ kind: 'reacted', actor_id: dina.id, detail: { emoji: '👍', added: true } }]);
  });

  it('a malformed message id is 404, as for any message', async () => {
    await ana.put(reactPath('not-a-uuid', '+1')).expect(404);
    expect((await ana.put(reactPath(randomUUID(), '+1')).expect(404)).body.code).toBe(CommonErrorCode.NotFound);
  });
});

describe.each(databaseModes())('reactions are rate-limited with edits (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { ...env(sink), RATE_LIMIT_SEND_BURST: '20', RATE_LIMIT_SENDS_PER_SECOND: '5' } });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('200 reactions at once: some answer 429 with Retry-After, and each one answered 200 is stored, no other', async () => {
    const ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Flood');
    const channel = await ana.createChannel(ws.id, 'flood');
    const messages: MessageDto[] = [];
    for (let i = 0; i < 5; i++) {
      messages.push((await ana.post(`/api/channels/${channel.id}/messages`, { text: `m${i}`, clientMsgId: randomUUID() }).expect(201)).body as MessageDto);
    }
    const attempts = messages.flatMap((message) => EMOJI.slice(0, 40).map((emoji) => ({ message, emoji })));
    expect(attempts).toHaveLength(200);
    const answered: { messageId: string; emoji: string; status: number }[] = [];
    let limited: { headers: Record<string, string>; body: { code: string } } | undefined;
    for (let i = 0; i < attempts.length; i += 10) {
      await Promise.all(
        attempts.slice(i, i + 10).map(async ({ message, emoji }) => {
          const response = await ana.put(reactPath(message.id, emoji));
          answered.push({ messageId: message.id, emoji, status: response.status });
          if (response.status === 429) limited = response;
        }),
      );
    }
    expect(new Set(answered.map((a) => a.status))).toEqual(new Set([200, 429]));
    expect(limited!.body.code).toBe(CommonErrorCode.RateLimited);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    const rows: { message_id: string; emoji: string }[] = await t.dataSource.query(
      'SELECT message_id, emoji FROM message_reactions WHERE message_id = ANY($1)',
      [messages.map((m) => m.id)],
    );
    const key = (messageId: string, emoji: string) => `${messageId} ${emoji}`;
    expect(new Set(rows.map((r) => key(r.message_id, r.emoji)))).toEqual(
      new Set(answered.filter((a) => a.status === 200).map((a) => key(a.messageId, a.emoji))),
    );
    const [{ changes }] = await t.dataSource.query(`SELECT count(*)::int AS changes FROM message_changes WHERE channel_id = $1 AND kind = 'reacted'`, [
      channel.id,
    ]);
    expect(changes).toBe(rows.length);
    // The change sequence stayed gap-free, and every summary matches its rows.
    const { lastChangeSeq } = (await ana.get(`/api/channels/${channel.id}`).expect(200)).body as ChannelDto;
    expect(lastChangeSeq).toBe(rows.length);
    const page = ((await ana.get(`/api/channels/${channel.id}/messages`).expect(200)).body as MessagePage).items;
    for (const message of page) {
      expect(message.reactions.map((r) => r.emoji).sort()).toEqual(
        rows
          .filter((r) => r.message_id === message.id)
          .map((r) => r.emoji)
          .sort(),
      );
    }
  });
});
