import { randomUUID } from 'node:crypto';
import {
  ChannelDto,
  MENTIONS_PER_MESSAGE_MAX,
  MessageChangeEvent,
  MessageDto,
  MessageErrorCode,
  MessagePage,
  SentMessage,
  ThreadDto,
  WorkspaceDto,
} from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { call, callOk, ClientSocket, collect, connectSocket, eventually, sleep } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

const env = (sink: SmtpSink) => ({
  SMTP_URL: sink.url,
  RATE_LIMIT_CODE_PER_IP: '1000',
  RATE_LIMIT_VERIFY_PER_IP: '1000',
  RATE_LIMIT_SEND_BURST: '1000',
});

const at = (p: Person) => `<@${p.id}>`;

describe.each(databaseModes())('mentions (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  // ana owns the workspace, eli is an admin, bruno, carla and dora members; olga is in another workspace.
  let ana: Person, bruno: Person, carla: Person, dora: Person, eli: Person, olga: Person;
  let ws: WorkspaceDto;
  let secret: ChannelDto;
  const sockets: ClientSocket[] = [];

  const open = async (p: Person) => {
    const socket = await connectSocket(t.url, p.auth.accessToken);
    sockets.push(socket);
    return socket;
  };
  const post = async (p: Person, channelId: string, text: string, extra: object = {}): Promise<SentMessage> =>
    (await p.post(`/api/channels/${channelId}/messages`, { text, clientMsgId: randomUUID(), ...extra }).expect(201)).body as SentMessage;
  const channelNow = async (p: Person, channelId: string): Promise<ChannelDto> => (await p.get(`/api/channels/${channelId}`).expect(200)).body as ChannelDto;
  const mentionCounts = async (channelId: string, people: Person[]): Promise<number[]> =>
    Promise.all(people.map(async (p) => (await channelNow(p, channelId)).mentionCount));
  const history = async (p: Person, channelId: string): Promise<MessageDto[]> =>
    ((await p.get(`/api/channels/${channelId}/messages?limit=100`).expect(200)).body as MessagePage).items;
  const setPolicy = async (broadcastMentions: string) => {
    await ana.patch(`/api/workspaces/${ws.id}`, { settings: { broadcastMentions } }).expect(200);
  };
  /** A public channel with ana, bruno and carla (dora may browse it but is not in it). */
  const newChannel = async () => {
    const channel = await ana.createChannel(ws.id, `m-${randomUUID().slice(0, 8)}`);
    for (const p of [bruno, carla]) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    return channel;
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: env(sink) });
    [ana, bruno, carla, dora, eli, olga] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Dora', 'Eli', 'Olga'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Mentions');
    for (const p of [bruno, carla, dora]) await ana.invite(ws.id, p);
    await ana.invite(ws.id, eli, await ana.roleId(ws.id, 'admin'));
    await olga.createWorkspace('Elsewhere');
    // Private: only ana and bruno.
    secret = await ana.createChannel(ws.id, 'secret', 'private');
    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a mention resolves to the person and survives their rename', async () => {
    const room = await newChannel();
    const sent = await post(ana, room.id, `hello ${at(bruno)} and ${at(bruno)} again`);
    expect(sent.mentions).toEqual({ userIds: [bruno.id], channelIds: [], broadcast: null });
    expect(sent.mentionedNonMembers).toEqual([]);
    expect(sent.broadcastRefused).toBeNull();
    await bruno.patch('/api/users/me', { displayName: 'Bruno Renamed' }).expect(200);
    const [stored] = await history(carla, room.id);
    expect(stored.text).toBe(`hello ${at(bruno)} and ${at(bruno)} again`);
    expect(stored.mentions.userIds).toEqual([bruno.id]);
  });

  it('ids of people outside the workspace, and channels the sender may not see, resolve to nothing', async () => {
    const room = await newChannel();
    const elsewhere = (await olga.get('/api/workspaces').expect(200)).body as WorkspaceDto[];
    const olgasChannel = await olga.createChannel(elsewhere[0].id, 'olgas');
    const text = `${at(olga)} ${at(carla)} <#${secret.id}> <#${room.id}> <#${olgasChannel.id}> <@${randomUUID()}>`;
    const byCarla = await post(carla, room.id, text);
    expect(byCarla.mentions).toEqual({ userIds: [carla.id], channelIds: [room.id], broadcast: null });
    expect(byCarla.mentionedNonMembers).toEqual([]);
    // The same text by someone in the private channel links it.
    const byAna = await post(ana, room.id, text);
    expect(byAna.mentions.channelIds).toEqual([secret.id, room.id]);
    expect(byAna.mentions.userIds).toEqual([carla.id]);
  });

  it('mentionCount counts a mention for the mentioned member only, and drops on read, delete and edit', async () => {
    const room = await newChannel();
    const first = await post(ana, room.id, `ping ${at(bruno)}`);
    expect(await mentionCounts(room.id, [ana, bruno, carla])).toEqual([0, 1, 0]);
    await bruno.post(`/api/channels/${room.id}/read`, { seq: first.seq }).expect(200);
    expect(await mentionCounts(room.id, [bruno])).toEqual([0]);

    const second = await post(ana, room.id, `again ${at(bruno)}`);
    expect(await mentionCounts(room.id, [bruno])).toEqual([1]);
    await ana.delete(`/api/messages/${second.id}`).expect(204);
    expect(await mentionCounts(room.id, [bruno])).toEqual([0]);

    const third = await post(ana, room.id, 'nobody yet');
    await ana.patch(`/api/messages/${third.id}`, { text: `now ${at(carla)}` }).expect(200);
    expect(await mentionCounts(room.id, [bruno, carla])).toEqual([0, 1]);
    const edited = (await ana.patch(`/api/messages/${third.id}`, { text: `now ${at(bruno)} instead` }).expect(200)).body as MessageDto;
    expect(edited.mentions.userIds).toEqual([bruno.id]);
    expect(await mentionCounts(room.id, [bruno, carla])).toEqual([1, 0]);
    await ana.patch(`/api/messages/${third.id}`, { text: 'nobody again' }).expect(200);
    expect(await mentionCounts(room.id, [bruno, carla])).toEqual([0, 0]);
    expect((await history(bruno, room.id)).find((m) => m.id === third.id)?.mentions).toEqual({ userIds: [], channelIds: [], broadcast: null });
  });

  it('@channel counts for every member but the sender; @here only for those connected when it was sent', async () => {
    const room = await newChannel();
    const everyone = await post(ana, room.id, 'heads up @channel');
    expect(everyone.mentions.broadcast).toBe('channel');
    expect(await mentionCounts(room.id, [ana, bruno, carla])).toEqual([0, 1, 1]);

    await open(bruno);
    await eventually(async () => {
      const presence = (await ana.get(`/api/workspaces/${ws.id}/presence`).expect(200)).body as { userId: string; status: string }[];
      expect(presence.find((p) => p.userId === bruno.id)?.status).toBe('online');
    });
    const here = await post(ana, room.id, 'anyone @here?');
    expect(here.mentions.broadcast).toBe('here');
    expect(await mentionCounts(room.id, [ana, bruno, carla])).toEqual([0, 2, 1]);
  });

  it('broadcastMentions: a bad value is refused; nobody and managers refuse @channel/@here to who may not', async () => {
    const room = await newChannel();
    await eli.post(`/api/channels/${room.id}/join`).expect(200);
    await ana.patch(`/api/workspaces/${ws.id}`, { settings: { broadcastMentions: 'admins' } }).expect(400);
    await ana.patch(`/api/workspaces/${ws.id}`, { settings: { broadcastMentions: 42 } }).expect(400);
    try {
      await setPolicy('nobody');
      const refused = await post(eli, room.id, '@channel lunch');
      expect(refused.mentions.broadcast).toBeNull();
      expect(refused.broadcastRefused).toBe('channel');
      expect(await mentionCounts(room.id, [bruno, carla])).toEqual([0, 0]);

      await setPolicy('managers');
      const byMember = await post(bruno, room.id, `@here ${at(carla)}`);
      expect(byMember.broadcastRefused).toBe('here');
      expect(byMember.mentions).toEqual({ userIds: [carla.id], channelIds: [], broadcast: null });
      expect(await mentionCounts(room.id, [ana, carla, eli])).toEqual([0, 1, 0]);
      const byAdmin = await post(eli, room.id, '@channel lunch');
      expect(byAdmin.broadcastRefused).toBeNull();
      expect(byAdmin.mentions.broadcast).toBe('channel');
      expect(await mentionCounts(room.id, [ana, bruno, carla, eli])).toEqual([1, 1, 2, 0]);
    } finally {
      await setPolicy('everyone');
    }
  });

  it('a mentioned non-member is named to the sender only and not notified; in a DM @channel is a plain word', async () => {
    const room = await newChannel();
    const b = await open(bruno);
    const seen = collect(b, 'newMessage');
    const a = await open(ana);
    const sent = await callOk(a, 'sendMessage', { channelId: room.id, text: `${at(dora)} ${at(bruno)} have a look`, clientMsgId: randomUUID() });
    expect(sent.mentionedNonMembers).toEqual([dora.id]);
    expect(sent.mentions.userIds).toEqual([dora.id, bruno.id]);
    await eventually(() => expect(seen.filter((m) => m.id === sent.id)).toHaveLength(1));
    const other = seen.find((m) => m.id === sent.id)!;
    expect(other).not.toHaveProperty('mentionedNonMembers');
    expect(other).not.toHaveProperty('broadcastRefused');
    expect(other.mentions.userIds).toEqual([dora.id, bruno.id]);
    // dora may browse the public channel: nothing counted for her, then or once she joins.
    expect(await mentionCounts(room.id, [dora, bruno])).toEqual([0, 1]);
    await dora.post(`/api/channels/${room.id}/join`).expect(200);
    expect(await mentionCounts(room.id, [dora])).toEqual([0]);

    const dm = (await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [bruno.id] }).expect(200)).body as ChannelDto;
    const inDm = await post(ana, dm.id, `@channel @here ${at(carla)}`);
    expect(inDm.mentions).toEqual({ userIds: [carla.id], channelIds: [], broadcast: null });
    expect(inDm.broadcastRefused).toBeNull();
    expect(inDm.mentionedNonMembers).toEqual([]);
    expect(await mentionCounts(dm.id, [bruno])).toEqual([0]);
  });

  it(`more than ${MENTIONS_PER_MESSAGE_MAX} different people is refused over REST and the socket, and nothing is stored`, async () => {
    const room = await newChannel();
    const many = (n: number) => Array.from({ length: n }, () => `<@${randomUUID()}>`).join(' ');
    const before = (await channelNow(ana, room.id)).lastSeq;
    const rest = await ana.post(`/api/channels/${room.id}/messages`, { text: many(MENTIONS_PER_MESSAGE_MAX + 1), clientMsgId: randomUUID() }).expect(400);
    expect(rest.body.code).toBe(MessageErrorCode.TooManyMentions);
    const ack = await call(await open(ana), 'sendMessage', { channelId: room.id, text: many(MENTIONS_PER_MESSAGE_MAX + 1), clientMsgId: randomUUID() });
    expect(ack).toMatchObject({ ok: false, error: { code: MessageErrorCode.TooManyMentions } });
    expect((await channelNow(ana, room.id)).lastSeq).toBe(before);
    // The same person many times is one mention; exactly the maximum is fine.
    await post(ana, room.id, `${at(bruno)} `.repeat(200));
    await post(ana, room.id, many(MENTIONS_PER_MESSAGE_MAX));
    expect((await channelNow(ana, room.id)).lastSeq).toBe(before + 2);
    // An edit is held to the same limit.
    const [last] = (await history(ana, room.id)).slice(-1);
    const refusedEdit = await ana.patch(`/api/messages/${last.id}`, { text: many(MENTIONS_PER_MESSAGE_MAX + 1) }).expect(400);
    expect(refusedEdit.body.code).toBe(MessageErrorCode.TooManyMentions);
  });

  it('a thread reply mentioning someone makes them follow the thread, without reading it', async () => {
    const room = await newChannel();
    const root = await post(ana, room.id, 'a question');
    const answer = await post(bruno, room.id, `${at(carla)} do you know?`, { threadRootId: root.id });
    expect(answer.mentions.userIds).toEqual([carla.id]);
    const threads = (await carla.get(`/api/workspaces/${ws.id}/threads`).expect(200)).body as ThreadDto[];
    const followed = threads.find((thread) => thread.root.id === root.id);
    expect(followed).toMatchObject({ following: true, unreadReplies: 1 });
    expect(await mentionCounts(room.id, [carla])).toEqual([1]);
    // Someone who unfollowed follows again when named.
    await carla.delete(`/api/messages/${root.id}/follow`).expect(200);
    await post(bruno, room.id, `${at(carla)} still?`, { threadRootId: root.id });
    const again = (await carla.get(`/api/workspaces/${ws.id}/threads`).expect(200)).body as ThreadDto[];
    expect(again.find((thread) => thread.root.id === root.id)).toMatchObject({ following: true, unreadReplies: 2 });
  });

  it('an edit to the same text makes no version and no change', async () => {
    const room = await newChannel();
    const b = await open(bruno);
    const updated = collect(b, 'messageUpdated');
    const sent = await post(ana, room.id, `same ${at(bruno)}`);
    const { lastChangeSeq } = await channelNow(ana, room.id);
    const answer = (await ana.patch(`/api/messages/${sent.id}`, { text: sent.text }).expect(200)).body as MessageDto;
    expect(answer).toMatchObject({ id: sent.id, text: sent.text, editedAt: null, mentions: sent.mentions });
    expect((await ana.get(`/api/messages/${sent.id}/versions`).expect(200)).body).toEqual([]);
    expect((await channelNow(ana, room.id)).lastChangeSeq).toBe(lastChangeSeq);
    expect(await mentionCounts(room.id, [bruno])).toEqual([1]);
    await sleep(200);
    expect(updated.filter((change: MessageChangeEvent) => change.message.id === sent.id)).toEqual([]);
  });

  it('hostile tokens neither fail nor mention', async () => {
    const room = await newChannel();
    const texts = [
      '<@not-a-uuid> <@12345678-1234-1234-1234-12345678> <#zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz>',
      '<@'.repeat(4000),
      `<@${bruno.id}`.repeat(100),
      'mail ana@here.com or ops@channel.example, @channels and @hereby',
      `<@${bruno.id.toUpperCase()}>`,
      `<@${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}> <#${'f'.repeat(8)}-ffff-ffff-ffff-${'f'.repeat(12)}>`,
    ];
    const results = [];
    for (const text of texts) results.push((await post(ana, room.id, text)).mentions);
    expect(results.slice(0, 4)).toEqual(Array(4).fill({ userIds: [], channelIds: [], broadcast: null }));
    expect(results[4].userIds).toEqual([bruno.id]);
    expect(results[5]).toEqual({ userIds: [], channelIds: [], broadcast: null });
    expect(await mentionCounts(room.id, [bruno, carla])).toEqual([1, 0]);
  });

  it('forwarding with a comment resolves the comment\'s mentions', async () => {
    const room = await newChannel();
    const source = await post(ana, room.id, 'worth sharing');
    const other = await newChannel();
    const forwarded = (await bruno.post(`/api/messages/${source.id}/forward`, { channelId: other.id, comment: `${at(carla)} ${at(dora)} look`, clientMsgId: randomUUID() }).expect(201))
      .body as SentMessage;
    expect(forwarded.mentions.userIds).toEqual([carla.id, dora.id]);
    expect(forwarded.mentionedNonMembers).toEqual([dora.id]);
    expect(await mentionCounts(other.id, [carla])).toEqual([1]);
  });
});
