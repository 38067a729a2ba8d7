import { randomUUID } from 'node:crypto';
import {
  ChannelDto,
  CommonErrorCode,
  HISTORY_PAGE_MAX,
  MessageChangeEvent,
  MessageDto,
  MessageErrorCode,
  MessagePage,
  THREAD_REPLIERS_SHOWN,
  ThreadDto,
  ThreadFollowState,
  WorkspaceDto,
} from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callOk, callUntyped, ClientSocket, collect, connectSocket, eventually } from './support/sockets';
import { describeOnTwoInstances, socketsPerTest, twoInstancesPerSuite } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const env = (sink: SmtpSink) => ({
  SMTP_URL: sink.url,
  RATE_LIMIT_CODE_PER_IP: '1000',
  RATE_LIMIT_VERIFY_PER_IP: '1000',
  RATE_LIMIT_SEND_BURST: '1000',
});

describe.each(databaseModes())('threads (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, dora: Person, eli: Person, guest: Person, stranger: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  let secret: ChannelDto;
  const { open } = socketsPerTest(() => t.url);
  const reply = (p: Person, root: MessageDto, text: string, alsoSendToChannel?: boolean) =>
    p.send(root.channelId, text, { threadRootId: root.id, ...(alsoSendToChannel === undefined ? {} : { alsoSendToChannel }) });
  const history = async (p: Person, channelId: string, query = ''): Promise<MessageDto[]> =>
    ((await p.get(`/api/channels/${channelId}/messages${query}`).expect(200)).body as MessagePage).items;
  const replies = async (p: Person, root: MessageDto, query = ''): Promise<MessagePage> =>
    (await p.get(`/api/messages/${root.id}/replies${query}`).expect(200)).body as MessagePage;
  /** The root as the channel's history shows it now. */
  const rootNow = async (p: Person, root: MessageDto): Promise<MessageDto> => {
    const found = (await history(p, root.channelId, '?limit=100')).find((m) => m.id === root.id);
    if (!found) throw new Error(`root ${root.id} is not in the history`);
    return found;
  };
  const threadsOf = async (p: Person): Promise<ThreadDto[]> => (await p.get(`/api/workspaces/${ws.id}/threads`).expect(200)).body as ThreadDto[];
  const channelNow = async (p: Person, channelId: string): Promise<ChannelDto> => (await p.get(`/api/channels/${channelId}`).expect(200)).body as ChannelDto;
  const newChannel = async () => {
    const channel = await ana.createChannel(ws.id, `t-${randomUUID().slice(0, 8)}`);
    for (const p of [bruno, carla, dora, eli]) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    return channel;
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, carla, dora, eli, guest, stranger] = await Promise.all(
      ['Ana', 'Bruno', 'Carla', 'Dora', 'Eli', 'Gus', 'Olga'].map((name) => person(t.url, sink, name)),
    );
    ws = await ana.createWorkspace('Threads');
    for (const p of [bruno, carla, dora, eli]) await ana.invite(ws.id, p);
    await ana.invite(ws.id, guest, await ana.roleId(ws.id, 'guest'));
    room = await newChannel();
    // Private: carla, guest and stranger are outside it.
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a reply over REST and over the socket takes the next seq of the channel; the root counts them and names its first repliers', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'lunch?');
    expect(root).toMatchObject({ replyCount: 0, lastReplyAt: null, replierIds: [], threadRootId: null, alsoInChannel: false });
    const first = await reply(bruno, root, 'yes');
    expect(first).toMatchObject({ seq: root.seq + 1, threadRootId: root.id, alsoInChannel: false, channelId: channel.id });
    const bySocket = await callOk(await open(carla), 'sendMessage', { channelId: channel.id, text: 'me too', clientMsgId: randomUUID(), threadRootId: root.id });
    expect(bySocket).toMatchObject({ seq: root.seq + 2, threadRootId: root.id });
    await reply(bruno, root, 'at noon');
    await reply(ana, root, 'noon it is');
    const last = await reply(dora, root, 'count me in');
    await reply(eli, root, 'and me');
    const now = await rootNow(ana, root);
    expect(now.replyCount).toBe(6);
    // The first THREAD_REPLIERS_SHOWN distinct people, in the order they first replied.
    expect(now.replierIds).toEqual([bruno.id, carla.id, ana.id].slice(0, THREAD_REPLIERS_SHOWN));
    expect(new Date(now.lastReplyAt!).getTime()).toBeGreaterThanOrEqual(new Date(last.createdAt).getTime());
    expect((await channelNow(ana, channel.id)).lastSeq).toBe(root.seq + 6);
    // Each reply made one 'replied' change of the root, numbered with no gap.
    const rows: { change_seq: string; kind: string; message_id: string; actor_id: string }[] = await t.dataSource.query(
      'SELECT change_seq, kind, message_id, actor_id FROM message_changes WHERE channel_id = $1 ORDER BY change_seq',
      [channel.id],
    );
    expect(rows.map((row) => [Number(row.change_seq), row.kind, row.message_id])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 'replied', root.id]));
    expect(rows.map((row) => row.actor_id)).toEqual([bruno.id, carla.id, bruno.id, ana.id, dora.id, eli.id]);
    expect((await channelNow(ana, channel.id)).lastChangeSeq).toBe(6);
  });

  it('a burst of replies stored together in batches keeps the counts, repliers and change sequence exact', async () => {
    const channel = await newChannel();
    const [one, two] = [await ana.send(channel.id, 'one'), await ana.send(channel.id, 'two')];
    const people = [bruno, carla, dora, eli];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => reply(people[i % 4], i % 3 ? one : two, `r${i}`)),
    );
    const [a, b] = [await rootNow(ana, one), await rootNow(ana, two)];
    expect(a.replyCount).toBe(16);
    expect(b.replyCount).toBe(8);
    expect(new Set(a.replierIds).size).toBe(THREAD_REPLIERS_SHOWN);
    expect(a.replierIds.every((id) => people.some((p) => p.id === id))).toBe(true);
    const changes: { change_seq: string }[] = await t.dataSource.query('SELECT change_seq FROM message_changes WHERE channel_id = $1 ORDER BY change_seq', [channel.id]);
    const { lastChangeSeq, lastSeq } = await channelNow(ana, channel.id);
    expect(changes.map((row) => Number(row.change_seq))).toEqual(Array.from({ length: lastChangeSeq }, (_, i) => i + 1));
    expect(lastSeq).toBe(26);
    const seqs = [...(await replies(ana, one, '?limit=100')).items, ...(await replies(ana, two, '?limit=100')).items].map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 3));
  });

  it('another member gets messageUpdated kind replied live, in changeSeq order with edits and deletes', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'plan');
    const other = await ana.send(channel.id, 'aside');
    const b = await open(bruno);
    const updated = collect(b, 'messageUpdated');
    const deleted = collect(b, 'messageDeleted');
    const created = collect(b, 'newMessage');
    await reply(carla, root, 'first');
    await ana.patch(`/api/messages/${other.id}`, { text: 'aside, edited' }).expect(200);
    await reply(dora, root, 'second');
    await ana.delete(`/api/messages/${other.id}`).expect(204);
    await reply(carla, root, 'third');
    await eventually(() => expect(updated.length + deleted.length).toBe(5));
    const all = [...updated, ...deleted].sort((x, y) => x.changeSeq - y.changeSeq);
    expect(all.map((c) => [c.changeSeq, c.kind])).toEqual([
      [1, 'replied'],
      [2, 'edited'],
      [3, 'replied'],
      [4, 'deleted'],
      [5, 'replied'],
    ]);
    // Received in that order too.
    expect(updated.map((c) => c.changeSeq)).toEqual([1, 2, 3, 5]);
    const replied = updated.filter((c) => c.kind === 'replied');
    expect(replied.map((c) => [c.message.id, c.message.replyCount, c.actorId])).toEqual([
      [root.id, 1, carla.id],
      [root.id, 2, dora.id],
      [root.id, 3, carla.id],
    ]);
    expect(replied.at(-1)!.message.replierIds).toEqual([carla.id, dora.id]);
    // The replies themselves arrive as newMessage, with the channel's seqs. (The root's and the
    // aside's own newMessage may still be on their way to b when collecting starts: only replies count.)
    const threadReplies = () => created.filter((m) => m.threadRootId === root.id);
    await eventually(() => expect(threadReplies()).toHaveLength(3));
    expect(threadReplies().map((m) => m.seq)).toEqual([3, 4, 5]);
  });

  it('B is away while A replies: sync returns the reply message and the replied change', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'while you were out');
    const { lastSeq, lastChangeSeq } = await channelNow(bruno, channel.id);
    const b = await open(bruno);
    b.close();
    const sent = await reply(ana, root, 'a reply you missed');
    const again = await open(bruno);
    const synced = await callOk(again, 'sync', { cursors: { [channel.id]: lastSeq }, changeCursors: { [channel.id]: lastChangeSeq } });
    expect(synced.messages).toEqual([sent]);
    expect(synced.changes).toHaveLength(1);
    const change: MessageChangeEvent = synced.changes[0];
    expect(change).toMatchObject({ channelId: channel.id, changeSeq: lastChangeSeq + 1, kind: 'replied', actorId: ana.id });
    expect(change.message).toMatchObject({ id: root.id, replyCount: 1, replierIds: [ana.id] });
    expect(change.message.lastReplyAt).toBe(sent.createdAt);
  });

  it('the channel history leaves replies out, unless they were also sent to the channel', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'root');
    const hidden = await reply(bruno, root, 'only in the thread');
    const shown = await reply(bruno, root, 'in the channel too', true);
    const explicitFalse = await reply(carla, root, 'not in the channel', false);
    const after = await ana.send(channel.id, 'after');
    expect(shown.alsoInChannel).toBe(true);
    expect(hidden.alsoInChannel).toBe(false);
    expect((await history(ana, channel.id)).map((m) => m.id)).toEqual([root.id, shown.id, after.id]);
    expect((await history(ana, channel.id, `?after=${root.seq}`)).map((m) => m.id)).toEqual([shown.id, after.id]);
    expect((await history(ana, channel.id, `?before=${after.seq}`)).map((m) => m.id)).toEqual([root.id, shown.id]);
    expect((await history(ana, channel.id, `?after=${root.seq}&before=${after.seq}`)).map((m) => m.id)).toEqual([shown.id]);
    // The thread has all three; sync all five.
    expect((await replies(ana, root)).items.map((m) => m.id)).toEqual([hidden.id, shown.id, explicitFalse.id]);
    const synced = await callOk(await open(ana), 'sync', { cursors: { [channel.id]: 0 } });
    expect(synced.messages.map((m) => m.id)).toEqual([root.id, hidden.id, shown.id, explicitFalse.id, after.id]);
    // "Also send to channel" names a thread: without one it is refused, and nothing is stored.
    const refused = await ana.post(`/api/channels/${channel.id}/messages`, { text: 'x', clientMsgId: randomUUID(), alsoSendToChannel: true }).expect(400);
    expect(refused.body.code).toBe(CommonErrorCode.ValidationFailed);
    await ana.post(`/api/channels/${channel.id}/messages`, { text: 'x', clientMsgId: randomUUID(), threadRootId: root.id, alsoSendToChannel: 'yes' }).expect(400);
    expect((await channelNow(ana, channel.id)).lastSeq).toBe(after.seq);
  });

  it('pages a thread in ascending seq after a seq, with hasMore', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'long thread');
    const sent: MessageDto[] = [];
    for (let i = 0; i < 5; i++) {
      sent.push(await reply(i % 2 ? bruno : ana, root, `r${i}`));
      await carla.send(channel.id, `between ${i}`);
    }
    const first = await replies(bruno, root, '?limit=2');
    expect(first.items.map((m) => m.text)).toEqual(['r0', 'r1']);
    expect(first.hasMore).toBe(true);
    const second = await replies(bruno, root, `?limit=2&after=${first.items[1].seq}`);
    expect(second.items.map((m) => m.text)).toEqual(['r2', 'r3']);
    const last = await replies(bruno, root, `?limit=2&after=${second.items[1].seq}`);
    expect(last).toEqual({ items: [sent[4]], hasMore: false });
    expect((await replies(bruno, root)).items).toHaveLength(5);
    // A thread with no replies is an empty page.
    expect(await replies(bruno, await ana.send(channel.id, 'quiet'))).toEqual({ items: [], hasMore: false });
  });

  it('follows: repliers and the root sender follow; unfollow, follow, read positions and unread counts in the threads list', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'who is in?');
    expect((await threadsOf(ana)).some((th) => th.root.id === root.id)).toBe(false);
    const r1 = await reply(bruno, root, 'me');
    const r2 = await reply(carla, root, 'me too');
    const mine = (await threadsOf(ana)).find((th) => th.root.id === root.id)!;
    expect(mine).toMatchObject({ following: true, lastReadSeq: 0, unreadReplies: 2 });
    expect(mine.root).toMatchObject({ id: root.id, replyCount: 2, replierIds: [bruno.id, carla.id] });
    // A replier has read up to their reply: only what came after is unread.
    expect((await threadsOf(bruno)).find((th) => th.root.id === root.id)).toMatchObject({ following: true, lastReadSeq: r1.seq, unreadReplies: 1 });
    expect((await threadsOf(carla)).find((th) => th.root.id === root.id)).toMatchObject({ lastReadSeq: r2.seq, unreadReplies: 0 });
    // Dora never took part: she does not follow it, until she does.
    expect((await threadsOf(dora)).some((th) => th.root.id === root.id)).toBe(false);
    const followed = (await dora.put(`/api/messages/${root.id}/follow`).expect(200)).body as ThreadFollowState;
    expect(followed).toEqual({ rootId: root.id, following: true, lastReadSeq: 0, unreadReplies: 2 });
    // Reading moves forward only, and never past the newest reply.
    const read = (await dora.post(`/api/messages/${root.id}/replies/read`, { seq: r1.seq }).expect(200)).body as ThreadFollowState;
    expect(read).toEqual({ rootId: root.id, following: true, lastReadSeq: r1.seq, unreadReplies: 1 });
    expect((await dora.post(`/api/messages/${root.id}/replies/read`, { seq: 0 }).expect(200)).body).toMatchObject({ lastReadSeq: r1.seq });
    expect((await dora.post(`/api/messages/${root.id}/replies/read`, { seq: 10_000 }).expect(200)).body).toMatchObject({ lastReadSeq: r2.seq, unreadReplies: 0 });
    // Unfollowing leaves the list (the position is kept); the root's sender who unfollowed stays out when replies come.
    expect((await ana.delete(`/api/messages/${root.id}/follow`).expect(200)).body).toEqual({ rootId: root.id, following: false, lastReadSeq: 0, unreadReplies: 2 });
    await reply(bruno, root, 'anyone else?');
    expect((await threadsOf(ana)).some((th) => th.root.id === root.id)).toBe(false);
    expect((await threadsOf(dora)).find((th) => th.root.id === root.id)).toMatchObject({ unreadReplies: 1, lastReadSeq: r2.seq });
    // Your own replies are never unread; replying follows again.
    await reply(ana, root, 'fine, me');
    expect((await threadsOf(ana)).find((th) => th.root.id === root.id)).toMatchObject({ following: true, unreadReplies: 0 });
    // Newest activity first.
    const older = await eli.send(channel.id, 'older thread');
    await reply(eli, older, 'quiet');
    const eliThreads = (await threadsOf(eli)).map((th) => th.root.id);
    expect(eliThreads[0]).toBe(older.id);
    await eli.put(`/api/messages/${root.id}/follow`).expect(200);
    await reply(carla, root, 'newest');
    expect((await threadsOf(eli)).map((th) => th.root.id).slice(0, 2)).toEqual([root.id, older.id]);
  });

  it('deleting a root keeps its thread; deleting a reply takes nothing off the count', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'to be deleted');
    const r1 = await reply(bruno, root, 'kept');
    const r2 = await reply(carla, root, 'deleted later');
    await carla.delete(`/api/messages/${r2.id}`).expect(204);
    expect((await rootNow(ana, root)).replyCount).toBe(2);
    // Unread counts leave a deleted reply out.
    expect((await threadsOf(ana)).find((th) => th.root.id === root.id)).toMatchObject({ unreadReplies: 1 });
    await ana.delete(`/api/messages/${root.id}`).expect(204);
    const shown = await rootNow(bruno, root);
    expect(shown).toMatchObject({ text: '', replyCount: 2 });
    expect(shown.deletedAt).not.toBeNull();
    const page = await replies(bruno, root);
    expect(page.items.map((m) => [m.id, m.text])).toEqual([
      [r1.id, 'kept'],
      [r2.id, ''],
    ]);
    await bruno.put(`/api/messages/${root.id}/follow`).expect(200);
    // No reply to a deleted root: it is not a thread root any more for new replies.
    const refused = await bruno.post(`/api/channels/${channel.id}/messages`, { text: 'late', clientMsgId: randomUUID(), threadRootId: root.id }).expect(400);
    expect(refused.body.code).toBe(MessageErrorCode.ThreadRootNotFound);
  });

  it('refuses a reply to a reply, or to a root of another channel: nothing stored, the seq and change sequences unchanged', async () => {
    const channel = await newChannel();
    const root = await ana.send(channel.id, 'root');
    const r1 = await reply(bruno, root, 'reply');
    const elsewhere = await ana.send(room.id, 'in another channel');
    const before = await channelNow(ana, channel.id);
    const toReply = await bruno.post(`/api/channels/${channel.id}/messages`, { text: 'nested', clientMsgId: randomUUID(), threadRootId: r1.id }).expect(400);
    expect(toReply.body.code).toBe(MessageErrorCode.ThreadRootNotFound);
    const other = await bruno.post(`/api/channels/${channel.id}/messages`, { text: 'cross', clientMsgId: randomUUID(), threadRootId: elsewhere.id }).expect(400);
    expect(other.body.code).toBe(MessageErrorCode.ThreadRootNotFound);
    const bySocket = await callUntyped(await open(bruno), 'sendMessage', { channelId: channel.id, text: 'nested', clientMsgId: randomUUID(), threadRootId: r1.id });
    expect(bySocket).toMatchObject({ ok: false, error: { code: MessageErrorCode.ThreadRootNotFound } });
    await bruno.post(`/api/channels/${channel.id}/messages`, { text: 'unknown', clientMsgId: randomUUID(), threadRootId: randomUUID() }).expect(400);
    const after = await channelNow(ana, channel.id);
    expect([after.lastSeq, after.lastChangeSeq]).toEqual([before.lastSeq, before.lastChangeSeq]);
    expect((await rootNow(ana, elsewhere)).replyCount).toBe(0);
    expect((await rootNow(ana, root)).replyCount).toBe(1);
    // The next send takes the very next seq: no gap.
    expect((await ana.send(channel.id, 'next')).seq).toBe(before.lastSeq + 1);
    // Thread routes on a reply: 400 too.
    const onReply = await ana.get(`/api/messages/${r1.id}/replies`).expect(400);
    expect(onReply.body.code).toBe(MessageErrorCode.NotThreadRoot);
    await ana.put(`/api/messages/${r1.id}/follow`).expect(400);
    await ana.post(`/api/messages/${r1.id}/replies/read`, { seq: 1 }).expect(400);
  });

  it('nobody outside a private channel learns of its threads: 404 on replies, follow and read, nothing in their threads list', async () => {
    const root = await bruno.send(secret.id, 'between us');
    await reply(ana, root, 'agreed');
    const missing = await carla.get(`/api/messages/${randomUUID()}/replies`).expect(404);
    for (const outsider of [carla, guest, stranger]) {
      expect((await outsider.get(`/api/messages/${root.id}/replies`).expect(404)).body).toEqual(missing.body);
      await outsider.put(`/api/messages/${root.id}/follow`).expect(404);
      await outsider.delete(`/api/messages/${root.id}/follow`).expect(404);
      await outsider.post(`/api/messages/${root.id}/replies/read`, { seq: 1 }).expect(404);
      await outsider
        .post(`/api/channels/${secret.id}/messages`, { text: 'x', clientMsgId: randomUUID(), threadRootId: root.id })
        .expect(404);
    }
    await stranger.get(`/api/workspaces/${ws.id}/threads`).expect(404);
    expect((await threadsOf(carla)).some((th) => th.root.channelId === secret.id)).toBe(false);
    // A member who leaves the private channel no longer sees its threads in the list.
    expect((await threadsOf(ana)).some((th) => th.root.id === root.id)).toBe(true);
    expect((await threadsOf(bruno)).some((th) => th.root.id === root.id)).toBe(true);
    await bruno.post(`/api/channels/${secret.id}/leave`).expect(204);
    expect((await threadsOf(bruno)).some((th) => th.root.id === root.id)).toBe(false);
    await bruno.get(`/api/messages/${root.id}/replies`).expect(404);
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  it('refuses hostile values with 400 (or 404 for an id that is not one), never 500', async () => {
    const root = await ana.send(room.id, 'hostile');
    for (const query of [`?limit=${HISTORY_PAGE_MAX + 1}`, '?limit=0', '?limit=1e9', '?after=-1', '?after=abc', '?after=1.5', '?after=99999999999999999999']) {
      const response = await ana.get(`/api/messages/${root.id}/replies${query}`);
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed);
    }
    for (const body of [{}, { seq: -1 }, { seq: 'x' }, { seq: 1.5 }, { seq: 2 ** 64 }, { seq: 1, extra: true }]) {
      const response = await ana.post(`/api/messages/${root.id}/replies/read`).send(body);
      expect([body, response.status]).toEqual([body, 400]);
    }
    // As on every message route, an id that is not a UUID names no message.
    await ana.get('/api/messages/not-a-uuid/replies').expect(404);
    await ana.put('/api/messages/not-a-uuid/follow').expect(404);
    await ana.get('/api/workspaces/not-a-uuid/threads').expect(404);
    const badRoot = await ana.post(`/api/channels/${room.id}/messages`, { text: 'x', clientMsgId: randomUUID(), threadRootId: 'nope' }).expect(400);
    expect(badRoot.body.code).toBe(CommonErrorCode.ValidationFailed);
    const socket = await callUntyped(await open(ana), 'sendMessage', { channelId: room.id, text: 'x', clientMsgId: randomUUID(), alsoSendToChannel: true });
    expect(socket).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed } });
  });
});

