import { randomUUID } from 'node:crypto';
import { MessageDto } from '@parley/contracts';
import { Person, person } from './support/api-client';
import { freePort, hasRedisServer, PrivateRedis } from './support/private-redis';
import { SmtpSink } from './support/smtp-sink';
import { ackData, call, callOk, ClientSocket, connectSocket, eventually } from './support/sockets';
import { startTestApp, TestApp } from './support/test-app';

const haveServices = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) && hasRedisServer();
if (!haveServices) console.log('[parley] Redis outage test SKIPPED: it needs DATABASE_URL and a redis-server binary.');

(haveServices ? describe : describe.skip)('Redis going away (needs DATABASE_URL and redis-server)', () => {
  let sink: SmtpSink;
  let redis: PrivateRedis;
  let one: TestApp;
  let two: TestApp;
  let ana: Person;
  let bruno: Person;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const env = { SMTP_URL: sink.url, REDIS_URL: `redis://127.0.0.1:${redis.port}`, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' };
    one = await startTestApp({ mode: 'postgres', env });
    two = await startTestApp({ mode: 'postgres', env, databaseUrl: one.config.databaseUrl!, dataDir: one.config.dataDir });
    ana = await person(one.url, sink, 'Ana');
    bruno = await person(two.url, sink, 'Bruno');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await two?.close();
    await one?.close();
    await redis?.stop();
    await sink?.stop();
  });

  it("sends still commit and acknowledge while Redis is down; the other instance's client catches up through sync", async () => {
    const ws = await ana.createWorkspace('Outage');
    await ana.invite(ws.id, bruno);
    const channel = await ana.createChannel(ws.id, 'outage');
    await bruno.post(`/api/channels/${channel.id}/join`).expect(200);
    const writer = await connectSocket(one.url, ana.auth.accessToken);
    const reader = await connectSocket(two.url, bruno.auth.accessToken);
    sockets.push(writer, reader);
    const before = await callOk(writer, 'sendMessage', { channelId: channel.id, text: 'before', clientMsgId: randomUUID() });

    await redis.stop();
    const during: MessageDto[] = [];
    for (let i = 0; i < 5; i++) {
      during.push(ackData(await call(writer, 'sendMessage', { channelId: channel.id, text: `during ${i}`, clientMsgId: randomUUID() }), 'a send while Redis was down'));
    }
    expect(during.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);

    await redis.start();
    // Bruno's client reconnects (or simply syncs) and gets exactly what was stored.
    const again = await connectSocket(two.url, bruno.auth.accessToken);
    sockets.push(again);
    const result = await callOk(again, 'sync', { cursors: { [channel.id]: before.seq } });
    expect(result.messages.map((m) => m.text)).toEqual(during.map((m) => m.text));
    // Both instances are healthy again.
    await eventually(async () => {
      const health = (await fetch(`${two.url}/health`).then((r) => r.json())) as { services: { redis: string } };
      expect(health.services.redis).toBe('up');
    }, 15_000);
  });
});
