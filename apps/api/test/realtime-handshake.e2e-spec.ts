import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { io, Socket } from 'socket.io-client';
import { signIn } from './support/sign-in';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

function connect(url: string, options: Parameters<typeof io>[1]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('Socket.IO handshake', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode: databaseModes()[0], env: { SMTP_URL: sink.url } });
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('refuses a connection without a token, with a clear reason', async () => {
    await expect(connect(t.url, {})).rejects.toThrow(/AUTH_TOKEN_MISSING/);
  });

  it('refuses a bad token', async () => {
    await expect(connect(t.url, { auth: { token: 'nope' } })).rejects.toThrow(/AUTH_TOKEN_INVALID/);
  });

  it('accepts a valid token, and closes the socket when its session is signed out', async () => {
    const session = await signIn(t.url, sink, `ws-${randomUUID().slice(0, 8)}@example.com`);
    const socket = await connect(t.url, { auth: { token: session.accessToken } });
    expect(socket.connected).toBe(true);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await request(t.url).post('/api/auth/logout').auth(session.accessToken, { type: 'bearer' }).expect(204);
    await expect(closed).resolves.toBe('io server disconnect');
    await expect(connect(t.url, { auth: { token: session.accessToken } })).rejects.toThrow(/AUTH_SESSION_REVOKED/);
  });

  it('refuses a browser from a foreign origin', async () => {
    const session = await signIn(t.url, sink, `origin-${randomUUID().slice(0, 8)}@example.com`);
    await expect(
      connect(t.url, { auth: { token: session.accessToken }, extraHeaders: { Origin: 'https://evil.example.com' } }),
    ).rejects.toThrow();
    const ok = await connect(t.url, { auth: { token: session.accessToken }, extraHeaders: { Origin: t.config.publicUrl } });
    ok.close();
  });

  it('closes a connection that sends a frame over the size limit, and nothing else is harmed', async () => {
    const session = await signIn(t.url, sink, `big-${randomUUID().slice(0, 8)}@example.com`);
    const greedy = await connect(t.url, { auth: { token: session.accessToken } });
    const closed = new Promise<string>((resolve) => greedy.once('disconnect', resolve));
    greedy.emit('sendMessage', { channelId: randomUUID(), text: 'x'.repeat(200_000), clientMsgId: randomUUID() });
    await expect(closed).resolves.toBe('transport close');
    const other = await connect(t.url, { auth: { token: session.accessToken } });
    expect(other.connected).toBe(true);
    other.close();
    await request(t.url).get('/health').expect(200);
  });
});
