import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { ChannelDto, CommonErrorCode, WorkspaceDto } from '@parley/contracts';
import request from 'supertest';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { callRaw, callUntyped, connectSocket } from './support/sockets';
import { socketsPerTest } from './support/suites';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** `depth` nested arrays around a value: `[[[…1…]]]`. */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
/** `{"email": {"a": {"a": …}}}`: nested objects under a real field. */
const nestedObject = (depth: number) => `{"email":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;

/** Words that only PostgreSQL says: none of them may reach a client. */
const POSTGRES_TEXT =
  /invalid input syntax|violates|out of range for type|relation "|column "|syntax error at|bigint|uuid:|22P02|23502/i;

describe.each(databaseModes().slice(0, 1))('hostile input at the edge (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let ws: WorkspaceDto;
  let room: ChannelDto;
  const { open } = socketsPerTest(() => t.url);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, RATE_LIMIT_CODE_PER_IP: '1000', RATE_LIMIT_VERIFY_PER_IP: '1000' },
    });
    ana = await person(t.url, sink, 'Ana');
    ws = await ana.createWorkspace('Edges');
    room = await ana.createChannel(ws.id, 'room');
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  describe('NUL and lone surrogates', () => {
    it('refuses a lone surrogate in a body, naming the field', async () => {
      const response = await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":"\\ud800"}')
        .expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        code: CommonErrorCode.ValidationFailed,
        fields: [{ field: 'email' }],
      });
      expect(response.body.message).toMatch(/email/);
    });

    it('refuses a NUL in a body, naming the nested field', async () => {
      const response = await ana.patch('/api/users/me', { displayName: '\u0000' }).expect(400);
      expect(response.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'displayName' }] });
      const deep = await ana.post(`/api/channels/${room.id}/members`, { userIds: [randomUUID(), 'a\u0000b'] }).expect(400);
      expect(deep.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'userIds.1' }] });
    });

    it('refuses a NUL or a lone surrogate in a key', async () => {
      const response = await ana.patch('/api/users/me', { ['x\u0000']: 1 }).expect(400);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed);
      const surrogate = await request(t.url)
        .patch('/api/users/me')
        .auth(ana.auth.accessToken, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send('{"\\udc00":1}')
        .expect(400);
      expect(surrogate.body.code).toBe(CommonErrorCode.ValidationFailed);
    });

    it('refuses a NUL in the query, naming the parameter', async () => {
      const response = await ana.get('/api/users/search?q=%00').expect(400);
      expect(response.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'q' }] });
    });

    it('refuses a NUL in the path', async () => {
      const response = await ana.get('/api/channels/%00/messages').expect(400);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed);
    });

    it('refuses them in form bodies too', async () => {
      const response = await request(t.url).post('/api/auth/login').type('form').send('email=a%00@example.com').expect(400);
      expect(response.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'email' }] });
    });

    it('refuses them in every socket payload, not retryable', async () => {
      const socket = await open(ana);
      const nul = await callUntyped(socket, 'sendMessage', { channelId: room.id, text: 'a\u0000b', clientMsgId: randomUUID() });
      expect(nul).toEqual({
        ok: false,
        error: { code: CommonErrorCode.ValidationFailed, message: expect.stringMatching(/text/), retryable: false },
      });
      const lone = await callUntyped(socket, 'sync', { cursors: { '\ud800': 1 } });
      expect(lone).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
      const status = await callUntyped(socket, 'setStatus', { status: '\udfff' });
      expect(status).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
      // Nothing was stored, and a good message still goes through.
      expect(await t.dataSource.query(`SELECT 1 FROM messages WHERE channel_id = $1`, [room.id])).toEqual([]);
      const good = await callUntyped(socket, 'sendMessage', { channelId: room.id, text: 'fine', clientMsgId: randomUUID() });
      expect(good.ok).toBe(true);
    });

    it('keeps well-formed text, emoji (surrogate pairs) included', async () => {
      const response = await ana.patch('/api/users/me', { displayName: 'Ana 🦊' }).expect(200);
      expect(response.body.displayName).toBe('Ana 🦊');
    });
  });

  describe('deeply nested JSON', () => {
    it('refuses a body nested deeper than 32 before it is validated', async () => {
      const response = await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(nestedObject(3000))
        .expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        code: CommonErrorCode.BadRequest,
        message: expect.stringMatching(/nested/),
      });
      await request(t.url).post('/api/auth/login').set('Content-Type', 'application/json').send(nested(33)).expect(400);
      // Brackets inside strings are text, not depth.
      await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: `${'[{'.repeat(100)}@example.com` }))
        .expect(400)
        .expect((r) => expect(r.body.code).toBe(CommonErrorCode.ValidationFailed));
    });

    it('accepts nesting up to the limit', async () => {
      const response = await ana.patch('/api/users/me', JSON.parse(`{"statusText":${nested(31)}}`)).expect(400);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed); // reached validation: a wrong type, not a refused body
    });

    it('keeps /health answering through 40 concurrent 3,000-level bodies', async () => {
      const body = nestedObject(3000);
      const started = Date.now();
      const flood = Array.from({ length: 40 }, () =>
        request(t.url)
          .post('/api/auth/login')
          .set('Content-Type', 'application/json')
          .send(body)
          .then((r) => r.status),
      );
      const health = request(t.url)
        .get('/health')
        .then((r) => ({ status: r.status, at: Date.now() - started }));
      const statuses = await Promise.all(flood);
      expect(new Set(statuses)).toEqual(new Set([400]));
      const answered = await health;
      expect(answered.status).toBe(200);
      expect(answered.at).toBeLessThan(1500);
    });

    it('refuses a deeply nested socket payload, not retryable', async () => {
      const socket = await open(ana);
      const ack = await callUntyped(socket, 'sync', { cursors: JSON.parse(`{"a":${nested(3000)}}`) });
      expect(ack).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
      // 25,000 levels still fit in one frame (about 50 KB), parsed by Socket.IO on the server and refused
      // before validation. Written as a raw frame: socket.io-client itself overflows encoding it.
      const deepest = await callRaw(socket, 'markRead', `{"channelId":"${room.id}","seq":${nested(25_000)}}`);
      expect(deepest).toMatchObject({ ack: { ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } } });
      const typing = await callUntyped(socket, 'typingStart', { channelId: JSON.parse(nested(40)) });
      expect(typing).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
    });
  });

  describe('numbers and nulls at the edges', () => {
    it('refuses a seq of 2^63 or more in the query', async () => {
      for (const value of ['9223372036854775808', '9223372036854775807', '1e400', String(2 ** 53)]) {
        const response = await ana.get(`/api/channels/${room.id}/messages?after=${value}`).expect(400);
        expect(response.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'after' }] });
      }
      await ana.get(`/api/channels/${room.id}/messages?after=${Number.MAX_SAFE_INTEGER}`).expect(200);
    });

    it('refuses null for a field that cannot be empty', async () => {
      const response = await ana.patch('/api/users/me', { displayName: null }).expect(400);
      expect(response.body).toMatchObject({ code: CommonErrorCode.ValidationFailed, fields: [{ field: 'displayName' }] });
      // null still removes what may be removed
      await ana.patch('/api/users/me', { statusText: null }).expect(200);
    });

    it('answers a huge seq over the socket with a validation error, not retryable', async () => {
      const socket = await open(ana);
      for (const seq of [9223372036854775807, 2 ** 53, 1e300]) {
        const ack = await callUntyped(socket, 'markRead', { channelId: room.id, seq });
        expect(ack).toEqual({
          ok: false,
          error: { code: CommonErrorCode.ValidationFailed, message: expect.stringMatching(/seq/), retryable: false },
        });
      }
      const sync = await callUntyped(socket, 'sync', { cursors: { [room.id]: 9223372036854775807 } });
      expect(sync).toMatchObject({ ok: false, error: { code: CommonErrorCode.ValidationFailed, retryable: false } });
    });
  });

  describe('PostgreSQL text never reaches a client', () => {
    it('refuses a handshake whose token names a session that is not a UUID, with our words', async () => {
      const token = sign({ sub: ana.id, sid: 'not-a-uuid' }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: 60 });
      const error = await connectSocket(t.url, token).then(
        (socket) => {
          socket.close();
          throw new Error('connected');
        },
        (e: Error) => e,
      );
      expect(error.message).toMatch(/^AUTH_TOKEN_INVALID/);
      expect(error.message).not.toMatch(POSTGRES_TEXT);
      const rest = await request(t.url).get('/api/users/me').auth(token, { type: 'bearer' });
      expect(rest.status).toBe(401);
      expect(JSON.stringify(rest.body)).not.toMatch(POSTGRES_TEXT);
    });
  });

  describe('security headers', () => {
    it('limits connect-src to our own origin and sends no HSTS over http', async () => {
      const response = await request(t.url).get('/health').expect(200);
      const csp = String(response.headers['content-security-policy']);
      const connect = /connect-src ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/);
      const host = new URL(t.config.publicUrl).host;
      expect(connect).toEqual(["'self'", `ws://${host}`]);
      // Images from our origin and the page's own upload previews; none from elsewhere (a tracking pixel).
      expect(/img-src ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/)).toEqual(["'self'", 'data:', 'blob:']);
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });
  });
});

