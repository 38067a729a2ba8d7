import { randomUUID } from 'node:crypto';
import { ChannelDto, WorkspaceDto } from '@parley/contracts';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { POOL_IDLE_TIMEOUT_MS } from '@api/database/data-source-options';
import { preparedQuery } from '@api/database/prepared';
import { LIVE_SESSION_RECHECK_MS } from '@api/auth/sessions.service';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { call, connectSocket, eventually, sleep } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * The app keeps answering when its database connection goes away under it: after sitting idle
 * past every idle timeout in play (the pool closes idle connections; the next one must not meet
 * statements a previous connection prepared), and after the connection is closed or killed
 * outright (a PostgreSQL restart, pgbouncer, pg_terminate_backend).
 */
describe.each(databaseModes())('database connections that go away (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let ws: WorkspaceDto;
  let general: ChannelDto;

  const pool = (dataSource: DataSource) => (dataSource.driver as PostgresDriver).master as Pool;

  /** Everything a person does first: the workspace, its channels, history, and a send, a reaction and an edit over the socket. */
  async function useTheApp(): Promise<void> {
    await ana.get(`/api/workspaces/${ws.id}`).expect(200);
    await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200);
    await ana.get(`/api/channels/${general.id}/messages`).expect(200);
    const socket = await connectSocket(t.url, ana.auth.accessToken);
    try {
      const ack = await call(socket, 'sendMessage', { channelId: general.id, text: 'still here', clientMsgId: randomUUID() });
      expect(ack).toMatchObject({ ok: true, data: { text: 'still here' } });
      // A change batch (its own named statements), over the socket: a reaction and an edit.
      if (!ack.ok) return;
      expect(await call(socket, 'addReaction', { messageId: ack.data.id, emoji: '👍' })).toMatchObject({ ok: true, data: { reactions: [{ emoji: '👍', count: 1 }] } });
      expect(await call(socket, 'editMessage', { messageId: ack.data.id, text: 'still here, edited' })).toMatchObject({ ok: true, data: { text: 'still here, edited' } });
    } finally {
      socket.close();
    }
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url } });
    ana = await person(t.url, sink, 'Ana');
    ws = await ana.createWorkspace('Idle');
    const channels = (await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[];
    general = channels.find((channel) => channel.name === 'general')!;
    // Every named statement gets prepared on the first connection.
    await useTheApp();
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('answers after its pooled connection is closed and a new one is opened', async () => {
    const client = await pool(t.dataSource).connect();
    client.release(true); // destroys the connection instead of returning it
    await useTheApp();
  });

  it('runs a named statement whose first execution failed', async () => {
    // The pool drops a connection whose query failed; PGlite kept the statement prepared, and
    // the next connection, which has prepared nothing, must not meet it ("… already exists").
    const first = preparedQuery(t.dataSource, 'parley_test_first_fails', 'SELECT 7 / $1::int AS n', [0]);
    await expect(first).rejects.toMatchObject({ code: '22012' });
    await t.dataSource.query('SELECT 1');
    await expect(preparedQuery(t.dataSource, 'parley_test_first_fails', 'SELECT 7 / $1::int AS n', [1])).resolves.toEqual([{ n: 7 }]);
    await useTheApp();
  });

  it('answers after sitting idle longer than every idle timeout in play', async () => {
    const idle = Math.max(POOL_IDLE_TIMEOUT_MS[mode], LIVE_SESSION_RECHECK_MS) + 2000;
    await sleep(idle);
    await useTheApp();
  }, 60_000);

  if (mode === 'postgres') {
    it('answers after PostgreSQL kills its backend connections (pg_terminate_backend)', async () => {
      const database = new URL(t.config.databaseUrl!).pathname.slice(1);
      const admin = new Client({ connectionString: t.config.databaseUrl! });
      await admin.connect();
      try {
        const killed = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
          database,
        ]);
        expect(killed.rows.length).toBeGreaterThan(0);
        for (const { pid } of killed.rows) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // The pool learns of it when the sockets close; wait until the server shows them gone.
        await eventually(async () => {
          const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid = ANY($2)', [
            database,
            killed.rows.map((row) => row.pid),
          ]);
          expect(left.rows).toEqual([]);
        });
        await sleep(100);
      } finally {
        await admin.end();
      }
      await useTheApp();
    });
  }
});
