import { randomUUID } from 'node:crypto';
import {
  AuditAction,
  ChannelDto,
  ChannelErrorCode,
  CommonErrorCode,
  MESSAGE_MAX_LENGTH,
  MessageChangeEvent,
  MessageDto,
  MessagePage,
  MessageVersionDto,
  SyncResult,
  WorkspaceDto,
} from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { call, callOk, callUntyped, ClientSocket, collect, connectSocket, eventually } from './support/sockets';
import { describeOnTwoInstances, socketsPerTest, twoInstancesPerSuite } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const env = (sink: SmtpSink) => ({
  SMTP_URL: sink.url,
  RATE_LIMIT_CODE_PER_IP: '1000',
  RATE_LIMIT_VERIFY_PER_IP: '1000',
  RATE_LIMIT_SEND_BURST: '1000',
});

/**
 * What a client holds of one channel, built only from what the server sends it: the history it
 * loaded, newMessage (thread replies too), messageUpdated / messageDeleted / reactionUpdated
 * (applied strictly in changeSeq order) and sync answers. Two clients that end with equal
 * `messages` show the same conversation. `me` of a reaction follows the contract: a live change
 * by someone else keeps the client's own `me`; its own change and a sync answer bring it.
 */
class ChannelReplica {
  readonly messages = new Map<string, MessageDto>();
  lastSeq = 0;
  lastChangeSeq = 0;
  /** Changes that did not follow the one before (should stay empty). */
  readonly outOfOrder: number[] = [];

  constructor(
    readonly channelId: string,
    readonly selfId: string,
  ) {}

  async load(p: Person): Promise<void> {
    const channel = (await p.get(`/api/channels/${this.channelId}`).expect(200)).body as ChannelDto;
    const page = (await p.get(`/api/channels/${this.channelId}/messages?limit=100`).expect(200)).body as MessagePage;
    for (const message of page.items) this.addMessage(message);
    this.lastChangeSeq = channel.lastChangeSeq;
  }

  follow(socket: ClientSocket): void {
    socket.on('newMessage', (message) => {
      if (message.channelId === this.channelId) this.addMessage(message);
    });
    socket.on('messageUpdated', (change) => this.applyChange(change, true));
    socket.on('messageDeleted', (change) => this.applyChange(change, true));
    socket.on('reactionUpdated', (change) => this.applyChange(change, true));
  }

  applySync(result: SyncResult): void {
    for (const message of result.messages) if (message.channelId === this.channelId) this.addMessage(message);
    for (const change of result.changes) this.applyChange(change, false);
  }

  /** A newMessage never replaces what a change brought: the change is newer. */
  private addMessage(message: MessageDto): void {
    if (!this.messages.has(message.id)) this.messages.set(message.id, message);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
  }

  private applyChange(change: MessageChangeEvent, live: boolean): void {
    if (change.channelId !== this.channelId || change.changeSeq <= this.lastChangeSeq) return;
    if (change.changeSeq !== this.lastChangeSeq + 1) this.outOfOrder.push(change.changeSeq);
    let message = change.message;
    if (live && change.actorId !== this.selfId) {
      const mine = new Set((this.messages.get(message.id)?.reactions ?? []).filter((r) => r.me).map((r) => r.emoji));
      message = { ...message, reactions: message.reactions.map((r) => ({ ...r, me: mine.has(r.emoji) })) };
    }
    this.messages.set(message.id, message);
    this.lastChangeSeq = change.changeSeq;
  }

  snapshot(): MessageDto[] {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }
}

