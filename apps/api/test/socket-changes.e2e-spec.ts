import { randomUUID } from 'node:crypto';
import {
  AuditAction,
  ChannelDto,
  ChannelErrorCode,
  CommonErrorCode,
  MessageChangeEvent,
  MessageDto,
  MessageErrorCode,
  MessageVersionDto,
  REACTIONS_PER_MESSAGE_MAX,
  WorkspaceDto,
} from '@parley/contracts';
import { Person, person } from './support/api-client';
import { EMOJI } from './support/emoji';
import { SmtpSink } from './support/smtp-sink';
import { call, callOk, callUntyped, collect, connectSocket, eventually } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';


/**
 * Edits and reactions over the socket (editMessage, addReaction, removeReaction): the same rules,
 * answers and events as their routes, applied in batches (one statement for all the changes that
 * arrive together, see MessageChangesService), and an edit audited like PATCH.
 */
describe.each(databaseModes())('edits and reactions over the socket (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, stranger: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  const { open, keep } = socketsPerTest(() => t.url);
  const changeSeqs = async (channelId: string): Promise<number[]> =>
    (await t.dataSource.query('SELECT change_seq FROM message_changes WHERE channel_id = $1 ORDER BY change_seq', [channelId])).map(
      (row: { change_seq: string }) => Number(row.change_seq),
    );

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000', RATE_LIMIT_SEND_BURST: '1000' },
    });
    [ana, bruno, carla, stranger] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Stranger'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Socket changes');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    room = await ana.createChannel(ws.id, 'room');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id, carla.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('editMessage: the sender’s new text, kept versions, messageUpdated to the channel, the same answer as PATCH', async () => {
    const sent = await ana.send(room.id, 'first draft');
    const [anaSocket, brunoSocket] = [await open(ana), await open(bruno)];
    const updates = collect(brunoSocket, 'messageUpdated');
    const edited = await callOk(anaSocket, 'editMessage', { messageId: sent.id, text: 'second draft' });
    expect(edited).toMatchObject({ id: sent.id, seq: sent.seq, text: 'second draft', createdAt: sent.createdAt });
    expect(edited.editedAt).not.toBeNull();
    await eventually(() => expect(updates.map((u) => [u.kind, u.message.text])).toEqual([['edited', 'second draft']]));
    expect(updates[0]).toMatchObject({ channelId: room.id, actorId: ana.id, changeSeq: (await changeSeqs(room.id)).at(-1) });
    const versions = (await ana.get(`/api/messages/${sent.id}/versions`).expect(200)).body as MessageVersionDto[];
    expect(versions).toEqual([{ text: 'first draft', writtenAt: sent.createdAt, replacedAt: edited.editedAt }]);
    // The same text again changes nothing: no change row, no event, the message as it is.
    const before = await changeSeqs(room.id);
    expect(await callOk(anaSocket, 'editMessage', { messageId: sent.id, text: 'second draft' })).toEqual(edited);
    expect(await changeSeqs(room.id)).toEqual(before);
    // The answer over REST is the same message.
    expect((await ana.get(`/api/messages/${sent.id}`).expect(200)).body).toEqual(edited);
  });

  it('editMessage is audited as message.edit, with the socket’s address and user agent, never the text', async () => {
    const sent = await ana.send(room.id, 'audit me');
    const socket = keep(await connectSocket(t.url, ana.auth.accessToken, { extraHeaders: { 'user-agent': 'parley-test/1.0' } }));
    await callOk(socket, 'editMessage', { messageId: sent.id, text: 'secret new words' });
    // Committed with the edit (the outbox), chained moments later.
    await eventually(async () => {
      const events = await t.dataSource.query(
        'SELECT action, outcome, actor_id, target_type, target_id, ip, user_agent, details FROM audit_events WHERE target_id = $1 AND workspace_id = $2',
        [sent.id, ws.id],
      );
      expect(events).toEqual([
        {
          action: AuditAction.MessageEdit,
          outcome: 'success',
          actor_id: ana.id,
          target_type: 'message',
          target_id: sent.id,
          ip: expect.stringMatching(/127\.0\.0\.1|::1/),
          user_agent: 'parley-test/1.0',
          details: { channelId: room.id, via: 'socket' },
        },
      ]);
      expect(JSON.stringify(events)).not.toContain('secret new words');
    });
    expect((await ana.get(`/api/workspaces/${ws.id}/audit-events/verify`).expect(200)).body).toMatchObject({ ok: true });
  });

  // A socket edit that mentions nobody has its Edit rule checked by the batch's statement (APPLY_CHANGES), which must refuse all the rule refuses.
  it('the batch refuses the edits the Edit rule refuses (a deactivated sender, a deleted workspace), each audited as denied; a mention goes the checked way', async () => {
    const other = await ana.createWorkspace(`Edit checks ${randomUUID().slice(0, 6)}`);
    const dina = await person(t.url, sink, 'Dina');
    await ana.invite(other.id, dina);
    const channel = await ana.createChannel(other.id, `edits-${randomUUID().slice(0, 6)}`);
    await ana.post(`/api/channels/${channel.id}/members`, { userIds: [dina.id] }).expect(200);
    const dinas = await dina.send(channel.id, 'by dina');
    const anas = await ana.send(channel.id, 'by ana');
    const [dinaSocket, anaSocket] = [await open(dina), await open(ana)];
    expect(await callOk(dinaSocket, 'editMessage', { messageId: dinas.id, text: 'by dina, edited' })).toMatchObject({ text: 'by dina, edited' });
    // Not hers: 403, audited in the workspace's chain.
    expect(await call(dinaSocket, 'editMessage', { messageId: anas.id, text: 'hijacked' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.Forbidden } });
    // With a mention, the checked way (the mentions need the channel): the same answer.
    expect(await call(dinaSocket, 'editMessage', { messageId: anas.id, text: `hijacked <@${ana.id}>` })).toMatchObject({
      ok: false,
      error: { code: CommonErrorCode.Forbidden },
    });
    expect(await callOk(anaSocket, 'editMessage', { messageId: anas.id, text: `by ana, for <@${dina.id}>` })).toMatchObject({ mentions: { userIds: [dina.id] } });

    // Deactivated, still listed in the channel: her own message is out of reach.
    await ana.post(`/api/workspaces/${other.id}/members/${dina.id}/deactivate`).expect(200);
    const [listed] = await t.dataSource.query('SELECT count(*)::int AS n FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channel.id, dina.id]);
    expect(listed.n).toBe(1);
    expect(await call(dinaSocket, 'editMessage', { messageId: dinas.id, text: 'still mine?' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });

    await ana.delete(`/api/workspaces/${other.id}`).expect(204);
    expect(await call(anaSocket, 'editMessage', { messageId: anas.id, text: 'after the end' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });

    const texts = await t.dataSource.query('SELECT id, text FROM messages WHERE channel_id = $1 ORDER BY seq', [channel.id]);
    expect(texts).toEqual([
      { id: dinas.id, text: 'by dina, edited' },
      { id: anas.id, text: `by ana, for <@${dina.id}>` },
    ]);
    await eventually(async () => {
      const events = await t.dataSource.query(
        `SELECT actor_id, target_id, outcome, workspace_id, details->>'channelId' AS channel_id, details->>'status' AS status
           FROM audit_events WHERE action = $1 AND target_id = ANY ($2::varchar[]) `,
        [AuditAction.MessageEdit, [dinas.id, anas.id]],
      );
      // Denied events are chained at once, applied ones' a moment later (the outbox): compared in no order.
      const inOrder = (rows: object[]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(inOrder(events)).toEqual(inOrder([
        { actor_id: dina.id, target_id: dinas.id, outcome: 'success', workspace_id: other.id, channel_id: channel.id, status: null },
        { actor_id: dina.id, target_id: anas.id, outcome: 'denied', workspace_id: other.id, channel_id: null, status: '403' },
        { actor_id: dina.id, target_id: anas.id, outcome: 'denied', workspace_id: other.id, channel_id: null, status: '403' },
        { actor_id: ana.id, target_id: anas.id, outcome: 'success', workspace_id: other.id, channel_id: channel.id, status: null },
        // A deactivated member is no member: the refusal goes to the global chain, as a stranger's does.
        { actor_id: dina.id, target_id: dinas.id, outcome: 'denied', workspace_id: null, channel_id: null, status: '404' },
        { actor_id: ana.id, target_id: anas.id, outcome: 'denied', workspace_id: null, channel_id: null, status: '404' },
      ]));
    });
  });

  it('addReaction and removeReaction: shortcodes are the emoji, again changes nothing, reactionUpdated to the channel', async () => {
    const sent = await ana.send(room.id, 'ship it?');
    const [brunoSocket, carlaSocket] = [await open(bruno), await open(carla)];
    const seen = collect(carlaSocket, 'reactionUpdated');
    const reacted = await callOk(brunoSocket, 'addReaction', { messageId: sent.id, emoji: '+1' });
    expect(reacted.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bruno.id], me: true }]);
    const rows = await changeSeqs(room.id);
    expect((await callOk(brunoSocket, 'addReaction', { messageId: sent.id, emoji: '👍' })).reactions).toEqual(reacted.reactions);
    expect(await changeSeqs(room.id)).toEqual(rows);
    const taken = await callOk(brunoSocket, 'removeReaction', { messageId: sent.id, emoji: ':thumbsup:' });
    expect(taken.reactions).toEqual([]);
    expect((await callOk(brunoSocket, 'removeReaction', { messageId: sent.id, emoji: '👍' })).reactions).toEqual([]);
    await eventually(() =>
      expect(seen.map((e) => [e.actorId, e.reaction, e.message.reactions.length])).toEqual([
        [bruno.id, { emoji: '👍', added: true }, 1],
        [bruno.id, { emoji: '👍', added: false }, 0],
      ]),
    );
  });

  it('refuses as the routes do: another’s message (403), an unknown emoji, a full message, an archived channel, a deleted message, hostile text', async () => {
    const anas = await ana.send(room.id, 'by ana');
    const brunoSocket = await open(bruno);
    const code = async (event: 'editMessage' | 'addReaction', payload: object) => {
      const ack = await callUntyped(brunoSocket, event, payload);
      if (ack.ok) throw new Error(`${event} was accepted`);
      return ack.error.code;
    };
    expect(await code('editMessage', { messageId: anas.id, text: 'hijacked' })).toBe(CommonErrorCode.Forbidden);
    // The attempt is in the workspace's audit log, as a refused PATCH would be.
    expect(
      await t.dataSource.query(`SELECT action, outcome, actor_id, details FROM audit_events WHERE target_id = $1 AND workspace_id = $2`, [anas.id, ws.id]),
    ).toEqual([{ action: AuditAction.MessageEdit, outcome: 'denied', actor_id: bruno.id, details: { via: 'socket', status: 403, errorCode: CommonErrorCode.Forbidden } }]);
    expect(await code('addReaction', { messageId: anas.id, emoji: 'not-an-emoji' })).toBe(MessageErrorCode.EmojiUnknown);
    expect(await code('editMessage', { messageId: anas.id, text: 'nul \u0000' })).toBe(CommonErrorCode.ValidationFailed);
    expect(await code('editMessage', { messageId: 'not-a-uuid', text: 'x' })).toBe(CommonErrorCode.ValidationFailed);
    expect(await code('addReaction', { messageId: anas.id, emoji: 'x'.repeat(65) })).toBe(CommonErrorCode.ValidationFailed);

    // Full: REACTIONS_PER_MESSAGE_MAX different emoji, then one more is refused, one it has is not.
    const full = await ana.send(room.id, 'react to me');
    const emoji = EMOJI.slice(0, REACTIONS_PER_MESSAGE_MAX + 1);
    const anaSocket = await open(ana);
    await Promise.all(emoji.slice(0, REACTIONS_PER_MESSAGE_MAX).map((e) => callOk(anaSocket, 'addReaction', { messageId: full.id, emoji: e })));
    expect(await code('addReaction', { messageId: full.id, emoji: emoji[REACTIONS_PER_MESSAGE_MAX] })).toBe(MessageErrorCode.ReactionsFull);
    expect((await callOk(brunoSocket, 'addReaction', { messageId: full.id, emoji: emoji[0] })).reactions.find((r) => r.emoji === emoji[0])).toMatchObject({ emoji: emoji[0], count: 2 });

    const archivedRoom = await ana.createChannel(ws.id, `archived-${randomUUID().slice(0, 6)}`);
    const old = await ana.send(archivedRoom.id, 'old news');
    await ana.post(`/api/channels/${archivedRoom.id}/archive`).expect(200);
    const archived = await call(anaSocket, 'editMessage', { messageId: old.id, text: 'new news' });
    expect(archived).toMatchObject({ ok: false, error: { code: ChannelErrorCode.Archived } });

    const gone = await ana.send(room.id, 'soon gone');
    await ana.delete(`/api/messages/${gone.id}`).expect(204);
    expect(await call(anaSocket, 'editMessage', { messageId: gone.id, text: 'back?' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
    expect(await call(anaSocket, 'addReaction', { messageId: gone.id, emoji: '👍' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
    // Someone outside the workspace learns nothing: the same 404 as for no message at all.
    const strangerSocket = await open(stranger);
    expect(await call(strangerSocket, 'addReaction', { messageId: anas.id, emoji: '👍' })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
    expect((await ana.get(`/api/messages/${anas.id}`).expect(200)).body).toMatchObject({ text: 'by ana', reactions: [] });
  });

  it('a flood of changes at once, over the socket and REST, with sends: every change applied once, changeSeqs gap-free, every socket sees each in order', async () => {
    const channel = await ana.createChannel(ws.id, `flood-${randomUUID().slice(0, 6)}`);
    await ana.post(`/api/channels/${channel.id}/members`, { userIds: [bruno.id, carla.id] }).expect(200);
    const messages = await Promise.all(Array.from({ length: 6 }, (_, i) => ana.send(channel.id, `m${i}`)));
    const people = [ana, bruno, carla];
    const sockets = await Promise.all(people.map((p) => open(p)));
    const watcher = await open(ana);
    const events: MessageChangeEvent[] = [];
    for (const name of ['messageUpdated', 'reactionUpdated'] as const) watcher.on(name, (event) => event.channelId === channel.id && events.push(event));
    const startSeq = (await changeSeqs(channel.id)).length;

    // Everyone reacts to every message with two emoji (one over REST), Ana edits each of hers twice, sends go on meanwhile.
    const work: Promise<unknown>[] = [];
    people.forEach((p, i) => {
      for (const m of messages) {
        work.push(callOk(sockets[i], 'addReaction', { messageId: m.id, emoji: '👍' }));
        work.push(p.put(`/api/messages/${m.id}/reactions/${encodeURIComponent('🎉')}`).expect(200));
      }
    });
    for (const m of messages) work.push(callOk(sockets[0], 'editMessage', { messageId: m.id, text: `${m.text} (socket)` }).then(() => ana.patch(`/api/messages/${m.id}`, { text: `${m.text} (rest)` }).expect(200)));
    for (let i = 0; i < 10; i++) work.push(bruno.send(channel.id, `meanwhile ${i}`));
    await Promise.all(work);

    const expected = people.length * messages.length * 2 + messages.length * 2;
    expect(await changeSeqs(channel.id)).toEqual(Array.from({ length: startSeq + expected }, (_, i) => i + 1));
    for (const m of messages) {
      const now = (await bruno.get(`/api/messages/${m.id}`).expect(200)).body as MessageDto;
      expect(now.text).toBe(`${m.text} (rest)`);
      expect(Object.fromEntries(now.reactions.map((r) => [r.emoji, r.count]))).toEqual({ '👍': 3, '🎉': 3 });
      expect(((await ana.get(`/api/messages/${m.id}/versions`).expect(200)).body as MessageVersionDto[]).map((v) => v.text)).toEqual([m.text, `${m.text} (socket)`]);
    }
    await eventually(() => expect(events).toHaveLength(expected));
    expect(events.map((e) => e.changeSeq)).toEqual(Array.from({ length: expected }, (_, i) => startSeq + i + 1));

    // Every edit audited once: the socket's and the route's.
    await eventually(async () => {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND target_id = ANY($2::varchar[]) AND outcome = 'success'`,
        [AuditAction.MessageEdit, messages.map((m) => m.id)],
      );
      expect(n).toBe(messages.length * 2);
    });
  });
});
