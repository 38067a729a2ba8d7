import { randomUUID } from 'node:crypto';
import { ChannelDto, CreatedInviteDto, MemberEvent, WorkspaceDto } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callOk, ClientSocket, collect, connectSocket, eventually, sleep } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';

const redisUrl = process.env.REDIS_URL;
const haveServices = Boolean(redisUrl && (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL));
const describeScaled = haveServices ? describe : describe.skip;
if (!haveServices) {
  console.log('[parley] Live membership tests SKIPPED: they need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).');
}

/**
 * Issue 10, section 5: joining a workspace or a channel, being added to a private channel or a
 * DM, and leaving take effect at once on every open socket of the person, on every instance,
 * and clients are told so their channel lists and member counts follow. Every change is made
 * through instance one while the person's socket is on instance two, and no socket reconnects.
 */
describeScaled('membership changes reach sockets live on every instance (needs DATABASE_URL and REDIS_URL)', () => {
  let sink: SmtpSink;
  let one: TestApp;
  let two: TestApp;
  let ana: Person;
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-${randomUUID().slice(0, 8)}`;
  const env = () => ({
    SMTP_URL: sink.url,
    REDIS_URL: redisUrl!,
    REDIS_PREFIX: prefix,
    RATE_LIMIT_CODE_PER_IP: '1000',
    RATE_LIMIT_VERIFY_PER_IP: '1000',
    RATE_LIMIT_SEND_BURST: '1000',
  });

  const open = async (app: { url: string }, p: Person) => {
    const socket = await connectSocket(app.url, p.auth.accessToken);
    sockets.push(socket);
    return socket;
  };
  const send = (socket: ClientSocket, channelId: string, text: string) =>
    callOk(socket, 'sendMessage', { channelId, text, clientMsgId: randomUUID() });
  const on = (p: Person, app: TestApp) => new Person(app.url, p.auth);
  const channels = async (p: Person, ws: WorkspaceDto): Promise<ChannelDto[]> =>
    (await p.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    one = await startTestApp({ mode: 'postgres', env: env() });
    two = await startTestApp({ mode: 'postgres', env: env(), databaseUrl: one.config.databaseUrl!, dataDir: one.config.dataDir });
    ana = await person(one.url, sink, 'Ana');
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
    await sink?.stop();
  });

  it('accepting an invite: the socket already open on the other instance gets workspaceJoined, #general and its next message', async () => {
    const ws = await ana.createWorkspace('Welcome');
    const general = (await channels(ana, ws)).find((c) => c.name === 'general')!;
    const newcomer = await person(two.url, sink, 'Newcomer');
    const theirs = await open(two, newcomer);
    const joinedWorkspaces = collect(theirs, 'workspaceJoined');
    const joinedChannels = collect(theirs, 'memberJoined');
    const inbox = collect(theirs, 'newMessage');
    const mine = await open(one, ana);
    const anaSees = collect(mine, 'memberJoined');

    const invite = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email: newcomer.email }).expect(201)).body as CreatedInviteDto;
    await on(newcomer, one).post(`/api/invites/${invite.token}/accept`).expect(200);
    // Once the answer is in, the rooms on instance two have changed: the very next message arrives.
    const hello = await send(mine, general.id, 'welcome!');

    await eventually(() => expect(inbox.map((m) => m.id)).toEqual([hello.id]));
    expect(joinedWorkspaces).toEqual([{ workspaceId: ws.id }]);
    const expected: MemberEvent = { channelId: general.id, userId: newcomer.id, memberCount: 2 };
    expect(joinedChannels).toEqual([expected]);
    // The other member's header count follows.
    await eventually(() => expect(anaSees).toEqual([expected]));
  });

  it('creating a workspace: the creator\'s open sockets join it at once and hear about its channels', async () => {
    const watcher = await open(two, ana);
    const joined = collect(watcher, 'workspaceJoined');
    const listChanges = collect(watcher, 'channelsChanged');
    const ws = await ana.createWorkspace('Fresh');
    await eventually(() => expect(joined).toEqual([{ workspaceId: ws.id }]));
    const eli = await person(one.url, sink, 'Eli');
    await ana.invite(ws.id, eli);
    await eli.createChannel(ws.id, 'ideas');
    await eventually(() => expect(listChanges).toEqual([{ workspaceId: ws.id }]));
  });

  it('being added to a private channel and to a DM, through the other instance: events and the next message arrive', async () => {
    const ws = await ana.createWorkspace('Private');
    const bruno = await person(two.url, sink, 'Bruno');
    await ana.invite(ws.id, bruno);
    const secret = await ana.createChannel(ws.id, 'secret', 'private');
    const theirs = await open(two, bruno);
    const joined = collect(theirs, 'memberJoined');
    const inbox = collect(theirs, 'newMessage');
    const mine = await open(one, ana);

    await ana.post(`/api/channels/${secret.id}/members`, { userIds: [bruno.id] }).expect(200);
    const inSecret = await send(mine, secret.id, 'psst');
    await eventually(() => expect(inbox.map((m) => m.id)).toEqual([inSecret.id]));
    expect(joined).toContainEqual({ channelId: secret.id, userId: bruno.id, memberCount: 2 });

    const dm = (await ana.post(`/api/workspaces/${ws.id}/dms`, { userIds: [bruno.id] }).expect(200)).body as ChannelDto;
    const inDm = await send(mine, dm.id, 'just us');
    await eventually(() => expect(inbox.map((m) => m.id)).toEqual([inSecret.id, inDm.id]));
    expect(joined).toContainEqual({ channelId: dm.id, userId: bruno.id, memberCount: 2 });
  });

  it('joining and leaving a public channel: every socket of the person follows, on both instances, and counts update', async () => {
    const ws = await ana.createWorkspace('Rooms');
    const carla = await person(one.url, sink, 'Carla');
    await ana.invite(ws.id, carla);
    const watcherOnOne = await open(one, carla);
    const watcherOnTwo = await open(two, carla);
    const listChanges = collect(watcherOnTwo, 'channelsChanged');

    // A new public channel shows in the browse list of those outside it.
    const lounge = await on(ana, two).createChannel(ws.id, 'lounge');
    await eventually(() => expect(listChanges).toEqual([{ workspaceId: ws.id }]));
    expect((await channels(carla, ws)).find((c) => c.id === lounge.id)).toMatchObject({ member: false, memberCount: 1 });

    const mine = await open(two, ana);
    const counts = collect(mine, 'memberJoined');
    const departures = collect(mine, 'memberLeft');
    const inboxes = [collect(watcherOnOne, 'newMessage'), collect(watcherOnTwo, 'newMessage')];
    const toldCarla = [collect(watcherOnOne, 'memberLeft'), collect(watcherOnTwo, 'memberLeft')];
    await on(carla, one).post(`/api/channels/${lounge.id}/join`).expect(200);
    const first = await send(mine, lounge.id, 'hi both tabs');
    for (const inbox of inboxes) await eventually(() => expect(inbox.map((m) => m.id)).toEqual([first.id]));
    await eventually(() => expect(counts).toEqual([{ channelId: lounge.id, userId: carla.id, memberCount: 2 }]));

    await on(carla, one).post(`/api/channels/${lounge.id}/leave`).expect(204);
    await send(mine, lounge.id, 'after you left');
    const departure = { channelId: lounge.id, userId: carla.id, memberCount: 1 };
    await eventually(() => expect(departures).toEqual([departure]));
    for (const told of toldCarla) await eventually(() => expect(told).toEqual([departure]));
    await sleep(300);
    for (const inbox of inboxes) expect(inbox.map((m) => m.id)).toEqual([first.id]);
  });

  it('removal from the workspace: workspaceLeft on the other instance, and no more messages', async () => {
    const ws = await ana.createWorkspace('Farewell');
    const general = (await channels(ana, ws)).find((c) => c.name === 'general')!;
    const dana = await person(one.url, sink, 'Dana');
    await ana.invite(ws.id, dana);
    const theirs = await open(two, dana);
    const gone = collect(theirs, 'workspaceLeft');
    const leftChannels = collect(theirs, 'memberLeft');
    const inbox = collect(theirs, 'newMessage');
    const mine = await open(one, ana);

    await ana.delete(`/api/workspaces/${ws.id}/members/${dana.id}`).expect(204);
    await send(mine, general.id, 'behind your back');
    await eventually(() => expect(gone).toEqual([{ workspaceId: ws.id }]));
    expect(leftChannels).toEqual([{ channelId: general.id, userId: dana.id, memberCount: 1 }]);
    await sleep(300);
    expect(inbox).toEqual([]);
    // The same socket, never reconnected, comes back with a new invite.
    await ana.invite(ws.id, dana);
    const back = await send(mine, general.id, 'welcome back');
    await eventually(() => expect(inbox.map((m) => m.id)).toEqual([back.id]));
  });
});