describe('security headers over https', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ mode: databaseModes()[0], env: { PUBLIC_URL: 'https://chat.example.com' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('sends HSTS and allows only wss to our own host', async () => {
    const response = await request(t.url).get('/health').expect(200);
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(String(response.headers['content-security-policy'])).toMatch(/connect-src 'self' wss:\/\/chat\.example\.com(;|$)/);
  });
});

describe('HSTS behind a TLS-terminating proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ mode: databaseModes()[0], env: { TRUST_PROXY: 'true' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is sent for a request that came over https, not for one over http', async () => {
    const secure = await request(t.url).get('/health').set('X-Forwarded-Proto', 'https').expect(200);
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = await request(t.url).get('/health').set('X-Forwarded-Proto', 'http').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('auth requests are counted per address before their body is parsed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ mode: databaseModes()[0], env: { RATE_LIMIT_AUTH_BURST: '5', RATE_LIMIT_AUTH_PER_SECOND: '1' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 once the burst is spent, even for bodies that would not parse', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await request(t.url).post('/api/auth/login').set('Content-Type', 'application/json').send(nested(3000))).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await request(t.url).post('/api/auth/verify').send({ email: 'a@example.com', code: '123456' }).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: CommonErrorCode.RateLimited });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Other routes are not counted.
    await request(t.url).get('/health').expect(200);
    await request(t.url).get('/api/users/me').expect(401);
  });
});
