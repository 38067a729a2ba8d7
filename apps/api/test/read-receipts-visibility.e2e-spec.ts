import { randomUUID } from 'node:crypto';
import { ChannelDto, ChannelReadsDto, MessageDto, READ_RECEIPTS_MAX_MEMBERS, ReadUpdateEvent, WorkspaceDto } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callOk, ClientSocket, collect, connectSocket, eventually, sleep } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 13, read receipts: who sees how far whom has read, over GET /api/channels/:id/reads and
 * as live readUpdate events. The two must agree: an event reaches exactly those whose list shows the reader.
 */
describe.each(databaseModes())('read receipts: who sees whose (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person, bruno: Person, carla: Person, dora: Person, olga: Person, gus: Person;
  let ws: WorkspaceDto;
  let dm: ChannelDto, group: ChannelDto, small: ChannelDto, big: ChannelDto;
  const sockets: ClientSocket[] = [];

  const open = async (p: Person) => {
    const socket = await connectSocket(t.url, p.auth.accessToken);
    sockets.push(socket);
    return socket;
  };
  const reads = async (p: Person, channel: ChannelDto): Promise<ChannelReadsDto> => (await p.get(`/api/channels/${channel.id}/reads`).expect(200)).body;
  const readers = async (p: Person, channel: ChannelDto) => (await reads(p, channel)).reads.map((read) => read.userId).sort();
  const say = async (p: Person, channel: ChannelDto): Promise<MessageDto> =>
    (await p.post(`/api/channels/${channel.id}/messages`, { text: 'hello', clientMsgId: randomUUID() }).expect(201)).body;
  const receipts = async (p: Person, on: boolean) => expect((await p.patch('/api/users/me', { readReceipts: on }).expect(200)).body.readReceipts).toBe(on);
  const workspaceReceipts = (on: boolean) => ana.patch(`/api/workspaces/${ws.id}`, { settings: { readReceipts: on } }).expect(200);
  const dmWith = async (by: Person, others: Person[]): Promise<ChannelDto> =>
    (await by.post(`/api/workspaces/${ws.id}/dms`, { userIds: others.map((o) => o.id) }).expect(200)).body;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    // Some sixty people sign in from one address.
    const limits = { RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000', RATE_LIMIT_AUTH_BURST: '1000' };
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url, ...limits } });
    [ana, bruno, carla, dora, olga, gus] = await Promise.all(['Ana', 'Bruno', 'Carla', 'Dora', 'Olga', 'Gus'].map((name) => person(t.url, sink, name)));
    ws = await ana.createWorkspace('Receipts');
    for (const p of [bruno, carla, dora, olga]) await ana.invite(ws.id, p);
    await ana.invite(ws.id, gus, await ana.roleId(ws.id, 'guest'));

    dm = await dmWith(ana, [bruno]);
    group = await dmWith(ana, [bruno, carla]);
    small = await ana.createChannel(ws.id, 'small', 'private');
    await ana.post(`/api/channels/${small.id}/members`, { userIds: [bruno.id, carla.id, dora.id] }).expect(200);
    // The big channel starts at exactly the limit: Ana, Bruno and a crowd.
    big = await ana.createChannel(ws.id, 'big');
    const crowd: Person[] = [];
    // Ten sign-ins at a time: the mail sink keeps up with that.
    while (crowd.length < READ_RECEIPTS_MAX_MEMBERS - 2) {
      const batch = Array.from({ length: Math.min(10, READ_RECEIPTS_MAX_MEMBERS - 2 - crowd.length) }, (_, i) => person(t.url, sink, `Crowd${crowd.length + i}`));
      crowd.push(...(await Promise.all(batch)));
    }
    for (const p of crowd) await ana.invite(ws.id, p);
    await ana.post(`/api/channels/${big.id}/members`, { userIds: [bruno.id, ...crowd.map((p) => p.id)] }).expect(200);
  }, 120_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a DM shows the other person’s read position, never your own', async () => {
    const message = await say(ana, dm);
    await bruno.post(`/api/channels/${dm.id}/read`, { seq: message.seq }).expect(200);
    expect(await reads(ana, dm)).toEqual({ available: true, unavailableReason: null, reads: [{ userId: bruno.id, lastReadSeq: message.seq }] });
    expect(await readers(bruno, dm)).toEqual([ana.id]);
  });

  it('a group DM and a small channel show every other member', async () => {
    expect(await readers(ana, group)).toEqual([bruno.id, carla.id].sort());
    expect(await readers(ana, small)).toEqual([bruno.id, carla.id, dora.id].sort());
    expect(await readers(dora, small)).toEqual([ana.id, bruno.id, carla.id].sort());
  });

  it(`a channel of ${READ_RECEIPTS_MAX_MEMBERS} members shows them; one more and it is too large`, async () => {
    expect((await reads(ana, big)).reads).toHaveLength(READ_RECEIPTS_MAX_MEMBERS - 1);
    await carla.post(`/api/channels/${big.id}/join`).expect(200);
    expect(await reads(ana, big)).toEqual({ available: false, unavailableReason: 'too_large', reads: [] });
    expect(await reads(carla, big)).toEqual({ available: false, unavailableReason: 'too_large', reads: [] });
  });

  it('someone who turned receipts off is left out of the others’ lists, and sees none themselves', async () => {
    await receipts(dora, false);
    try {
      expect(await readers(ana, small)).toEqual([bruno.id, carla.id].sort());
      expect(await reads(dora, small)).toEqual({ available: false, unavailableReason: 'you', reads: [] });
      expect((await dora.get('/api/users/me').expect(200)).body.readReceipts).toBe(false);
    } finally {
      await receipts(dora, true);
    }
    expect(await readers(ana, small)).toContain(dora.id);
  });

  it('the workspace turned off: nobody sees any, in DMs either', async () => {
    await workspaceReceipts(false);
    try {
      for (const [p, channel] of [[ana, dm], [bruno, dm], [carla, small]] as const) {
        expect(await reads(p, channel)).toEqual({ available: false, unavailableReason: 'workspace', reads: [] });
      }
    } finally {
      await workspaceReceipts(true);
    }
    expect(await readers(ana, dm)).toEqual([bruno.id]);
  });

  it('outsiders of a private channel or DM, guests outside a channel and unknown channels get 404', async () => {
    await olga.get(`/api/channels/${small.id}/reads`).expect(404);
    await olga.get(`/api/channels/${dm.id}/reads`).expect(404);
    await gus.get(`/api/channels/${small.id}/reads`).expect(404);
    await gus.get(`/api/channels/${big.id}/reads`).expect(404);
    await ana.get(`/api/channels/${randomUUID()}/reads`).expect(404);
    await ana.get('/api/channels/not-a-uuid/reads').expect(404);
    const stranger = await person(t.url, sink, 'Stranger');
    await stranger.get(`/api/channels/${big.id}/reads`).expect(404);
  });

  it('the switches take booleans only', async () => {
    await workspaceReceipts(true);
    for (const readReceipts of ['no', 0, null, {}]) {
      expect((await ana.patch('/api/users/me', { readReceipts }).expect(400)).body).toMatchObject({ statusCode: 400, code: expect.any(String) });
      expect((await ana.patch(`/api/workspaces/${ws.id}`, { settings: { readReceipts } }).expect(400)).body).toMatchObject({ statusCode: 400, code: expect.any(String) });
    }
    expect((await ana.get(`/api/workspaces/${ws.id}`).expect(200)).body.settings.readReceipts).toBe(true);
    await bruno.patch(`/api/workspaces/${ws.id}`, { settings: { readReceipts: false } }).expect(403);
    expect(await readers(ana, dm)).toEqual([bruno.id]);
  });

  describe('readUpdate over sockets', () => {
    /**
     * Bruno reads Ana's new message in `channel` from one socket; his second socket always gets
     * the readUpdate (it is the sync point), then Ana's is checked for it.
     */
    const brunoReads = async (channel: ChannelDto): Promise<{ toAna: ReadUpdateEvent[]; expected: ReadUpdateEvent }> => {
      const [a, b1, b2] = [await open(ana), await open(bruno), await open(bruno)];
      const message = await say(ana, channel);
      const atAna = collect(a, 'readUpdate');
      const atOtherDevice = collect(b2, 'readUpdate');
      await callOk(b1, 'markRead', { channelId: channel.id, seq: message.seq });
      const expected: ReadUpdateEvent = { channelId: channel.id, userId: bruno.id, seq: message.seq };
      await eventually(() => expect(atOtherDevice.filter((e) => e.channelId === channel.id)).toEqual([expected]));
      await sleep(200); // an event for Ana, sent in the same emit, would have arrived by now
      return { toAna: atAna.filter((e) => e.channelId === channel.id && e.userId === bruno.id), expected };
    };

    it('in a DM the other person and the reader’s other device get it', async () => {
      const { toAna, expected } = await brunoReads(dm);
      expect(toAna).toEqual([expected]);
    });

    it('in a small channel too', async () => {
      const { toAna, expected } = await brunoReads(small);
      expect(toAna).toEqual([expected]);
    });

    it('not to others when the reader turned receipts off (his other device still gets it)', async () => {
      await receipts(bruno, false);
      try {
        expect((await brunoReads(dm)).toAna).toEqual([]);
      } finally {
        await receipts(bruno, true);
      }
    });

    it('turning receipts off tells the members of one\'s channels to stop showing one\'s reads (once; not people outside them)', async () => {
      const [a, c, g] = [await open(ana), await open(carla), await open(gus)];
      const [atAna, atCarla, atGus] = [collect(a, 'readReceiptsWithdrawn'), collect(c, 'readReceiptsWithdrawn'), collect(g, 'readReceiptsWithdrawn')];
      await receipts(dora, false);
      try {
        // Ana and Carla share #small (and #general) with Dora; Gus, a guest, shares no channel with her.
        await eventually(() => expect(atAna).toEqual([{ userId: dora.id }]));
        await eventually(() => expect(atCarla).toEqual([{ userId: dora.id }]));
        // Off again changes nothing, so nothing is sent.
        await receipts(dora, false);
        await sleep(200);
        expect(atAna).toEqual([{ userId: dora.id }]);
        expect(atGus).toEqual([]);
      } finally {
        await receipts(dora, true);
      }
      await sleep(100);
      expect(atAna).toEqual([{ userId: dora.id }]);
    });

    it('not to a member who turned their own receipts off', async () => {
      await receipts(ana, false);
      try {
        expect((await brunoReads(dm)).toAna).toEqual([]);
      } finally {
        await receipts(ana, true);
      }
    });

    it('not to others when the workspace turned receipts off', async () => {
      await workspaceReceipts(false);
      try {
        expect((await brunoReads(group)).toAna).toEqual([]);
      } finally {
        await workspaceReceipts(true);
      }
    });

    it(`not to others in a channel of more than ${READ_RECEIPTS_MAX_MEMBERS} members`, async () => {
      await carla.post(`/api/channels/${big.id}/join`).expect(200);
      const members = (await ana.get(`/api/channels/${big.id}`).expect(200)).body.memberCount;
      expect(members).toBe(READ_RECEIPTS_MAX_MEMBERS + 1);
      expect((await brunoReads(big)).toAna).toEqual([]);
    });
  });
});