describe.each(databaseModes())('editing and deleting messages (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, admin: Person, guest: Person, stranger: Person, carla: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  let secret: ChannelDto;
  const { open } = socketsPerTest(() => t.url);
  const history = async (p: Person, channelId: string): Promise<MessageDto[]> =>
    ((await p.get(`/api/channels/${channelId}/messages`).expect(200)).body as MessagePage).items;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, admin, guest, stranger, carla] = await Promise.all(
      ['Ana', 'Bruno', 'Adele', 'Gus', 'Olga', 'Carla'].map((name) => person(t.url, sink, name)),
    );
    ws = await ana.createWorkspace('Edits');
    await ana.invite(ws.id, bruno);
    await ana.invite(ws.id, carla);
    await ana.invite(ws.id, admin, await ana.roleId(ws.id, 'admin'));
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await ana.createChannel(ws.id, 'room');
    await ana.post(`/api/channels/${room.id}/members`, { userIds: [bruno.id, admin.id, guest.id] }).expect(200);
    // Private: carla (a member of the workspace), guest and stranger are all outside it.
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('the sender edits: the text changes, editedAt is set, every earlier text is a version, oldest first', async () => {
    const sent = await ana.send(room.id, 'first draft');
    const once = (await ana.patch(`/api/messages/${sent.id}`, { text: 'second draft' }).expect(200)).body as MessageDto;
    expect(once).toMatchObject({ id: sent.id, seq: sent.seq, text: 'second draft', createdAt: sent.createdAt, deletedAt: null });
    expect(once.editedAt).not.toBeNull();
    const twice = (await ana.patch(`/api/messages/${sent.id}`, { text: 'final' }).expect(200)).body as MessageDto;
    const versions = (await ana.get(`/api/messages/${sent.id}/versions`).expect(200)).body as MessageVersionDto[];
    expect(versions).toEqual([
      { text: 'first draft', writtenAt: sent.createdAt, replacedAt: once.editedAt },
      { text: 'second draft', writtenAt: once.editedAt, replacedAt: twice.editedAt },
    ]);
    expect((await history(bruno, room.id)).find((m) => m.id === sent.id)).toEqual(twice);
    // A message never edited has no versions.
    const plain = await ana.send(room.id, 'plain');
    expect((await ana.get(`/api/messages/${plain.id}/versions`).expect(200)).body).toEqual([]);
  });

  it('takes one changeSeq per edit or delete, gap-free per channel, shown as the channel lastChangeSeq', async () => {
    const channel = await ana.createChannel(ws.id, `seqs-${randomUUID().slice(0, 6)}`);
    expect(channel.lastChangeSeq).toBe(0);
    const messages = await Promise.all(Array.from({ length: 6 }, (_, i) => ana.send(channel.id, `m${i}`)));
    // Changes and sends at once lock the same channel row: they wait for one another, never deadlock.
    const [, later] = await Promise.all([
      Promise.all(messages.map((m, i) => (i % 2 ? ana.delete(`/api/messages/${m.id}`).expect(204) : ana.patch(`/api/messages/${m.id}`, { text: `e${i}` }).expect(200)))),
      Promise.all(Array.from({ length: 6 }, (_, i) => ana.send(channel.id, `later ${i}`))),
    ]);
    expect(later.map((m) => m.seq).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12]);
    const rows: { change_seq: string; kind: string }[] = await t.dataSource.query(
      'SELECT change_seq, kind FROM message_changes WHERE channel_id = $1 ORDER BY change_seq',
      [channel.id],
    );
    expect(rows.map((row) => Number(row.change_seq))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.filter((row) => row.kind === 'deleted')).toHaveLength(3);
    expect(((await ana.get(`/api/channels/${channel.id}`).expect(200)).body as ChannelDto).lastChangeSeq).toBe(6);
  });

  it('delete is soft: the row stays, every read path shows it without text; deleting again is 404', async () => {
    const sent = await bruno.send(room.id, 'oops, wrong channel');
    const b = await open(bruno);
    const cursor = (await history(bruno, room.id)).at(-1)!.seq - 1;
    await bruno.delete(`/api/messages/${sent.id}`).expect(204);
    const shown = (await history(ana, room.id)).find((m) => m.id === sent.id)!;
    expect(shown).toMatchObject({ id: sent.id, text: '' });
    expect(shown.deletedAt).not.toBeNull();
    expect((await ana.get(`/api/messages/${sent.id}`).expect(200)).body).toEqual(shown);
    const synced = await callOk(b, 'sync', { cursors: { [room.id]: cursor }, changeCursors: { [room.id]: 0 } });
    expect(synced.messages.find((m) => m.id === sent.id)).toMatchObject({ text: '' });
    expect(synced.changes.filter((c) => c.message.id === sent.id)).toEqual([expect.objectContaining({ kind: 'deleted', message: shown })]);
    const [row] = await t.dataSource.query('SELECT text, deleted_at FROM messages WHERE id = $1', [sent.id]);
    expect(row.text).toBe('oops, wrong channel');
    expect(row.deleted_at).not.toBeNull();

    await bruno.delete(`/api/messages/${sent.id}`).expect(404);
    await bruno.patch(`/api/messages/${sent.id}`, { text: 'back' }).expect(404);
    await bruno.get(`/api/messages/${sent.id}/versions`).expect(404);
  });

  it('only the sender edits; a member cannot delete another\'s message, an Owner or Admin can (message.delete.any)', async () => {
    const anas = await ana.send(room.id, 'by ana');
    const brunos = await bruno.send(room.id, 'by bruno');
    const other = await bruno.send(room.id, 'by bruno too');
    const refused = await bruno.patch(`/api/messages/${anas.id}`, { text: 'hijacked' }).expect(403);
    expect(refused.body.code).toBe(CommonErrorCode.Forbidden);
    await admin.patch(`/api/messages/${brunos.id}`, { text: 'moderated' }).expect(403);
    await bruno.delete(`/api/messages/${anas.id}`).expect(403);
    await guest.delete(`/api/messages/${brunos.id}`).expect(403);
    await admin.delete(`/api/messages/${brunos.id}`).expect(204);
    await ana.delete(`/api/messages/${other.id}`).expect(204);
    expect((await history(ana, room.id)).find((m) => m.id === anas.id)!.text).toBe('by ana');
  });

  it('versions: the sender and holders of audit.read see them; another member does not (403)', async () => {
    const sent = await bruno.send(room.id, 'v1');
    await bruno.patch(`/api/messages/${sent.id}`, { text: 'v2' }).expect(200);
    await bruno.get(`/api/messages/${sent.id}/versions`).expect(200);
    expect((await admin.get(`/api/messages/${sent.id}/versions`).expect(200)).body).toHaveLength(1);
    await guest.get(`/api/messages/${sent.id}/versions`).expect(403);
  });

  it('nobody outside a private channel learns its messages exist: 404 to read, edit, delete or read versions (a replayed permalink too)', async () => {
    const sent = await bruno.send(secret.id, 'between us');
    expect((await bruno.get(`/api/messages/${sent.id}`).expect(200)).body).toMatchObject({ id: sent.id, text: 'between us' });
    const missingRead = await carla.get(`/api/messages/${randomUUID()}`).expect(404);
    for (const outsider of [carla, guest, stranger]) {
      expect((await outsider.get(`/api/messages/${sent.id}`).expect(404)).body).toEqual(missingRead.body);
      await outsider.patch(`/api/messages/${sent.id}`, { text: 'x' }).expect(404);
      await outsider.delete(`/api/messages/${sent.id}`).expect(404);
      await outsider.get(`/api/messages/${sent.id}/versions`).expect(404);
    }
    // The same answer as for a message that does not exist.
    const missing = await carla.patch(`/api/messages/${randomUUID()}`, { text: 'x' }).expect(404);
    expect((await carla.patch(`/api/messages/${sent.id}`, { text: 'x' }).expect(404)).body).toEqual(missing.body);
    await bruno.get(`/api/messages/${sent.id}/versions`).expect(200);
  });

  it('an archived channel cannot be edited in (409 CHANNEL_ARCHIVED); a sender who left cannot edit (403)', async () => {
    const channel = await ana.createChannel(ws.id, `arch-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const sent = await ana.send(channel.id, 'frozen');
    const left = await bruno.send(channel.id, 'then I left');
    await bruno.post(`/api/channels/${channel.id}/leave`).expect(204);
    await bruno.patch(`/api/messages/${left.id}`, { text: 'from outside' }).expect(403);
    await ana.post(`/api/channels/${channel.id}/archive`).expect(200);
    const refused = await ana.patch(`/api/messages/${sent.id}`, { text: 'thawed' }).expect(409);
    expect(refused.body.code).toBe(ChannelErrorCode.Archived);
    expect((await history(ana, channel.id)).find((m) => m.id === sent.id)!.text).toBe('frozen');
  });

  it('refuses hostile input as sends do: NUL, too long, blank, missing, a malformed id', async () => {
    const sent = await ana.send(room.id, 'keep me');
    const nul = await ana.patch(`/api/messages/${sent.id}`, { text: 'a\u0000b' }).expect(400);
    expect(nul.body.code).toBe(CommonErrorCode.ValidationFailed);
    await ana.patch(`/api/messages/${sent.id}`, { text: 'x'.repeat(MESSAGE_MAX_LENGTH + 1) }).expect(400);
    await ana.patch(`/api/messages/${sent.id}`, { text: '   ' }).expect(400);
    await ana.patch(`/api/messages/${sent.id}`, {}).expect(400);
    await ana.patch(`/api/messages/${sent.id}`, { text: 42 }).expect(400);
    await ana.patch('/api/messages/not-a-uuid', { text: 'x' }).expect(404);
    await ana.delete('/api/messages/not-a-uuid').expect(404);
    await ana.get('/api/messages/not-a-uuid/versions').expect(404);
    expect((await ana.patch(`/api/messages/${sent.id}`, { text: 'x'.repeat(MESSAGE_MAX_LENGTH) }).expect(200)).body.text).toHaveLength(
      MESSAGE_MAX_LENGTH,
    );
    const bad = await callUntyped(await open(ana), 'sync', { cursors: {}, changeCursors: { [room.id]: -1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed } });
  });

  it('edits and deletes are audited, naming the message but never its text', async () => {
    const sent = await ana.send(room.id, 'a secret recipe');
    await ana.patch(`/api/messages/${sent.id}`, { text: 'another secret recipe' }).expect(200);
    await ana.delete(`/api/messages/${sent.id}`).expect(204);
    await bruno.delete(`/api/messages/${(await ana.send(room.id, 'not yours')).id}`).expect(403);
    const rows: { action: string; outcome: string; target_id: string; details: unknown }[] = await t.dataSource.query(
      `SELECT action, outcome, target_id, details FROM audit_events WHERE action = ANY($1) AND workspace_id = $2 ORDER BY seq`,
      [[AuditAction.MessageEdit, AuditAction.MessageDelete], ws.id],
    );
    const mine = rows.filter((row) => row.target_id === sent.id);
    expect(mine.map((row) => [row.action, row.outcome])).toEqual([
      [AuditAction.MessageEdit, 'success'],
      [AuditAction.MessageDelete, 'success'],
    ]);
    expect(rows.some((row) => row.action === AuditAction.MessageDelete && row.outcome === 'denied')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('recipe');
  });

  it('live: other sockets of the channel get messageUpdated and messageDeleted with consecutive changeSeq', async () => {
    const channel = await ana.createChannel(ws.id, `live-${randomUUID().slice(0, 6)}`);
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const b = await open(bruno);
    const updated = collect(b, 'messageUpdated');
    const deleted = collect(b, 'messageDeleted');
    const [one, two] = [await ana.send(channel.id, 'one'), await ana.send(channel.id, 'two')];
    await ana.patch(`/api/messages/${one.id}`, { text: 'one, edited' }).expect(200);
    await ana.delete(`/api/messages/${two.id}`).expect(204);
    await ana.patch(`/api/messages/${one.id}`, { text: 'one, again' }).expect(200);
    await eventually(() => expect(updated.length + deleted.length).toBe(3));
    expect(updated.map((c) => [c.changeSeq, c.kind, c.message.text])).toEqual([
      [1, 'edited', 'one, edited'],
      [3, 'edited', 'one, again'],
    ]);
    expect(deleted.map((c) => [c.changeSeq, c.kind, c.message.id, c.message.text])).toEqual([[2, 'deleted', two.id, '']]);
    expect(deleted[0].message.deletedAt).not.toBeNull();
  });

  it('sync answers the changes after each change cursor, only for channels the caller may see', async () => {
    const sent = await bruno.send(secret.id, 'private words');
    await bruno.patch(`/api/messages/${sent.id}`, { text: 'private words, edited' }).expect(200);
    const { lastChangeSeq } = (await bruno.get(`/api/channels/${secret.id}`).expect(200)).body as ChannelDto;
    const mine = await callOk(await open(bruno), 'sync', { cursors: {}, changeCursors: { [secret.id]: lastChangeSeq - 1 } });
    expect(mine.changes).toEqual([expect.objectContaining({ channelId: secret.id, changeSeq: lastChangeSeq, kind: 'edited' })]);
    expect(mine.changes[0].message.text).toBe('private words, edited');
    const theirs = await callOk(await open(carla), 'sync', { cursors: { [secret.id]: 0 }, changeCursors: { [secret.id]: 0 } });
    expect(theirs).toEqual({ messages: [], changes: [], truncated: [] });
    // Without changeCursors, sync answers as before, with no changes.
    expect((await callOk(await open(bruno), 'sync', { cursors: { [secret.id]: 0 } })).changes).toEqual([]);
  });
});

describe.each(databaseModes())('edits and deletes are rate-limited per person (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { ...env(sink), RATE_LIMIT_SEND_BURST: '3', RATE_LIMIT_SENDS_PER_SECOND: '1' } });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a burst of edits and deletes past the send burst answers 429 with Retry-After, and leaves sends alone', async () => {
    const ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Loop');
    const channel = await ana.createChannel(ws.id, 'loop');
    const sent = (await ana.post(`/api/channels/${channel.id}/messages`, { text: 'v0', clientMsgId: randomUUID() }).expect(201)).body as MessageDto;
    const statuses: number[] = [];
    for (let i = 1; i <= 3; i++) statuses.push((await ana.patch(`/api/messages/${sent.id}`, { text: `v${i}` })).status);
    const limited = await ana.delete(`/api/messages/${sent.id}`);
    expect([...statuses, limited.status]).toEqual([200, 200, 200, 429]);
    expect(limited.body.code).toBe(CommonErrorCode.RateLimited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await ana.post(`/api/channels/${channel.id}/messages`, { text: 'still sending', clientMsgId: randomUUID() }).expect(201);
    expect((await ana.get(`/api/messages/${sent.id}/versions`).expect(200)).body).toHaveLength(3);
  });

  it('a flood of edits and reactions over the socket meets the same limit: a retryable RATE_LIMITED, nothing applied past it', async () => {
    const ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Socket loop');
    const channel = await ana.createChannel(ws.id, 'loop');
    const sent = (await ana.post(`/api/channels/${channel.id}/messages`, { text: 'v0', clientMsgId: randomUUID() }).expect(201)).body as MessageDto;
    const socket = await connectSocket(t.url, ana.auth.accessToken);
    try {
      const acks = [
        await call(socket, 'editMessage', { messageId: sent.id, text: 'v1' }),
        await call(socket, 'addReaction', { messageId: sent.id, emoji: '👍' }),
        await call(socket, 'editMessage', { messageId: sent.id, text: 'v2' }),
        await call(socket, 'removeReaction', { messageId: sent.id, emoji: '👍' }),
      ];
      expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, false]);
      expect(acks[3]).toMatchObject({ ok: false, error: { code: CommonErrorCode.RateLimited, retryable: true } });
    } finally {
      socket.close();
    }
    expect((await ana.get(`/api/messages/${sent.id}`).expect(200)).body).toMatchObject({ text: 'v2', reactions: [{ emoji: '👍', count: 1 }] });
  });
});

describeOnTwoInstances('the reconnect guarantee for changes, on two instances (needs DATABASE_URL and REDIS_URL)', () => {
  const instances = twoInstancesPerSuite(env);
  const sockets = socketsPerTest(() => instances.one.url);

  const open = async (app: TestApp, p: Person) => sockets.keep(await connectSocket(app.url, p.auth.accessToken));

  it('B misses edits and deletes made through the other instance; after sync it holds exactly what a client that stayed connected holds', async () => {
    const ana = await person(instances.two.url, instances.sink, 'Ana');
    const [bea, carl] = [await person(instances.one.url, instances.sink, 'Bea'), await person(instances.one.url, instances.sink, 'Carl')];
    const ws = await ana.createWorkspace('Reconnect');
    await ana.invite(ws.id, bea);
    await ana.invite(ws.id, carl);
    const channel = await ana.createChannel(ws.id, 'talk');
    for (const p of [bea, carl]) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    const sent: MessageDto[] = [];
    for (const text of ['m1', 'm2', 'm3', 'm4']) {
      sent.push((await ana.post(`/api/channels/${channel.id}/messages`, { text, clientMsgId: randomUUID() }).expect(201)).body as MessageDto);
    }
    // An earlier change, so B's change cursor is not 0.
    await ana.patch(`/api/messages/${sent[3].id}`, { text: 'm4, edited before' }).expect(200);

    // Carl stays connected to instance 1 throughout; Bea's first connection is there too.
    const stayed = new ChannelReplica(channel.id, carl.id);
    stayed.follow(await open(instances.one, carl));
    await stayed.load(carl);
    const b = new ChannelReplica(channel.id, bea.id);
    const first = await open(instances.one, bea);
    b.follow(first);
    await b.load(bea);
    expect(b.lastChangeSeq).toBe(1);
    first.close();

    // Through instance 2, while Bea is away: edit m1 (twice), delete m2, edit m3, send m5 and edit it.
    await ana.patch(`/api/messages/${sent[0].id}`, { text: 'm1, edited' }).expect(200);
    await ana.delete(`/api/messages/${sent[1].id}`).expect(204);
    await ana.patch(`/api/messages/${sent[0].id}`, { text: 'm1, edited twice' }).expect(200);
    await ana.patch(`/api/messages/${sent[2].id}`, { text: 'm3, edited' }).expect(200);
    const m5 = (await ana.post(`/api/channels/${channel.id}/messages`, { text: 'm5', clientMsgId: randomUUID() }).expect(201)).body as MessageDto;
    await ana.patch(`/api/messages/${m5.id}`, { text: 'm5, edited' }).expect(200);
    await eventually(() => expect(stayed.lastChangeSeq).toBe(6));

    const again = await open(instances.one, bea);
    b.follow(again);
    b.applySync(await callOk(again, 'sync', { cursors: { [channel.id]: b.lastSeq }, changeCursors: { [channel.id]: b.lastChangeSeq } }));

    expect(b.lastChangeSeq).toBe(6);
    expect(b.snapshot()).toEqual(stayed.snapshot());
    expect(b.outOfOrder).toEqual([]);
    expect(stayed.outOfOrder).toEqual([]);
    expect(b.snapshot().map((m) => m.text)).toEqual(['m1, edited twice', '', 'm3, edited', 'm4, edited before', 'm5, edited']);
  });

  it('the issue\'s test: A edits m1, deletes m2, reacts to m3, pins m4 and replies in m5\'s thread on the other instance; after sync B holds what a client that stayed holds', async () => {
    const ana = await person(instances.two.url, instances.sink, 'Ana');
    const [bea, carl] = [await person(instances.one.url, instances.sink, 'Bea'), await person(instances.one.url, instances.sink, 'Carl')];
    const ws = await ana.createWorkspace('Reconnect, every change');
    await ana.invite(ws.id, bea);
    await ana.invite(ws.id, carl);
    const channel = await ana.createChannel(ws.id, 'talk');
    for (const p of [bea, carl]) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    const sent: MessageDto[] = [];
    for (const text of ['m1', 'm2', 'm3', 'm4', 'm5']) {
      sent.push((await ana.post(`/api/channels/${channel.id}/messages`, { text, clientMsgId: randomUUID() }).expect(201)).body as MessageDto);
    }
    // Bea and Carl reacted to m3 before: their own `me` must survive Ana's reaction, live and through sync.
    await bea.put(`/api/messages/${sent[2].id}/reactions/tada`).expect(200);
    await carl.put(`/api/messages/${sent[2].id}/reactions/eyes`).expect(200);

    const stayed = new ChannelReplica(channel.id, carl.id);
    stayed.follow(await open(instances.one, carl));
    await stayed.load(carl);
    const b = new ChannelReplica(channel.id, bea.id);
    const first = await open(instances.one, bea);
    b.follow(first);
    await b.load(bea);
    expect(b.lastChangeSeq).toBe(2);
    first.close();

    // Through instance 2, while Bea is away.
    await ana.patch(`/api/messages/${sent[0].id}`, { text: 'm1, edited' }).expect(200);
    await ana.delete(`/api/messages/${sent[1].id}`).expect(204);
    await ana.put(`/api/messages/${sent[2].id}/reactions/${encodeURIComponent('👍')}`).expect(200);
    await ana.put(`/api/messages/${sent[3].id}/pin`).expect(200);
    const reply = (
      await ana.post(`/api/channels/${channel.id}/messages`, { text: 'in the thread', clientMsgId: randomUUID(), threadRootId: sent[4].id }).expect(201)
    ).body as MessageDto;
    await eventually(() => expect(stayed.lastChangeSeq).toBe(7));

    const again = await open(instances.one, bea);
    b.follow(again);
    b.applySync(await callOk(again, 'sync', { cursors: { [channel.id]: b.lastSeq }, changeCursors: { [channel.id]: b.lastChangeSeq } }));

    expect(b.lastChangeSeq).toBe(7);
    expect(b.outOfOrder).toEqual([]);
    expect(stayed.outOfOrder).toEqual([]);
    // The same conversation, apart from `me`, which is each reader's own.
    const shared = (messages: MessageDto[]) => messages.map((m) => ({ ...m, reactions: m.reactions.map(({ me: _me, ...r }) => r) }));
    expect(shared(b.snapshot())).toEqual(shared(stayed.snapshot()));
    const [m1, m2, m3, m4, m5, replied] = b.snapshot();
    expect([m1.text, m1.editedAt !== null]).toEqual(['m1, edited', true]);
    expect([m2.text, m2.deletedAt !== null]).toEqual(['', true]);
    expect(m3.reactions.map((r) => [r.emoji, r.count, r.me])).toEqual([
      ['🎉', 1, true],
      ['👀', 1, false],
      ['👍', 1, false],
    ]);
    expect(stayed.snapshot()[2].reactions.map((r) => [r.emoji, r.me])).toEqual([
      ['🎉', false],
      ['👀', true],
      ['👍', false],
    ]);
    expect([m4.pinnedBy, m4.pinnedAt !== null]).toEqual([ana.id, true]);
    expect([m5.replyCount, m5.replierIds, m5.lastReplyAt !== null]).toEqual([1, [ana.id], true]);
    expect([replied.id, replied.threadRootId, replied.text]).toEqual([reply.id, sent[4].id, 'in the thread']);
  });
});
