import { randomUUID } from 'node:crypto';
import { SessionDto } from '@parley/contracts';
import request from 'supertest';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

// TRUST_PROXY as a list of proxy addresses decides whose X-Forwarded-For is believed; every
// response names the instance that served it. The embedded database is enough for both.
describe('TRUST_PROXY lists and the X-Parley-Instance header', () => {
  let sink: SmtpSink;
  const apps: TestApp[] = [];
  let behind: TestApp;

  const start = async (env: Record<string, string>) => {
    const t = await startTestApp({ mode: 'embedded', env: { SMTP_URL: sink.url, ...env } });
    apps.push(t);
    return t;
  };

  /** Signs in with a forwarded address and returns the address the new session recorded. */
  const recordedAddress = async (t: TestApp, forwardedFor: string): Promise<string | null> => {
    const email = `proxy-${randomUUID().slice(0, 8)}@example.com`;
    const before = sink.mailsTo(email).length;
    await request(t.url)
      .post('/api/auth/register')
      .set('x-forwarded-for', forwardedFor)
      .send({ email, displayName: 'Proxy' })
      .expect(202);
    const code = await sink.waitForCode(email, before);
    const auth = await request(t.url)
      .post('/api/auth/verify')
      .set('x-forwarded-for', forwardedFor)
      .send({ email, code })
      .expect(200);
    const sessions = await request(t.url)
      .get('/api/auth/sessions')
      .auth((auth.body as { accessToken: string }).accessToken, { type: 'bearer' })
      .expect(200);
    return (sessions.body as SessionDto[]).find((session) => session.current)!.ip;
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    behind = await start({ TRUST_PROXY: '127.0.0.1, 10.1.0.0/16', INSTANCE_ID: 'api-7' });
  });

  afterAll(async () => {
    for (const t of apps) await t.close();
    await sink?.stop();
  });

  it('believes X-Forwarded-For only from the listed proxies, and only up to the first untrusted hop', async () => {
    // The test connects from 127.0.0.1: listed, so its X-Forwarded-For counts, right to left,
    // through the trusted 10.1.0.0/16 hop, stopping at the first address not listed.
    expect(await recordedAddress(behind, '198.51.100.7, 203.0.113.5, 10.1.2.3')).toBe('203.0.113.5');

    // A proxy list that does not include the caller: its X-Forwarded-For is ignored.
    const elsewhere = await start({ TRUST_PROXY: '10.9.9.9' });
    expect(await recordedAddress(elsewhere, '203.0.113.5')).toBe('127.0.0.1');
  });

  it('names the instance in every response, errors and the API docs included', async () => {
    const t = behind;
    const health = await request(t.url).get('/health').expect(200);
    expect(health.headers['x-parley-instance']).toBe('api-7');
    const missing = await request(t.url).get('/api/no-such-route').expect(404);
    expect(missing.headers['x-parley-instance']).toBe('api-7');
    const refused = await request(t.url).post('/api/auth/register').send({ email: 'not an email' }).expect(400);
    expect(refused.headers['x-parley-instance']).toBe('api-7');
    const docs = await request(t.url).get('/api/docs-json').expect(200);
    expect(docs.headers['x-parley-instance']).toBe('api-7');
    // Socket.IO's own HTTP answers (its handshake over long polling) too.
    const polling = await request(t.url).get('/socket.io/').query({ EIO: '4', transport: 'polling' }).expect(200);
    expect(polling.text).toMatch(/"sid"/);
    expect(polling.headers['x-parley-instance']).toBe('api-7');
  });
});
