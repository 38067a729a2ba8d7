import { randomUUID } from 'node:crypto';
import { AuthErrorCode, CommonErrorCode, CreatedInviteDto, REFRESH_COOKIE_NAME } from '@parley/contracts';
import request from 'supertest';
import { person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** The Set-Cookie line for the refresh cookie in a response, if any. */
function refreshCookieOf(response: request.Response): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.startsWith(`${REFRESH_COOKIE_NAME}=`));
}

function cookieValue(setCookie: string | undefined): string {
  const value = setCookie?.split(';')[0].slice(REFRESH_COOKIE_NAME.length + 1);
  if (!value) throw new Error(`no refresh cookie value in ${setCookie}`);
  return decodeURIComponent(value);
}

describe.each(databaseModes())('one email sign-in flow, lockout, timing and the refresh cookie (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ipCounter = 0;

  const freshIp = () => `10.${mode === 'postgres' ? 3 : 4}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
  const freshEmail = (name = 'user') => `${name}-${randomUUID().slice(0, 8)}@example.com`;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url, TRUST_PROXY: 'true' } });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const post = (path: string, body: object, ip = freshIp()) => request(t.url).post(path).set('X-Forwarded-For', ip).send(body);
  const wrongFor = (...codes: string[]) => ['000000', '111111', '222222', '333333'].find((candidate) => !codes.includes(candidate))!;
  const userCount = async (email: string) =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]))[0].n as number;

  describe('Continue with email', () => {
    it('sends a code to an unknown email; verify asks for a name, keeps the code valid, then creates the account', async () => {
      const email = freshEmail('newcomer');
      const ip = freshIp();
      await post('/api/auth/code', { email }, ip).expect(202);
      const code = await sink.waitForCode(email, 0);

      const needsName = await post('/api/auth/verify', { email, code }, ip).expect(400);
      expect(needsName.body).toMatchObject({ statusCode: 400, code: AuthErrorCode.DisplayNameRequired, message: expect.any(String) });
      expect(await userCount(email)).toBe(0);

      const created = await post('/api/auth/verify', { email, code, displayName: '  Nia Okafor ' }, ip).expect(200);
      expect(created.body.user).toMatchObject({ email, displayName: 'Nia Okafor' });
      expect(await userCount(email)).toBe(1);
      // Used once: the same code does not sign in again.
      expect((await post('/api/auth/verify', { email, code }, ip).expect(401)).body.code).toBe(AuthErrorCode.CodeInvalid);
    });

    it('signs a known email in with the same flow, ignoring a display name', async () => {
      const email = freshEmail('known');
      await post('/api/auth/code', { email }).expect(202);
      const first = await post('/api/auth/verify', { email, code: await sink.waitForCode(email, 0), displayName: 'Kim' }).expect(200);

      await post('/api/auth/code', { email }).expect(202);
      const again = await post('/api/auth/verify', { email, code: await sink.waitForCode(email, 1), displayName: 'Other' }).expect(200);
      expect(again.body.user).toEqual(first.body.user);
    });

    it('a wrong code answers the same for a new and a known email (the name question needs the right code)', async () => {
      const known = freshEmail('known');
      await post('/api/auth/register', { email: known, displayName: 'Known' }).expect(202);
      await post('/api/auth/verify', { email: known, code: await sink.waitForCode(known, 0) }).expect(200);
      const unknown = freshEmail('unknown');
      await post('/api/auth/code', { email: known }).expect(202);
      await post('/api/auth/code', { email: unknown }).expect(202);
      const knownCode = await sink.waitForCode(known, 1);
      const unknownCode = await sink.waitForCode(unknown, 0);

      const forKnown = await post('/api/auth/verify', { email: known, code: wrongFor(knownCode) }).expect(401);
      const forUnknown = await post('/api/auth/verify', { email: unknown, code: wrongFor(unknownCode) }).expect(401);
      expect(forUnknown.body).toEqual(forKnown.body);
    });

    it('keeps register and login working as aliases: login now sends a code to a new email too', async () => {
      const registered = freshEmail('registered');
      await post('/api/auth/register', { email: registered, displayName: 'Reg Name' }).expect(202);
      const viaRegister = await post('/api/auth/verify', { email: registered, code: await sink.waitForCode(registered, 0) }).expect(200);
      expect(viaRegister.body.user.displayName).toBe('Reg Name');

      const newcomer = freshEmail('login-newcomer');
      await post('/api/auth/login', { email: newcomer }).expect(202);
      const code = await sink.waitForCode(newcomer, 0);
      expect((await post('/api/auth/verify', { email: newcomer, code }).expect(400)).body.code).toBe(AuthErrorCode.DisplayNameRequired);
      await post('/api/auth/verify', { email: newcomer, code, displayName: 'Lou' }).expect(200);
    });

    it('documents code as the flow and register and login as its aliases', async () => {
      const doc = (await request(t.url).get('/api/docs-json').expect(200)).body;
      expect(doc.paths['/api/auth/code'].post.summary).toMatch(/continue with email/i);
      expect(doc.paths['/api/auth/register'].post.summary).toMatch(/alias of POST \/api\/auth\/code/i);
      expect(doc.paths['/api/auth/login'].post.summary).toMatch(/alias of POST \/api\/auth\/code/i);
    });
  });

  it('an invited person without an account: the link says who invited them where, the code arrives, and they join', async () => {
    const ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Harbour');
    const email = freshEmail('invited');
    const invite = (await ana.post(`/api/workspaces/${ws.id}/invites`, { email }).expect(201)).body as CreatedInviteDto;

    // Signed out, the invite page can greet them and pre-fill the email.
    const preview = await request(t.url).get(`/api/invites/${invite.token}`).expect(200);
    expect(preview.body).toEqual({ workspaceName: 'Harbour', invitedByName: 'Ana', email, expiresAt: invite.expiresAt });
    await request(t.url).get('/api/invites/not-a-real-token').expect(404);

    const ip = freshIp();
    await post('/api/auth/code', { email }, ip).expect(202);
    const codeMail = await sink.waitForMail(email, (mail) => mail.subject.includes('sign-in code'));
    const code = /\b(\d{6})\b/.exec(codeMail.text)![1];
    const signedIn = await post('/api/auth/verify', { email, code, displayName: 'Ivo' }, ip).expect(200);
    const joined = await request(t.url).post(`/api/invites/${invite.token}/accept`).auth(signedIn.body.accessToken, { type: 'bearer' }).expect(200);
    expect(joined.body).toMatchObject({ id: ws.id, name: 'Harbour' });
  });

  describe('the same work whether or not the email has an account', () => {
    it('answers known and unknown emails with the same status and body, and mails both a code', async () => {
      const known = freshEmail('known');
      await post('/api/auth/register', { email: known, displayName: 'Known' }).expect(202);
      await post('/api/auth/verify', { email: known, code: await sink.waitForCode(known, 0) }).expect(200);

      for (const path of ['/api/auth/code', '/api/auth/login', '/api/auth/register']) {
        const unknown = freshEmail('unknown');
        const before = sink.mailsTo(known).length;
        const extra = path.endsWith('register') ? { displayName: 'X' } : {};
        const forKnown = await post(path, { email: known, ...extra });
        const forUnknown = await post(path, { email: unknown, ...extra });
        expect(forKnown.status).toBe(202);
        expect(forUnknown.status).toBe(202);
        expect(forUnknown.body).toEqual(forKnown.body);
        expect(Object.keys(forUnknown.headers).sort()).toEqual(Object.keys(forKnown.headers).sort());
        // Both get their code, delivered after the answer.
        expect(await sink.waitForCode(known, before)).toMatch(/^\d{6}$/);
        expect(await sink.waitForCode(unknown, 0)).toMatch(/^\d{6}$/);
      }
    });

    it('answers before the mail server has taken the mail (it is sent off the request path)', async () => {
      const email = freshEmail('held');
      sink.hold();
      try {
        // If the answer waited for SMTP it would never come: the sink does not finish the conversation while held.
        const answered = await post('/api/auth/code', { email }).expect(202);
        expect(answered.body).toEqual({ message: expect.any(String) });
        expect(sink.mailsTo(email)).toHaveLength(0);
      } finally {
        sink.release();
      }
      expect(await sink.waitForCode(email, 0)).toMatch(/^\d{6}$/);
    });
  });

  describe('nobody can lock a person out', () => {
    it('20+ code requests and wrong codes from another address do not block the person signing in from their own', async () => {
      const victim = freshEmail('victim');
      const victimIp = freshIp();
      const attackerIp = freshIp();

      const requests: number[] = [];
      for (let i = 0; i < 25; i++) requests.push((await post('/api/auth/login', { email: victim }, attackerIp)).status);
      expect(requests.filter((status) => status === 429).length).toBeGreaterThan(0);
      const guesses: number[] = [];
      for (let i = 0; i < 25; i++) guesses.push((await post('/api/auth/verify', { email: victim, code: '123456' }, attackerIp)).status);
      expect(guesses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(guesses.every((status) => status === 401 || status === 429)).toBe(true);

      // The attacker's accepted requests were mailed too; count them all before the victim's.
      const before = requests.filter((status) => status === 202).length;
      await sink.waitForMail(victim, () => sink.mailsTo(victim).length >= before);
      await post('/api/auth/login', { email: victim }, victimIp).expect(202);
      const code = await sink.waitForCode(victim, before);
      const signedIn = await post('/api/auth/verify', { email: victim, code, displayName: 'Vic' }, victimIp).expect(200);
      expect(signedIn.body.user.email).toBe(victim);
    });

    it('a second login request does not void the first code; using one voids the others', async () => {
      const email = freshEmail('twice');
      const ip = freshIp();
      await post('/api/auth/register', { email, displayName: 'Twice' }, ip).expect(202);
      const first = await sink.waitForCode(email, 0);
      await post('/api/auth/login', { email }, ip).expect(202);
      const second = await sink.waitForCode(email, 1);

      await post('/api/auth/verify', { email, code: first }, ip).expect(200);
      if (second !== first) {
        expect((await post('/api/auth/verify', { email, code: second }, ip).expect(401)).body.code).toBe(AuthErrorCode.CodeInvalid);
      }
    });

    it('keeps the last 3 codes valid, not older ones', async () => {
      const email = freshEmail('four');
      const ip = freshIp();
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) {
        await post('/api/auth/register', { email, displayName: 'Four' }, ip).expect(202);
        codes.push(await sink.waitForCode(email, i));
      }
      if (!codes.slice(1).includes(codes[0])) {
        expect((await post('/api/auth/verify', { email, code: codes[0] }, ip).expect(401)).body.code).toBe(AuthErrorCode.CodeInvalid);
      }
      await post('/api/auth/verify', { email, code: codes[1] }, ip).expect(200);
    });

    it('counts a wrong code against every live code, so keeping several gives no extra guesses', async () => {
      const email = freshEmail('tries');
      const ip = freshIp();
      await post('/api/auth/register', { email, displayName: 'Tries' }, ip).expect(202);
      const first = await sink.waitForCode(email, 0);
      await post('/api/auth/register', { email, displayName: 'Tries' }, ip).expect(202);
      const second = await sink.waitForCode(email, 1);
      const wrong = wrongFor(first, second);
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) answers.push((await post('/api/auth/verify', { email, code: wrong }, ip).expect(401)).body.code);
      expect(answers.at(-1)).toBe(AuthErrorCode.CodeAttemptsExceeded);
      for (const code of [first, second]) {
        expect((await post('/api/auth/verify', { email, code }, ip).expect(401)).body.code).toBe(AuthErrorCode.CodeAttemptsExceeded);
      }
    });
  });

  describe('the refresh token in an HttpOnly cookie for the browser', () => {
    async function signInWithCookie(email = freshEmail('cookie')): Promise<{ accessToken: string; cookie: string; setCookie: string }> {
      await post('/api/auth/register', { email, displayName: 'Cookie' }).expect(202);
      const code = await sink.waitForCode(email, 0);
      const verified = await post('/api/auth/verify', { email, code, refreshTokenIn: 'cookie' }).expect(200);
      expect(verified.body.refreshToken).toBeUndefined();
      expect(verified.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900, user: { email } });
      const setCookie = refreshCookieOf(verified)!;
      return { accessToken: verified.body.accessToken, cookie: cookieValue(setCookie), setCookie };
    }

    const refreshWithCookie = (cookie: string) =>
      request(t.url).post('/api/auth/refresh').set('X-Forwarded-For', freshIp()).set('Cookie', `other=1; ${REFRESH_COOKIE_NAME}=${cookie}`).send({});

    it('sets an HttpOnly, SameSite=Strict cookie on /api/auth, not Secure over plain http, and no token in the body', async () => {
      const { setCookie } = await signInWithCookie();
      const attributes = setCookie.split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
      expect(attributes.some((part) => part.startsWith('max-age='))).toBe(true);
      expect(attributes).not.toContain('secure');
    });

    it('marks the cookie Secure when the request came over https', async () => {
      const email = freshEmail('https');
      await post('/api/auth/register', { email, displayName: 'Tls' }).expect(202);
      const verified = await request(t.url)
        .post('/api/auth/verify')
        .set('X-Forwarded-For', freshIp())
        .set('X-Forwarded-Proto', 'https')
        .send({ email, code: await sink.waitForCode(email, 0), refreshTokenIn: 'cookie' })
        .expect(200);
      expect(refreshCookieOf(verified)!.split(';').map((part) => part.trim().toLowerCase())).toContain('secure');
    });

    it('refreshes from the cookie, rotating it; the old cookie is reuse and ends the session', async () => {
      const session = await signInWithCookie();
      const rotated = await refreshWithCookie(session.cookie).expect(200);
      expect(rotated.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
      const next = cookieValue(refreshCookieOf(rotated));
      expect(next).not.toBe(session.cookie);
      await request(t.url).get('/api/users/me').auth(rotated.body.accessToken, { type: 'bearer' }).expect(200);

      const reuse = await refreshWithCookie(session.cookie).expect(401);
      expect(reuse.body.code).toBe(AuthErrorCode.RefreshReused);
      // A refused cookie is cleared.
      expect(refreshCookieOf(reuse)).toMatch(/expires=thu, 01 jan 1970/i);
      expect((await refreshWithCookie(next).expect(401)).body.code).toBe(AuthErrorCode.SessionRevoked);
      await request(t.url).get('/api/users/me').auth(rotated.body.accessToken, { type: 'bearer' }).expect(401);
    });

    it('sign-out ends the session and clears the cookie', async () => {
      const session = await signInWithCookie();
      const out = await request(t.url).post('/api/auth/logout').auth(session.accessToken, { type: 'bearer' }).expect(204);
      const cleared = refreshCookieOf(out)!;
      expect(cleared).toMatch(/path=\/api\/auth/i);
      expect(cleared).toMatch(/expires=thu, 01 jan 1970/i);
      expect((await refreshWithCookie(session.cookie).expect(401)).body.code).toBe(AuthErrorCode.SessionRevoked);
    });

    it('without a body token or a cookie, refresh answers 401', async () => {
      const response = await post('/api/auth/refresh', {}).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: AuthErrorCode.RefreshInvalid });
      expect((await refreshWithCookie('garbage').expect(401)).body.code).toBe(AuthErrorCode.RefreshInvalid);
    });

    it('integrators keep the JSON body flow: no cookie is set, the token is in the body', async () => {
      const email = freshEmail('integrator');
      await post('/api/auth/register', { email, displayName: 'Int' }).expect(202);
      const verified = await post('/api/auth/verify', { email, code: await sink.waitForCode(email, 0) }).expect(200);
      expect(refreshCookieOf(verified)).toBeUndefined();
      const rotated = await post('/api/auth/refresh', { refreshToken: verified.body.refreshToken }).expect(200);
      expect(rotated.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
      expect(refreshCookieOf(rotated)).toBeUndefined();
    });

    it('refuses bad input with 400, never 500', async () => {
      const response = await post('/api/auth/refresh', { refreshToken: 42 }).expect(400);
      expect(response.body.code).toBe(CommonErrorCode.ValidationFailed);
    });
  });
});
