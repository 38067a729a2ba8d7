import { randomUUID } from 'node:crypto';
import { ChannelDto, ChannelErrorCode, CommonErrorCode, MessageDto, PresenceDto, WorkspaceDto } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { ackData, call, callOk, callUntyped, ClientSocket, collect, connectSocket, eventually, sleep } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

describe.each(databaseModes())('real-time messaging on one instance (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, guest: Person, outsider: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  const { open, keep } = socketsPerTest(() => t.url);
  const send = (socket: ClientSocket, channelId: string, text: string, clientMsgId: string = randomUUID()) =>
    call(socket, 'sendMessage', { channelId, text, clientMsgId });
  const sendOk = (socket: ClientSocket, channelId: string, text: string, clientMsgId: string = randomUUID()) =>
    callOk(socket, 'sendMessage', { channelId, text, clientMsgId });

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000', PRESENCE_OFFLINE_GRACE_MS: '300', RATE_LIMIT_SEND_BURST: '1000' },
    });
    [ana, bruno, guest, outsider] = [await person(t.url, sink, 'Ana'), await person(t.url, sink, 'Bruno'), await person(t.url, sink, 'Gus'), await person(t.url, sink, 'Olga')];
    ws = await ana.createWorkspace('Live');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await ana.createChannel(ws.id, 'room', 'private');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('delivers a sent message live, acknowledged only once it is stored', async () => {
    const [a, b] = [await open(ana), await open(bruno)];
    const received = collect(b, 'newMessage');
    const message = await sendOk(a, room.id, '  Hello, Bruno!  ');
    expect(message).toMatchObject({ channelId: room.id, senderId: ana.id, text: '  Hello, Bruno!  ', threadRootId: null });
    const stored = await t.dataSource.query('SELECT seq, text FROM messages WHERE id = $1', [message.id]);
    expect(stored).toEqual([{ seq: String(message.seq), text: '  Hello, Bruno!  ' }]);
    await eventually(() => expect(received.map((m) => m.id)).toEqual([message.id]));
  });

  it('assigns gap-free seqs under concurrent senders, REST and socket alike', async () => {
    const channel = await ana.createChannel(ws.id, `burst-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const [a, b] = [await open(ana), await open(bruno)];
    const acks = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b, channel.id, `socket ${i}`)),
      ...Array.from({ length: 10 }, (_, i) => (i % 2 ? ana : bruno).post(`/api/channels/${channel.id}/messages`, { text: `rest ${i}`, clientMsgId: randomUUID() })),
    ]);
    const seqs = acks.map((ack) => ('status' in ack ? ack.body.seq : ack.ok ? ack.data.seq : -1)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await ana.get(`/api/channels/${channel.id}`).expect(200)).body.lastSeq).toBe(30);
  });

  it('stores a burst sent together in send order, refusing only the sends that may not be stored', async () => {
    const [one, two] = [await ana.createChannel(ws.id, `b1-${randomUUID().slice(0, 6)}`), await ana.createChannel(ws.id, `b2-${randomUUID().slice(0, 6)}`)];
    const archived = await ana.createChannel(ws.id, `b3-${randomUUID().slice(0, 6)}`);
    await ana.post(`/api/channels/${archived.id}/archive`).expect(200);
    const [a, g] = [await open(ana), await open(guest)];
    const repeated = randomUUID();
    const stored = await sendOk(a, one.id, 'stored before', randomUUID());
    // Everything below is emitted in one go, so the server gathers it into one or a few batches.
    const acks = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => send(a, i % 2 ? one.id : two.id, `m${i}`)),
      send(a, archived.id, 'to the archive'),
      send(g, one.id, 'from a guest outside the channel'),
      send(a, two.id, 'same id twice', repeated),
      send(a, two.id, 'same id twice', repeated),
      send(a, one.id, 'stored before', stored.clientMsgId),
      send(a, two.id, 'a used id in another channel', stored.clientMsgId),
    ]);
    const ok = acks.slice(0, 40).map((ack) => (ack.ok ? ack.data : null));
    expect(ok.every(Boolean)).toBe(true);
    // Seqs follow the order of sending within each channel, with no gap.
    expect(ok.filter((_, i) => i % 2).map((m) => m!.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(ok.filter((_, i) => i % 2 === 0).map((m) => m!.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const [toArchive, fromGuest, twinA, twinB, retry, reused] = acks.slice(40);
    expect(toArchive).toMatchObject({ ok: false, error: { code: ChannelErrorCode.Archived } });
    expect(fromGuest).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
    const [first, second, again] = [twinA, twinB, retry].map((ack) => ackData(ack, 'a repeated clientMsgId'));
    expect(second).toEqual(first);
    expect(first.seq).toBe(21);
    expect(again).toEqual(stored);
    expect(reused).toMatchObject({ ok: false, error: { code: CommonErrorCode.Conflict } });
    const counts = await t.dataSource.query(
      `SELECT c.id, c.last_seq, (SELECT count(*) FROM messages m WHERE m.channel_id = c.id) AS n FROM channels c WHERE c.id = ANY($1) ORDER BY c.name`,
      [[one.id, two.id, archived.id]],
    );
    expect(counts.map((row: { last_seq: string; n: string }) => [Number(row.last_seq), Number(row.n)])).toEqual([
      [21, 21],
      [21, 21],
      [0, 0],
    ]);
  });

  it('is idempotent per clientMsgId: a retry returns the stored message and broadcasts nothing new', async () => {
    const [a, b] = [await open(ana), await open(bruno)];
    const received = collect(b, 'newMessage');
    const clientMsgId = randomUUID();
    const first = await sendOk(a, room.id, 'once', clientMsgId);
    const again = await sendOk(a, room.id, 'once', clientMsgId);
    const viaRest = (await ana.post(`/api/channels/${room.id}/messages`, { text: 'once', clientMsgId }).expect(201)).body;
    expect(again).toEqual(first);
    expect(viaRest).toEqual(first);
    const rows = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE client_msg_id = $1', [clientMsgId]);
    expect(rows[0].n).toBe(1);
    await sleep(200);
    expect(received.filter((m) => m.clientMsgId === clientMsgId)).toHaveLength(1);
    // The seq counter did not move for the retries.
    const next = await sendOk(a, room.id, 'after');
    expect(next.seq).toBe(first.seq + 1);
  });

  it('answers malformed payloads with a validation error and keeps the connection', async () => {
    const a = await open(ana);
    const cases: unknown[] = [
      null,
      'text',
      [],
      { channelId: room.id, text: 'x' },
      { channelId: 'nope', text: 'x', clientMsgId: randomUUID() },
      { channelId: room.id, text: '   ', clientMsgId: randomUUID() },
      { channelId: room.id, text: 'x'.repeat(10_001), clientMsgId: randomUUID() },
      { channelId: room.id, text: 42, clientMsgId: randomUUID() },
      { channelId: room.id, text: 'x', clientMsgId: randomUUID(), extra: true },
    ];
    for (const payload of cases) {
      const ack = await callUntyped(a, 'sendMessage', payload);
      expect(ack).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
    }
    expect(await callUntyped(a, 'sync', { cursors: { 'not-a-uuid': 1 } })).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed } });
    expect(await callUntyped(a, 'sync', { cursors: { [room.id]: -1 } })).toMatchObject({ ok: false });
    expect(await callUntyped(a, 'setStatus', { status: 'sleeping' })).toMatchObject({ ok: false });
    expect(await callUntyped(a, 'markRead', { channelId: room.id, seq: 'x' })).toMatchObject({ ok: false });
    expect(a.connected).toBe(true);
    expect((await send(a, room.id, 'still here')).ok).toBe(true);
  });

  it('refuses every event from people outside the channel, and they receive nothing', async () => {
    const [a, g, o] = [await open(ana), await open(guest), await open(outsider)];
    const seenByGuest = collect(g, 'newMessage');
    const seenByOutsider = collect(o, 'newMessage');
    for (const socket of [g, o]) {
      expect(await send(socket, room.id, 'let me in')).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
      expect(await call(socket, 'typingStart', { channelId: room.id })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
      expect(await call(socket, 'markRead', { channelId: room.id, seq: 1 })).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
      const sync = await call(socket, 'sync', { cursors: { [room.id]: 0 } });
      expect(sync).toEqual({ ok: true, data: { messages: [], changes: [], truncated: [] } });
    }
    await send(a, room.id, 'private words');
    await sleep(200);
    expect(seenByGuest).toEqual([]);
    expect(seenByOutsider).toEqual([]);
    await guest.get(`/api/channels/${room.id}/messages`).expect(404);
    await outsider.get(`/api/channels/${room.id}/messages`).expect(404);
  });

  it('a member removed from the channel gets nothing afterwards', async () => {
    const channel = await ana.createChannel(ws.id, `leaving-${randomUUID().slice(0, 6)}`, 'private');
    await ana.post(`/api/channels/${channel.id}/members`, { userIds: [bruno.id] }).expect(200);
    const [a, b] = [await open(ana), await open(bruno)];
    const received = collect(b, 'newMessage');
    const left = collect(b, 'memberLeft');
    await send(a, channel.id, 'before');
    await eventually(() => expect(received).toHaveLength(1));
    await ana.delete(`/api/channels/${channel.id}/members/${bruno.id}`).expect(204);
    await eventually(() => expect(left).toEqual([{ channelId: channel.id, userId: bruno.id, memberCount: 1 }]));
    await send(a, channel.id, 'after');
    await sleep(200);
    expect(received.map((m) => m.text)).toEqual(['before']);
    expect(await send(b, channel.id, 'me too')).toMatchObject({ ok: false, error: { code: CommonErrorCode.NotFound } });
  });

  it('a member who joins gets the channel live at once', async () => {
    const channel = await ana.createChannel(ws.id, `joining-${randomUUID().slice(0, 6)}`);
    const [a, b] = [await open(ana), await open(bruno)];
    const received = collect(b, 'newMessage');
    const joined = collect(a, 'memberJoined');
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    await eventually(() => expect(joined).toContainEqual({ channelId: channel.id, userId: bruno.id, memberCount: 2 }));
    await send(a, channel.id, 'welcome');
    await eventually(() => expect(received.map((m) => m.text)).toEqual(['welcome']));
  });

  it('archived channels refuse sends', async () => {
    const channel = await ana.createChannel(ws.id, `old-${randomUUID().slice(0, 6)}`);
    await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
    const a = await open(ana);
    expect(await send(a, channel.id, 'hello?')).toMatchObject({ ok: false, error: { code: 'CHANNEL_ARCHIVED', retryable: false } });
    await ana.post(`/api/channels/${channel.id}/messages`, { text: 'hello?', clientMsgId: randomUUID() }).expect(409);
  });

  it('sync returns exactly what was missed, in order, and names channels cut short', async () => {
    const channel = await ana.createChannel(ws.id, `sync-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const a = await open(ana);
    for (let i = 1; i <= 5; i++) await send(a, channel.id, `m${i}`);
    const b = await open(bruno);
    const result = await callOk(b, 'sync', { cursors: { [channel.id]: 2 } });
    expect(result.messages.map((m) => [m.seq, m.text])).toEqual([[3, 'm3'], [4, 'm4'], [5, 'm5']]);
    expect(result.truncated).toEqual([]);

    await t.dataSource.query(
      `WITH c AS (UPDATE channels SET last_seq = last_seq + 520 WHERE id = $1 RETURNING last_seq)
       INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id)
       SELECT $1, 5 + g, $2, 'bulk ' || g, gen_random_uuid() FROM generate_series(1, 520) g`,
      [channel.id, ana.id],
    );
    const big = await callOk(b, 'sync', { cursors: { [channel.id]: 5 } });
    expect(big.messages).toHaveLength(500);
    expect(big.messages[0].seq).toBe(6);
    expect(big.messages[499].seq).toBe(505);
    expect(big.truncated).toEqual([channel.id]);
    const rest = (await bruno.get(`/api/channels/${channel.id}/messages`).query({ after: 505, limit: 100 }).expect(200)).body;
    expect(rest.items.map((m: MessageDto) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 506 + i));
    expect(rest.hasMore).toBe(false);
  });

  it('pages history by seq in ascending order', async () => {
    const channel = await ana.createChannel(ws.id, `history-${randomUUID().slice(0, 6)}`);
    for (let i = 1; i <= 7; i++) await ana.post(`/api/channels/${channel.id}/messages`, { text: `h${i}`, clientMsgId: randomUUID() }).expect(201);
    const newest = (await ana.get(`/api/channels/${channel.id}/messages`).query({ limit: 3 }).expect(200)).body;
    expect(newest.items.map((m: MessageDto) => m.seq)).toEqual([5, 6, 7]);
    expect(newest.hasMore).toBe(true);
    const older = (await ana.get(`/api/channels/${channel.id}/messages`).query({ before: 5, limit: 3 }).expect(200)).body;
    expect(older.items.map((m: MessageDto) => m.seq)).toEqual([2, 3, 4]);
    const oldest = (await ana.get(`/api/channels/${channel.id}/messages`).query({ before: 2, limit: 3 }).expect(200)).body;
    expect(oldest).toMatchObject({ hasMore: false });
    expect(oldest.items.map((m: MessageDto) => m.seq)).toEqual([1]);
    await ana.get(`/api/channels/${channel.id}/messages`).query({ limit: 500 }).expect(400);
    await ana.get(`/api/channels/${channel.id}/messages`).query({ before: 'x' }).expect(400);
  });

  it('counts unread messages and shares read positions', async () => {
    const channel = await ana.createChannel(ws.id, `unread-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const [a, b] = [await open(ana), await open(bruno)];
    const reads = collect(a, 'readUpdate');
    for (let i = 0; i < 3; i++) await send(a, channel.id, `u${i}`);
    const unread = async (p: Person) =>
      ((await p.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find((c) => c.id === channel.id)!;
    expect(await unread(bruno)).toMatchObject({ lastSeq: 3, lastReadSeq: 0, unreadCount: 3 });
    expect(await unread(ana)).toMatchObject({ lastSeq: 3, lastReadSeq: 3, unreadCount: 0 });
    expect(await call(b, 'markRead', { channelId: channel.id, seq: 2 })).toEqual({ ok: true, data: null });
    expect(await unread(bruno)).toMatchObject({ lastReadSeq: 2, unreadCount: 1 });
    await eventually(() => expect(reads).toContainEqual({ channelId: channel.id, userId: bruno.id, seq: 2 }));
    // Never backwards, never past the end.
    await call(b, 'markRead', { channelId: channel.id, seq: 1 });
    await bruno.post(`/api/channels/${channel.id}/read`, { seq: 99 }).expect(200);
    expect(await unread(bruno)).toMatchObject({ lastReadSeq: 3, unreadCount: 0 });
  });

  it('counts as unread only what the history shows of others: not thread replies (unless also sent to the channel), not deleted messages', async () => {
    const channel = await ana.createChannel(ws.id, `unread-shown-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const unread = async (p: Person) => ((await p.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find((c) => c.id === channel.id)!;
    const root = await ana.send(channel.id, 'root');
    await ana.send(channel.id, 'only in the thread', { threadRootId: root.id });
    await ana.send(channel.id, 'in the thread and the channel', { threadRootId: root.id, alsoSendToChannel: true });
    const gone = await ana.send(channel.id, 'deleted before Bruno reads it');
    await ana.delete(`/api/messages/${gone.id}`).expect(204);
    // Bruno's own message reads the channel to it; one after it by Ana is unread again.
    expect(await unread(bruno)).toMatchObject({ lastSeq: 4, lastReadSeq: 0, unreadCount: 2 });
    expect((await bruno.get(`/api/channels/${channel.id}`).expect(200)).body).toMatchObject({ unreadCount: 2 });
    await bruno.send(channel.id, 'mine');
    expect(await unread(bruno)).toMatchObject({ lastSeq: 5, lastReadSeq: 5, unreadCount: 0 });
    await ana.send(channel.id, 'after');
    expect(await unread(bruno)).toMatchObject({ lastSeq: 6, lastReadSeq: 5, unreadCount: 1 });
    expect(await unread(ana)).toMatchObject({ lastSeq: 6, lastReadSeq: 6, unreadCount: 0 });
  });

  it('shows typing, which ends by itself after about 5 seconds', async () => {
    const [a, b] = [await open(ana), await open(bruno)];
    const typing = collect(b, 'userTyping');
    const ownTyping = collect(a, 'userTyping');
    expect(await call(a, 'typingStart', { channelId: room.id })).toEqual({ ok: true, data: null });
    await eventually(() => expect(typing).toEqual([{ userId: ana.id, channelId: room.id, typing: true }]));
    await eventually(() => expect(typing).toHaveLength(2), 7000);
    expect(typing[1]).toEqual({ userId: ana.id, channelId: room.id, typing: false });
    expect(ownTyping).toEqual([]);
    await call(a, 'typingStart', { channelId: room.id });
    await call(a, 'typingStop', { channelId: room.id });
    await eventually(() => expect(typing.map((e) => e.typing)).toEqual([true, false, true, false]));
  });

  it('shares presence with the workspace only while the person is a member of it', async () => {
    const carla = await person(t.url, sink, 'Carla');
    await ana.invite(ws.id, carla);
    const watcher = await open(ana);
    const updates = collect(watcher, 'statusUpdate');
    const c = await open(carla);
    await eventually(() => expect(updates).toContainEqual(expect.objectContaining({ userId: carla.id, status: 'online' })));
    expect(await call(c, 'setStatus', { status: 'dnd' })).toMatchObject({ ok: true });
    await eventually(() => expect(updates).toContainEqual(expect.objectContaining({ userId: carla.id, status: 'dnd' })));

    await ana.delete(`/api/workspaces/${ws.id}/members/${carla.id}`).expect(204);
    await sleep(200);
    expect(await call(c, 'setStatus', { status: 'away' })).toMatchObject({ ok: true });
    c.close();
    await sleep(800); // past the offline grace period
    expect(updates.filter((u) => u.userId === carla.id).map((u) => u.status)).toEqual(['online', 'dnd']);
  });

  it('tracks presence: online, away, dnd, invisible, offline after a grace period', async () => {
    const presenceOf = async () =>
      ((await ana.get(`/api/workspaces/${ws.id}/presence`).expect(200)).body as PresenceDto[]).find((p) => p.userId === bruno.id)!;
    // Let earlier tests' sockets of Bruno settle to offline first.
    await sleep(600);
    const watcher = await open(ana);
    const updates = collect(watcher, 'statusUpdate');
    expect((await presenceOf()).status).toBe('offline');

    const b = await open(bruno);
    await eventually(() => expect(updates).toContainEqual(expect.objectContaining({ userId: bruno.id, status: 'online' })));
    expect((await presenceOf()).status).toBe('online');
    expect(await call(b, 'setStatus', { status: 'away' })).toMatchObject({ ok: true, data: { userId: bruno.id, status: 'away' } });
    await eventually(() => expect(updates.at(-1)).toMatchObject({ userId: bruno.id, status: 'away' }));
    await call(b, 'setStatus', { status: 'dnd' });
    expect((await presenceOf()).status).toBe('dnd');
    await call(b, 'setStatus', { status: 'invisible' });
    expect((await presenceOf()).status).toBe('offline');
    await call(b, 'setStatus', { status: 'online' });
    expect((await presenceOf()).status).toBe('online');

    // A reload (disconnect and quick reconnect) does not flap to offline.
    const seen = updates.length;
    b.close();
    const again = await open(bruno);
    await sleep(500);
    expect(updates.slice(seen).filter((u) => u.userId === bruno.id && u.status === 'offline')).toEqual([]);
    again.close();
    await eventually(() => expect(updates.at(-1)).toMatchObject({ userId: bruno.id, status: 'offline', lastSeenAt: expect.any(String) }), 3000);
    expect((await presenceOf()).status).toBe('offline');
  });

  it('rate-limits sends with a retryable error', async () => {
    const limited = await startTestApp({ mode, env: { SMTP_URL: sink.url, RATE_LIMIT_SEND_BURST: '5', RATE_LIMIT_SENDS_PER_SECOND: '1' } });
    try {
      const me = await person(limited.url, sink, 'Fast');
      const place = await me.createWorkspace('Fast');
      const general = ((await me.get(`/api/workspaces/${place.id}/channels`).expect(200)).body as ChannelDto[])[0];
      const socket = keep(await connectSocket(limited.url, me.auth.accessToken));
      const acks = await Promise.all(Array.from({ length: 8 }, (_, i) => send(socket, general.id, `fast ${i}`)));
      expect(acks.filter((ack) => ack.ok)).toHaveLength(5);
      expect(acks.filter((ack) => !ack.ok)).toEqual(
        Array.from({ length: 3 }, () => ({ ok: false, error: { code: CommonErrorCode.RateLimited, message: expect.any(String), retryable: true } })),
      );
    } finally {
      await limited.close();
    }
  });

  (mode === 'postgres' ? it : it.skip)('answers quickly and retryably while PostgreSQL is unreachable, and a retry never duplicates', async () => {
    const a = await open(ana);
    const name = new URL(t.config.databaseUrl!).pathname.slice(1);
    const admin = new (await import('pg')).Client({ connectionString: process.env.TEST_DATABASE_URL || process.env.DATABASE_URL });
    await admin.connect();
    const clientMsgId = randomUUID();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      const started = Date.now();
      const ack = await send(a, room.id, 'while the database is down', clientMsgId);
      expect(ack).toMatchObject({ ok: false, error: { retryable: true } });
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    let stored: MessageDto | undefined;
    await eventually(async () => {
      stored = await sendOk(a, room.id, 'while the database is down', clientMsgId);
    }, 10_000);
    const again = await send(a, room.id, 'while the database is down', clientMsgId);
    expect(again).toEqual({ ok: true, data: stored });
    const rows = await t.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE client_msg_id = $1', [clientMsgId]);
    expect(rows[0].n).toBe(1);
  });
});
