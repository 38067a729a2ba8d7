import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { eventually } from './support/sockets';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/** audit.repository.ts: the advisory lock class of a workspace's chain ("Audi"), keyed by hashtext(workspace id). */
const CHAIN_LOCK_CLASS = 0x4175_6469;

/*
 * An audited change (an edit) takes its workspace's audit chain before the channel's row: while it
 * waits its turn on the chain, it holds nothing that sends need. (It used to lock the channel
 * first, so every send to that channel queued behind it, and behind every edit ahead of it on
 * the chain: bench scenario 7 found it, pg_stat_activity showed the sends waiting on the row.)
 * On PostgreSQL only: the embedded database has a single connection, so nobody else can hold the chain.
 */
const onPostgres = databaseModes().includes('postgres') ? describe : describe.skip;

onPostgres('an audited change queued on the audit chain holds no channel lock (needs DATABASE_URL)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let holder: Client;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({
      mode: 'postgres',
      env: {
        SMTP_URL: sink.url,
        RATE_LIMIT_CODE_PER_IP: '1000',
        RATE_LIMIT_VERIFY_PER_IP: '1000',
        RATE_LIMIT_SEND_BURST: '1000',
      },
    });
    ana = await person(t.url, sink, 'Ana');
    holder = new Client({ connectionString: t.config.databaseUrl! });
    await holder.connect();
  });

  afterAll(async () => {
    await holder?.end();
    await t?.close();
    await sink?.stop();
  });

  it('a send to the channel goes through while an edit there waits for the chain; the edit follows once the chain is free', async () => {
    const ws = await ana.createWorkspace('Chains');
    const channel = await ana.createChannel(ws.id, 'busy');
    const first = await ana.send(channel.id, 'first');

    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK_CLASS, ws.id]);
    try {
      const edit = ana.patch(`/api/messages/${first.id}`, { text: 'first, edited' }).then((response) => response);
      // The edit is queued on the chain.
      await eventually(async () => {
        const { rows } = await holder.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()`,
        );
        expect(rows[0].n).toBeGreaterThan(0);
      });
      // A send to the same channel is stored meanwhile (it would wait for the edit's row lock, and so for the chain, before).
      // Not a measure of speed: without this bound a send stuck behind the chain fails only at jest's timeout.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the send is still waiting: the edit holds the channel while it queues for the audit chain')),
          15_000,
        );
      });
      const sent = await Promise.race([
        ana.post(`/api/channels/${channel.id}/messages`, { text: 'second', clientMsgId: randomUUID() }).expect(201),
        stuck,
      ]).finally(() => clearTimeout(timer));
      expect(sent.body.seq).toBe(first.seq + 1);
      await holder.query('COMMIT');
      expect((await edit).status).toBe(200);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
    }
    const history = (await ana.get(`/api/channels/${channel.id}/messages`).expect(200)).body.items.map(
      (m: { text: string }) => m.text,
    );
    expect(history).toEqual(['first, edited', 'second']);
  });

  it('a flood of audited edits queued on one chain leaves the connection pool to everyone else (the pool has 10)', async () => {
    const ws = await ana.createWorkspace('Flood');
    const channel = await ana.createChannel(ws.id, 'flooded');
    const messages = await Promise.all(Array.from({ length: 3 }, (_, i) => ana.send(channel.id, `m${i}`)));
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK_CLASS, ws.id]);
    try {
      // More edits than the pool has connections, all waiting for the chain.
      const edits = Array.from({ length: 15 }, (_, i) =>
        ana.patch(`/api/messages/${messages[i % 3].id}`, { text: `edit ${i}` }).then((response) => response.status),
      );
      await eventually(async () => {
        const { rows } = await holder.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' AND pid <> pg_backend_pid()`,
        );
        expect(rows[0].n).toBeGreaterThan(0);
      });
      // This instance's appenders take turns in memory: few connections wait on the chain, and a
      // send and a history read (each needing a connection) go through meanwhile.
      const { rows } = await holder.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' AND pid <> pg_backend_pid()`,
      );
      expect(rows[0].n).toBeLessThanOrEqual(2);
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error('the send is still waiting for a connection: the edits hold the pool while they queue for the chain'),
            ),
          15_000,
        );
      });
      const sent = await Promise.race([
        ana.post(`/api/channels/${channel.id}/messages`, { text: 'through', clientMsgId: randomUUID() }).expect(201),
        stuck,
      ]).finally(() => clearTimeout(timer));
      expect(sent.body.text).toBe('through');
      await holder.query('COMMIT');
      expect(await Promise.all(edits)).toEqual(Array(15).fill(200));
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
    }
    // Every edit is in the chain, once.
    const { rows } = await holder.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'message.edit'`,
      [ws.id],
    );
    expect(rows[0].n).toBe(15);
  });
});