describe.each(databaseModes())('thread follows and read marks are rate-limited per person (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a flood of follows and read marks answers 429 with Retry-After; reading the thread still works', async () => {
    const ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Flood');
    const channel = await ana.createChannel(ws.id, 'flood');
    const root = (await ana.post(`/api/channels/${channel.id}/messages`, { text: 'root', clientMsgId: randomUUID() }).expect(201)).body as MessageDto;
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 ? ana.put(`/api/messages/${root.id}/follow`) : ana.post(`/api/messages/${root.id}/replies/read`, { seq: 1 }))),
    );
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(limited[0].body.code).toBe(CommonErrorCode.RateLimited);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThan(0);
    await ana.get(`/api/messages/${root.id}/replies`).expect(200);
  });
});

describeOnTwoInstances('replies reach a reconnecting client through the other instance (needs DATABASE_URL and REDIS_URL)', () => {
  const instances = twoInstancesPerSuite(env);
  const sockets = socketsPerTest(() => instances.one.url);

  /** What a client holds of one channel (history, newMessage, changes in changeSeq order, sync), as in message-changes.e2e-spec. */
  const replica = (channelId: string) => {
    const state = { messages: new Map<string, MessageDto>(), lastSeq: 0, lastChangeSeq: 0, outOfOrder: [] as number[] };
    const add = (message: MessageDto) => {
      if (message.channelId !== channelId) return;
      if (!state.messages.has(message.id)) state.messages.set(message.id, message);
      state.lastSeq = Math.max(state.lastSeq, message.seq);
    };
    const apply = (change: MessageChangeEvent) => {
      if (change.channelId !== channelId || change.changeSeq <= state.lastChangeSeq) return;
      if (change.changeSeq !== state.lastChangeSeq + 1) state.outOfOrder.push(change.changeSeq);
      state.messages.set(change.message.id, change.message);
      state.lastChangeSeq = change.changeSeq;
    };
    return {
      state,
      follow(socket: ClientSocket) {
        socket.on('newMessage', add);
        socket.on('messageUpdated', apply);
        socket.on('messageDeleted', apply);
      },
      async load(p: Person) {
        const channel = (await p.get(`/api/channels/${channelId}`).expect(200)).body as ChannelDto;
        // The history and the sync a client makes on opening: replies come only through sync.
        for (const message of ((await p.get(`/api/channels/${channelId}/messages?limit=100`).expect(200)).body as MessagePage).items) add(message);
        state.lastChangeSeq = channel.lastChangeSeq;
      },
      applySync(result: { messages: MessageDto[]; changes: MessageChangeEvent[] }) {
        for (const message of result.messages) add(message);
        for (const change of result.changes) apply(change);
      },
      snapshot: () => [...state.messages.values()].sort((a, b) => a.seq - b.seq),
    };
  };

  it('B misses replies and an edit made through instance 2; after sync it holds what a client that stayed connected holds', async () => {
    const ana = await person(instances.two.url, instances.sink, 'Ana');
    const [bea, carl] = [await person(instances.one.url, instances.sink, 'Bea'), await person(instances.one.url, instances.sink, 'Carl')];
    const ws = await ana.createWorkspace('Reconnect threads');
    await ana.invite(ws.id, bea);
    await ana.invite(ws.id, carl);
    const channel = await ana.createChannel(ws.id, 'talk');
    for (const p of [bea, carl]) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    const send = async (text: string, extra: object = {}) =>
      (await ana.post(`/api/channels/${channel.id}/messages`, { text, clientMsgId: randomUUID(), ...extra }).expect(201)).body as MessageDto;
    const m1 = await send('m1');
    const m2 = await send('m2');

    const stayed = replica(channel.id);
    stayed.follow(await connectSocket(instances.one.url, carl.auth.accessToken).then(sockets.keep));
    await stayed.load(carl);
    const b = replica(channel.id);
    const first = await connectSocket(instances.one.url, bea.auth.accessToken);
    b.follow(first);
    await b.load(bea);
    first.close();

    await send('r1', { threadRootId: m1.id });
    await ana.patch(`/api/messages/${m2.id}`, { text: 'm2, edited' }).expect(200);
    await send('r2', { threadRootId: m1.id, alsoSendToChannel: true });
    await send('r3', { threadRootId: m2.id });
    await eventually(() => expect(stayed.state.lastChangeSeq).toBe(4));
    await eventually(() => expect(stayed.state.lastSeq).toBe(5));

    const again = sockets.keep(await connectSocket(instances.one.url, bea.auth.accessToken));
    b.follow(again);
    b.applySync(await callOk(again, 'sync', { cursors: { [channel.id]: b.state.lastSeq }, changeCursors: { [channel.id]: b.state.lastChangeSeq } }));

    expect(b.state.lastChangeSeq).toBe(4);
    expect(b.snapshot()).toEqual(stayed.snapshot());
    expect(b.state.outOfOrder).toEqual([]);
    expect(stayed.state.outOfOrder).toEqual([]);
    expect(b.snapshot().map((m) => [m.text, m.threadRootId === null ? m.replyCount : 'reply'])).toEqual([
      ['m1', 2],
      ['m2, edited', 1],
      ['r1', 'reply'],
      ['r2', 'reply'],
      ['r3', 'reply'],
    ]);
  });
});
