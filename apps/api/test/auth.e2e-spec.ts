import { randomUUID } from 'node:crypto';
import { AuthErrorCode, AuthResponse, CommonErrorCode } from '@parley/contracts';
import request from 'supertest';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

describe.each(databaseModes())('sign-in by emailed code (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ipCounter = 0;

  /** Every test acts from its own client address, so per-IP limits only bite where a test wants them to. */
  const freshIp = () => `10.${mode === 'postgres' ? 1 : 2}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
  const freshEmail = (name = 'user') => `${name}-${randomUUID().slice(0, 8)}@example.com`;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode,
      env: { SMTP_URL: sink.url, TRUST_PROXY: 'true', RATE_LIMIT_CODE_PER_IP: '8', RATE_LIMIT_VERIFY_PER_IP: '50' },
    });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const post = (path: string, body: object, ip = freshIp()) => request(t.url).post(path).set('X-Forwarded-For', ip).send(body);

  async function signIn(email: string, displayName = 'Test Person'): Promise<AuthResponse> {
    const ip = freshIp();
    await post('/api/auth/register', { email, displayName }, ip).expect(202);
    const code = await sink.waitForCode(email, 0);
    const response = await post('/api/auth/verify', { email, code }, ip).expect(200);
    return response.body as AuthResponse;
  }

  it('registers, emails a 6-digit code, and exchanges it for tokens and the user', async () => {
    const email = freshEmail('ana');
    const registered = await post('/api/auth/register', { email: email.toUpperCase(), displayName: '  Ana Lima ' });
    expect(registered.status).toBe(202);
    expect(registered.body).toEqual({ message: expect.any(String) });

    const code = await sink.waitForCode(email, 0);
    expect(code).toMatch(/^\d{6}$/);
    expect(sink.mailsTo(email)[0].subject).toContain('sign-in code');

    const verified = await post('/api/auth/verify', { email, code }).expect(200);
    expect(verified.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: {
        id: expect.any(String),
        email,
        displayName: 'Ana Lima',
        avatarUrl: null,
        statusText: null,
        createdAt: expect.any(String),
        readReceipts: true,
      },
    });
    expect(JSON.stringify(verified.body)).not.toMatch(/hash/i);

    const me = await request(t.url).get('/api/users/me').auth(verified.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body).toEqual(verified.body.user);
  });

  it('sends a sign-in code when registering an email that already has an account, keeping the account', async () => {
    const email = freshEmail('again');
    const first = await signIn(email, 'First Name');
    await post('/api/auth/register', { email, displayName: 'Other Name' }).expect(202);
    const code = await sink.waitForCode(email, 1);
    const second = await post('/api/auth/verify', { email, code }).expect(200);
    expect(second.body.user.id).toBe(first.user.id);
    expect(second.body.user.displayName).toBe('First Name');
  });

  it('refuses a wrong code and a code used twice with AUTH_CODE_INVALID', async () => {
    const email = freshEmail('wrong');
    await post('/api/auth/register', { email, displayName: 'W' }).expect(202);
    const code = await sink.waitForCode(email, 0);
    const wrongCode = code === '000000' ? '111111' : '000000';

    const wrong = await post('/api/auth/verify', { email, code: wrongCode }).expect(401);
    expect(wrong.body).toMatchObject({
      statusCode: 401,
      code: AuthErrorCode.CodeInvalid,
      message: expect.any(String),
      error: 'Unauthorized',
    });

    await post('/api/auth/verify', { email, code }).expect(200);
    const reused = await post('/api/auth/verify', { email, code }).expect(401);
    expect(reused.body.code).toBe(AuthErrorCode.CodeInvalid);
  });

  it('voids a code after 5 wrong tries, even for the right code afterwards', async () => {
    const email = freshEmail('lockout');
    await post('/api/auth/register', { email, displayName: 'L' }).expect(202);
    const code = await sink.waitForCode(email, 0);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await post('/api/auth/verify', { email, code: wrongCode }).expect(401)).body.code);
    expect(answers).toEqual([
      AuthErrorCode.CodeInvalid,
      AuthErrorCode.CodeInvalid,
      AuthErrorCode.CodeInvalid,
      AuthErrorCode.CodeInvalid,
      AuthErrorCode.CodeAttemptsExceeded,
    ]);
    const right = await post('/api/auth/verify', { email, code }).expect(401);
    expect(right.body.code).toBe(AuthErrorCode.CodeAttemptsExceeded);

    // A new code works again.
    await post('/api/auth/register', { email, displayName: 'L' }).expect(202);
    const fresh = await sink.waitForCode(email, 1);
    await post('/api/auth/verify', { email, code: fresh }).expect(200);
  });

  it('refuses an expired code with AUTH_CODE_EXPIRED', async () => {
    const email = freshEmail('expired');
    await post('/api/auth/register', { email, displayName: 'E' }).expect(202);
    const code = await sink.waitForCode(email, 0);
    await t.dataSource.query(`UPDATE sign_in_codes SET expires_at = now() - interval '1 second' WHERE email = $1`, [email]);
    const response = await post('/api/auth/verify', { email, code }).expect(401);
    expect(response.body.code).toBe(AuthErrorCode.CodeExpired);
  });

  it('rate-limits code requests per email and address with 429 and Retry-After', async () => {
    const email = freshEmail('flood');
    const ip = freshIp();
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await post('/api/auth/login', { email }, ip);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(last!.body.code).toBe(CommonErrorCode.RateLimited);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // The same email from another address is its own pair.
    await post('/api/auth/login', { email }).expect(202);
  });

  it('keeps a per-email ceiling, higher than the pair limit, over every address', async () => {
    const email = freshEmail('spread');
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await post('/api/auth/code', { email })).status);
    expect(statuses.slice(0, 15).every((status) => status === 202)).toBe(true);
    expect(statuses[15]).toBe(429);
  });

  it('rate-limits code requests per client address', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await post('/api/auth/login', { email: freshEmail('ip') }, ip)).status);
    expect(statuses.slice(0, 8).every((status) => status === 202)).toBe(true);
    expect(statuses[8]).toBe(429);
    // Another address is not affected.
    await post('/api/auth/login', { email: freshEmail('ip') }).expect(202);
  });

  it('rate-limits verification attempts per email and address, and per email over every address', async () => {
    const email = freshEmail('guess');
    const ip = freshIp();
    const fromOne: number[] = [];
    for (let i = 0; i < 16; i++) fromOne.push((await post('/api/auth/verify', { email, code: '123456' }, ip)).status);
    expect(fromOne.slice(0, 15).every((status) => status === 401)).toBe(true);
    expect(fromOne[15]).toBe(429);

    // 15 more from other addresses reach the email's ceiling of 30; the next one is refused.
    const spread: number[] = [];
    for (let i = 0; i < 16; i++) spread.push((await post('/api/auth/verify', { email, code: '123456' })).status);
    expect(spread.slice(0, 15).every((status) => status === 401)).toBe(true);
    expect(spread[15]).toBe(429);
  });

  it('rotates the refresh token, and reuse of an old one ends the whole session', async () => {
    const session = await signIn(freshEmail('rotate'));
    const rotated = await post('/api/auth/refresh', { refreshToken: session.refreshToken }).expect(200);
    expect(rotated.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect(rotated.body.refreshToken).not.toBe(session.refreshToken);
    await request(t.url).get('/api/users/me').auth(rotated.body.accessToken, { type: 'bearer' }).expect(200);

    const reuse = await post('/api/auth/refresh', { refreshToken: session.refreshToken }).expect(401);
    expect(reuse.body.code).toBe(AuthErrorCode.RefreshReused);

    // Every token of the family is dead now.
    const next = await post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken }).expect(401);
    expect(next.body.code).toBe(AuthErrorCode.SessionRevoked);
    const me = await request(t.url).get('/api/users/me').auth(rotated.body.accessToken, { type: 'bearer' }).expect(401);
    expect(me.body.code).toBe(AuthErrorCode.SessionRevoked);
  });

  it('refuses an unknown refresh token', async () => {
    const response = await post('/api/auth/refresh', { refreshToken: 'not-a-token' }).expect(401);
    expect(response.body.code).toBe(AuthErrorCode.RefreshInvalid);
  });

  it('lists sessions with the current one marked, and revokes one', async () => {
    const email = freshEmail('devices');
    const laptop = await signIn(email);
    await post('/api/auth/login', { email }).expect(202);
    const code = await sink.waitForCode(email, 1);
    const phone = (
      await request(t.url)
        .post('/api/auth/verify')
        .set('X-Forwarded-For', '10.9.9.9')
        .set('User-Agent', 'ParleyPhone/1.0')
        .send({ email, code })
        .expect(200)
    ).body as AuthResponse;

    const list = await request(t.url).get('/api/auth/sessions').auth(laptop.accessToken, { type: 'bearer' }).expect(200);
    expect(list.body).toHaveLength(2);
    const phoneSession = list.body.find((s: { userAgent: string }) => s.userAgent === 'ParleyPhone/1.0');
    expect(phoneSession).toMatchObject({
      ip: '10.9.9.9',
      current: false,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    await request(t.url).delete(`/api/auth/sessions/${phoneSession.id}`).auth(laptop.accessToken, { type: 'bearer' }).expect(204);
    await request(t.url).get('/api/users/me').auth(phone.accessToken, { type: 'bearer' }).expect(401);
    await post('/api/auth/refresh', { refreshToken: phone.refreshToken }).expect(401);
    await request(t.url).get('/api/users/me').auth(laptop.accessToken, { type: 'bearer' }).expect(200);

    // Someone else's session, or one that does not exist, is "not found".
    const stranger = await signIn(freshEmail('stranger'));
    const strangerSessions = await request(t.url)
      .get('/api/auth/sessions')
      .auth(stranger.accessToken, { type: 'bearer' })
      .expect(200);
    await request(t.url)
      .delete(`/api/auth/sessions/${strangerSessions.body[0].id}`)
      .auth(laptop.accessToken, { type: 'bearer' })
      .expect(404);
    await request(t.url).delete(`/api/auth/sessions/${randomUUID()}`).auth(laptop.accessToken, { type: 'bearer' }).expect(404);
    await request(t.url).delete('/api/auth/sessions/not-a-uuid').auth(laptop.accessToken, { type: 'bearer' }).expect(400);
    await request(t.url).get('/api/users/me').auth(stranger.accessToken, { type: 'bearer' }).expect(200);
  });

  it('logs out: the access and refresh tokens of that session stop working', async () => {
    const session = await signIn(freshEmail('bye'));
    await request(t.url).post('/api/auth/logout').auth(session.accessToken, { type: 'bearer' }).expect(204);
    await request(t.url).get('/api/users/me').auth(session.accessToken, { type: 'bearer' }).expect(401);
    await post('/api/auth/refresh', { refreshToken: session.refreshToken }).expect(401);
  });

  it('refuses requests without or with a bad access token', async () => {
    const missing = await request(t.url).get('/api/users/me').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, code: AuthErrorCode.TokenMissing });
    const bad = await request(t.url).get('/api/users/me').auth('garbage', { type: 'bearer' }).expect(401);
    expect(bad.body.code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('limits profile changes per person (each goes out to everyone who sees them): a burst, then 429 with Retry-After', async () => {
    const looping = await signIn(freshEmail('renames'));
    const calm = await signIn(freshEmail('calm'));
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push(
        (
          await request(t.url)
            .patch('/api/users/me')
            .auth(looping.accessToken, { type: 'bearer' })
            .send({ displayName: `Name ${i}` })
        ).status,
      );
    }
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.slice(-5)).toContain(429);
    const limited = await request(t.url)
      .patch('/api/users/me')
      .auth(looping.accessToken, { type: 'bearer' })
      .send({ displayName: 'Again' })
      .expect(429);
    expect(limited.body.code).toBe(CommonErrorCode.RateLimited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Someone else is not held back.
    await request(t.url)
      .patch('/api/users/me')
      .auth(calm.accessToken, { type: 'bearer' })
      .send({ displayName: 'Calm' })
      .expect(200);
  });

  it('updates the profile', async () => {
    const session = await signIn(freshEmail('profile'));
    const updated = await request(t.url)
      .patch('/api/users/me')
      .auth(session.accessToken, { type: 'bearer' })
      .send({ displayName: 'New Name', statusText: 'In a meeting' })
      .expect(200);
    expect(updated.body).toMatchObject({ displayName: 'New Name', statusText: 'In a meeting', avatarUrl: null });
    // A picture from another site would tell it who looked at the profile, and when: uploads only.
    for (const avatarUrl of ['https://tracker.example/a.png', 'http://10.0.0.1/a.png', '/api/files/avatars/x/y', '']) {
      const refused = await request(t.url)
        .patch('/api/users/me')
        .auth(session.accessToken, { type: 'bearer' })
        .send({ avatarUrl })
        .expect(400);
      expect(refused.body.code).toBe(CommonErrorCode.ValidationFailed);
    }
    const cleared = await request(t.url)
      .patch('/api/users/me')
      .auth(session.accessToken, { type: 'bearer' })
      .send({ statusText: null, avatarUrl: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ displayName: 'New Name', statusText: null, avatarUrl: null });
  });

  describe('bad input gets a clear 400 and never a 500', () => {
    const cases: [string, string, unknown][] = [
      ['register without an email', '/api/auth/register', { displayName: 'X' }],
      ['register with a bad email', '/api/auth/register', { email: 'not-an-email', displayName: 'X' }],
      ['register without a name', '/api/auth/register', { email: 'a@example.com' }],
      ['register with a too long name', '/api/auth/register', { email: 'a@example.com', displayName: 'x'.repeat(81) }],
      ['login with an unknown field', '/api/auth/login', { email: 'a@example.com', admin: true }],
      ['login with a number for email', '/api/auth/login', { email: 42 }],
      ['verify with a 5-digit code', '/api/auth/verify', { email: 'a@example.com', code: '12345' }],
      ['verify with letters', '/api/auth/verify', { email: 'a@example.com', code: 'abcdef' }],
      ['refresh with an empty token', '/api/auth/refresh', { refreshToken: '' }],
      ['code without an email', '/api/auth/code', {}],
      ['verify with an empty display name', '/api/auth/verify', { email: 'a@example.com', code: '123456', displayName: ' ' }],
      [
        'verify with an unknown refresh token transport',
        '/api/auth/verify',
        { email: 'a@example.com', code: '123456', refreshTokenIn: 'url' },
      ],
      ['login with an array body', '/api/auth/login', [1, 2]],
    ];
    it.each(cases)('%s', async (_, path, body) => {
      const response = await post(path, body as object).expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        code: CommonErrorCode.ValidationFailed,
        message: expect.any(String),
      });
      expect(Array.isArray(response.body.fields)).toBe(true);
    });

    it('names every offending field', async () => {
      const response = await post('/api/auth/register', { email: 'nope', displayName: '', extra: 1 }).expect(400);
      const fields = (response.body.fields as { field: string }[]).map((f) => f.field).sort();
      expect(fields).toEqual(['displayName', 'email', 'extra']);
    });

    it('malformed JSON', async () => {
      const response = await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: CommonErrorCode.BadRequest });
    });

    it('a body over the size limit', async () => {
      const response = await post('/api/auth/login', { email: 'a@example.com', pad: 'x'.repeat(300 * 1024) }).expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: CommonErrorCode.PayloadTooLarge });
    });

    it('a bad profile update', async () => {
      const session = await signIn(freshEmail('badprofile'));
      const response = await request(t.url)
        .patch('/api/users/me')
        .auth(session.accessToken, { type: 'bearer' })
        .send({ avatarUrl: 'javascript:alert(1)', displayName: '' })
        .expect(400);
      expect((response.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['avatarUrl', 'displayName']);
    });

    it('an unknown route is a JSON 404', async () => {
      const response = await request(t.url).get('/api/nothing-here').expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: CommonErrorCode.NotFound });
    });
  });
});
