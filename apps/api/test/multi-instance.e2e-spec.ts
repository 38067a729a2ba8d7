import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { AuthErrorCode, ChannelDto, CommonErrorCode, MessageDto, WorkspaceDto } from '@parley/contracts';
import request from 'supertest';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { ackData, call, callOk, ClientSocket, collect, connectSocket, eventually, sleep } from './support/sockets';
import { SpawnedApi } from './support/spawned-api';
import { startTestApp, TestApp } from './support/test-app';

const redisUrl = process.env.REDIS_URL;
const haveServices = Boolean(redisUrl && (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL));
const describeScaled = haveServices ? describe : describe.skip;
if (!haveServices) {
  console.log('[parley] Multi-instance tests SKIPPED: they need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis).');
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describeScaled('two instances on one Redis (needs DATABASE_URL and REDIS_URL)', () => {
  let sink: SmtpSink;
  let one: TestApp;
  let two: TestApp;
  let ana: Person;
  let ws: WorkspaceDto;
  const people: Person[] = [];
  const sockets: ClientSocket[] = [];
  const prefix = `parley-test-${randomUUID().slice(0, 8)}`;
  const env = () => ({
    SMTP_URL: sink.url,
    REDIS_URL: redisUrl!,
    REDIS_PREFIX: prefix,
    RATE_LIMIT_CODE_PER_IP: '1000',
    RATE_LIMIT_VERIFY_PER_IP: '1000',
    RATE_LIMIT_SEND_BURST: '1000',
    PRESENCE_OFFLINE_GRACE_MS: '400',
  });

  const open = async (app: { url: string }, p: Person) => {
    const socket = await connectSocket(app.url, p.auth.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    one = await startTestApp({ mode: 'postgres', env: env() });
    two = await startTestApp({ mode: 'postgres', env: env(), databaseUrl: one.config.databaseUrl!, dataDir: one.config.dataDir });
    ana = await person(one.url, sink, 'Ana');
    ws = await ana.createWorkspace('Scale');
    for (let i = 0; i < 10; i++) {
      const p = await person(i % 2 ? one.url : two.url, sink, `Sender ${i}`);
      await ana.invite(ws.id, p);
      people.push(p);
    }
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await two?.close();
    await one?.close();
    await sink?.stop();
  });

  const general = async (): Promise<ChannelDto> =>
    ((await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find((c) => c.name === 'general')!;

  it('10 concurrent senders x 50 messages: every receiver on either instance gets all 500 once, in seq order', async () => {
    const channel = await ana.createChannel(ws.id, 'firehose');
    for (const p of people) await p.post(`/api/channels/${channel.id}/join`).expect(200);
    const receivers = [await open(one, ana), await open(two, ana), await open(one, people[0]), await open(two, people[1])];
    const inboxes = receivers.map((socket) => collect(socket, 'newMessage'));
    const senders = await Promise.all(people.map((p, i) => open(i % 2 ? one : two, p)));

    const acked = await Promise.all(
      senders.map(async (socket, i) => {
        const seqs: number[] = [];
        const inFlight: Promise<void>[] = [];
        for (let n = 0; n < 50; n++) {
          inFlight.push(
            callOk(socket, 'sendMessage', { channelId: channel.id, text: `s${i} m${n}`, clientMsgId: randomUUID() }).then((message) => {
              seqs.push(message.seq);
            }),
          );
          if (n % 5 === 4) await Promise.all(inFlight.splice(0));
        }
        await Promise.all(inFlight);
        return seqs;
      }),
    );
    expect(acked.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

    for (const inbox of inboxes) {
      await eventually(() => expect(inbox.filter((m) => m.channelId === channel.id)).toHaveLength(500), 15_000);
      expect(inbox.filter((m) => m.channelId === channel.id).map((m) => m.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    }
  });

  it('a client that reconnects to the other instance gets exactly what it missed through sync', async () => {
    const channel = await general();
    const reader = people[2];
    const first = await open(one, reader);
    const seen = collect(first, 'newMessage');
    const writer = await open(two, ana);
    const send = (text: string) => call(writer, 'sendMessage', { channelId: channel.id, text, clientMsgId: randomUUID() });
    await send('before');
    await eventually(() => expect(seen.map((m) => m.text)).toContain('before'));
    const lastSeen = seen.at(-1)!.seq;
    first.close();
    const missed: number[] = [];
    for (let i = 0; i < 12; i++) {
      const ack = await send(`missed ${i}`);
      if (ack.ok) missed.push(ack.data.seq);
    }
    const second = await open(two, reader);
    const result = await callOk(second, 'sync', { cursors: { [channel.id]: lastSeen } });
    expect(result.messages.map((m) => m.seq)).toEqual(missed);
    expect(result.messages.map((m) => m.text)).toEqual(Array.from({ length: 12 }, (_, i) => `missed ${i}`));
  });

  it('joining a channel through one instance updates the rooms of sockets on the other', async () => {
    const channel = await ana.createChannel(ws.id, 'late-joiners');
    const p = people[3];
    const socket = await open(two, p);
    const seen = collect(socket, 'newMessage');
    await request(one.url).post(`/api/channels/${channel.id}/join`).auth(p.auth.accessToken, { type: 'bearer' }).expect(200);
    await sleep(100);
    const writer = await open(one, ana);
    await call(writer, 'sendMessage', { channelId: channel.id, text: 'hi late joiner', clientMsgId: randomUUID() });
    await eventually(() => expect(seen.map((m) => m.text)).toEqual(['hi late joiner']));
  });

  it('the same clientMsgIds sent to both instances at once are stored once each, beside the other sends of the burst', async () => {
    const channel = await ana.createChannel(ws.id, `twins-${randomUUID().slice(0, 6)}`);
    const [a1, a2] = [await open(one, ana), await open(two, ana)];
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const acks = await Promise.all(
      ids.flatMap((clientMsgId, i) => [
        call(a1, 'sendMessage', { channelId: channel.id, text: `twin ${i}`, clientMsgId }),
        call(a2, 'sendMessage', { channelId: channel.id, text: `twin ${i}`, clientMsgId }),
        call(i % 2 ? a1 : a2, 'sendMessage', { channelId: channel.id, text: `single ${i}`, clientMsgId: randomUUID() }),
      ]),
    );
    const data = acks.map((ack) => ackData(ack, 'sendMessage'));
    for (let i = 0; i < ids.length; i++) expect(data[3 * i + 1]).toEqual(data[3 * i]);
    const rows: { seq: string; text: string }[] = await one.dataSource.query('SELECT seq, text FROM messages WHERE channel_id = $1 ORDER BY seq', [channel.id]);
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.filter((row) => row.text.startsWith('twin')).length).toBe(20);
  });

  it('a session ended through one instance is refused by the other at once, though that one had just seen it live', async () => {
    const p = await person(two.url, sink, 'Leaving');
    const me = () => request(two.url).get('/api/users/me').auth(p.auth.accessToken, { type: 'bearer' });
    await me().expect(200); // instance two now remembers the session as live
    await request(one.url).post('/api/auth/logout').auth(p.auth.accessToken, { type: 'bearer' }).send({}).expect(204);
    await eventually(async () => {
      await me().expect(401);
    }, 1000);
    const refused = await me().expect(401);
    expect(refused.body.code).toBe(AuthErrorCode.SessionRevoked);
  });

  it('shows presence across instances: online, away, then offline after the grace period', async () => {
    const watcher = await open(one, ana);
    const updates = collect(watcher, 'statusUpdate');
    const p = await person(two.url, sink, 'Newcomer');
    await ana.invite(ws.id, p);
    const socket = await open(two, p);
    await eventually(() => expect(updates).toContainEqual(expect.objectContaining({ userId: p.id, status: 'online' })));
    await call(socket, 'setStatus', { status: 'away' });
    await eventually(() => expect(updates.at(-1)).toMatchObject({ userId: p.id, status: 'away' }));
    const viaOtherInstance = (await request(one.url).get(`/api/workspaces/${ws.id}/presence`).auth(ana.auth.accessToken, { type: 'bearer' }).expect(200)).body;
    expect(viaOtherInstance).toContainEqual(expect.objectContaining({ userId: p.id, status: 'away' }));
    await call(socket, 'setStatus', { status: 'online' });
    socket.close();
    await eventually(() => expect(updates.at(-1)).toMatchObject({ userId: p.id, status: 'offline' }), 5000);
  });

  it('typing on one instance is seen on the other, and ends by itself', async () => {
    const channel = await general();
    const watcher = await open(one, ana);
    const typing = collect(watcher, 'userTyping');
    const p = people[5];
    const socket = await open(two, p);
    await call(socket, 'typingStart', { channelId: channel.id });
    await eventually(() => expect(typing).toContainEqual({ userId: p.id, channelId: channel.id, typing: true }));
    await eventually(() => expect(typing).toContainEqual({ userId: p.id, channelId: channel.id, typing: false }), 8000);
  });

  it('an instance killed mid-stream loses no acknowledged message', async () => {
    const channel = await ana.createChannel(ws.id, 'crash');
    const port = await freePort();
    const doomed = await SpawnedApi.start(port, { ...env(), DATABASE_URL: one.config.databaseUrl!, JWT_SECRET: one.config.jwtSecret });
    try {
      const socket = await connectSocket(doomed.url, ana.auth.accessToken, { reconnection: false });
      sockets.push(socket);
      const acked: MessageDto[] = [];
      let stop = false;
      const pump = (async () => {
        for (let i = 0; !stop && i < 5000; i++) {
          const ack = await call(socket, 'sendMessage', { channelId: channel.id, text: `crash ${i}`, clientMsgId: randomUUID() }, 3000).catch(() => null);
          if (!ack) break;
          if (ack.ok) acked.push(ack.data);
        }
      })();
      await eventually(() => expect(acked.length).toBeGreaterThan(30), 20_000);
      await doomed.kill();
      stop = true;
      await pump;
      const stored = (await ana.get(`/api/channels/${channel.id}/messages`).query({ limit: 100 }).expect(200)).body;
      let all: MessageDto[] = stored.items;
      let before = all[0]?.seq;
      while (before > 1) {
        const page = (await ana.get(`/api/channels/${channel.id}/messages`).query({ limit: 100, before }).expect(200)).body;
        all = [...page.items, ...all];
        before = page.items[0].seq;
      }
      const ids = new Set(all.map((m) => m.id));
      expect(acked.filter((m) => !ids.has(m.id))).toEqual([]);
      expect(all.map((m) => m.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
      expect(new Set(all.map((m) => m.clientMsgId)).size).toBe(all.length);
    } finally {
      await doomed.kill();
    }
  });

  // Last in the file: passport keeps one 'jwt' strategy per process, that of the app created last,
  // so once this pair is closed no other app of this file can check a token.
  describe('rate limits shared through Redis (a second pair of instances with small limits)', () => {
    let three: TestApp;
    let four: TestApp;

    beforeAll(async () => {
      // Before, each instance counted its own buckets, so each of these would have let its own burst through.
      const limited = {
        ...env(),
        REDIS_PREFIX: `${prefix}-limits`,
        RATE_LIMIT_SEND_BURST: '3',
        RATE_LIMIT_SENDS_PER_SECOND: '1',
        RATE_LIMIT_AUTH_BURST: '3',
        RATE_LIMIT_AUTH_PER_SECOND: '1',
      };
      const shared = { databaseUrl: one.config.databaseUrl!, dataDir: one.config.dataDir };
      three = await startTestApp({ mode: 'postgres', env: limited, ...shared });
      four = await startTestApp({ mode: 'postgres', env: limited, ...shared });
    });

    afterAll(async () => {
      await four?.close();
      await three?.close();
    });

    /**
     * At one token a second, the request after the burst is refused only if it comes within a
     * second of the burst's first: where the machine is too loaded for that, the attempt is made
     * again (up to three times) once the bucket is full again, rather than read either way.
     */
    async function burstThenOneMore(attempt: () => Promise<request.Response>): Promise<request.Response> {
      for (let tries = 1; ; tries++) {
        const started = Date.now();
        const response = await attempt();
        if (response.status === 429 || Date.now() - started < 1000 || tries === 3) return response;
        await sleep(3000);
      }
    }

    it('a person who spent the send burst through one instance is refused through the other, retryably, until a token is back', async () => {
      const quick = await person(one.url, sink, 'Quick');
      await ana.invite(ws.id, quick);
      const channel = await general();
      let accepted = 0;
      const post = async (app: TestApp, text: string) => {
        const response = await request(app.url)
          .post(`/api/channels/${channel.id}/messages`)
          .auth(quick.auth.accessToken, { type: 'bearer' })
          .send({ text, clientMsgId: randomUUID() });
        if (response.status === 201) accepted++;
        return response;
      };

      const refused = await burstThenOneMore(async () => {
        const burst = await Promise.all([1, 2, 3].map((i) => post(three, `burst ${i}`)));
        expect(burst.map((response) => response.status)).toEqual([201, 201, 201]);
        return post(four, 'one too many');
      });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: CommonErrorCode.RateLimited });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      const socket = await open(four, quick);
      const ack = await call(socket, 'sendMessage', { channelId: channel.id, text: 'over the socket', clientMsgId: randomUUID() });
      expect(ack).toEqual({ ok: false, error: { code: CommonErrorCode.RateLimited, message: expect.any(String), retryable: true } });
      const stored: { count: string }[] = await one.dataSource.query('SELECT count(*) FROM messages WHERE sender_id = $1', [quick.id]);
      expect(Number(stored[0].count)).toBe(accepted);

      // A rate, not a ban: once a token is back, the next send goes through either instance.
      await sleep(retryAfter * 1000);
      expect((await post(four, 'later')).status).toBe(201);
    });

    it('an address that spent the /api/auth burst on one instance is refused on the other before its body is read', async () => {
      const login = (app: TestApp) => request(app.url).post('/api/auth/login').send({ email: `flood-${randomUUID().slice(0, 8)}@example.com` });
      const refused = await burstThenOneMore(async () => {
        const burst = await Promise.all([0, 1, 2].map(() => login(three)));
        expect(burst.map((response) => response.status)).not.toContain(429);
        return login(four);
      });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: CommonErrorCode.RateLimited });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Only /api/auth is counted.
      await request(four.url).get('/health').expect(200);
    });
  });
});
