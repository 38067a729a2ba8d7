import { ChannelDto } from '@parley/contracts';
import { EmbeddedMaintenance } from '@api/database/embedded-maintenance';
import { Person, person } from './support/api-client';
import { SmtpSink } from './support/smtp-sink';
import { databaseModes, startTestApp, TestApp } from './support/test-app';

/**
 * PGlite has no autovacuum: EmbeddedMaintenance vacuums and analyses the embedded database, so
 * the planner's statistics follow the tables as they grow. A PostgreSQL server does that itself:
 * there the job does nothing.
 */
describe.each(databaseModes())('database maintenance (%s database)', (mode) => {
  let sink: SmtpSink;
  let t: TestApp;
  let ana: Person;
  let general: ChannelDto;
  const estimatedMessages = async (): Promise<number> =>
    Number((await t.dataSource.query(`SELECT reltuples FROM pg_class WHERE relname = 'messages'`))[0].reltuples);

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ mode, env: { SMTP_URL: sink.url } });
    ana = await person(t.url, sink, 'Ana');
    const ws = await ana.createWorkspace('Maintenance');
    general = ((await ana.get(`/api/workspaces/${ws.id}/channels`).expect(200)).body as ChannelDto[]).find((c) => c.name === 'general')!;
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it(mode === 'embedded' ? 'analyses the embedded database: the statistics follow a table that grew' : 'leaves a PostgreSQL server to its own autovacuum', async () => {
    const maintenance = t.app.get(EmbeddedMaintenance);
    if (mode !== 'embedded') {
      expect(await maintenance.run()).toBe(false);
      return;
    }
    expect(await maintenance.run()).toBe(true);
    const before = await estimatedMessages();
    // 5,000 messages the statistics have not seen.
    await t.dataSource.query(
      `INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id)
       SELECT $1, g, $2, 'grown ' || g, gen_random_uuid() FROM generate_series(1, 5000) g`,
      [general.id, ana.id],
    );
    await t.dataSource.query(`UPDATE channels SET last_seq = 5000 WHERE id = $1`, [general.id]);
    expect(await estimatedMessages()).toBe(before);
    expect(await maintenance.run()).toBe(true);
    expect(await estimatedMessages()).toBeGreaterThanOrEqual(5000);
    // The app answers as before: a page of the grown history.
    const page = (await ana.get(`/api/channels/${general.id}/messages?limit=5`).expect(200)).body as { items: { text: string }[] };
    expect(page.items.map((m) => m.text)).toEqual(['grown 4996', 'grown 4997', 'grown 4998', 'grown 4999', 'grown 5000']);
  });
});
