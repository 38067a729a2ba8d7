// 3. Persisted sends: S senders into C channels, one sendMessage in flight each (the ack comes
// after the commit). Baseline: the same INSERT with the per-channel seq update, one row per
// transaction, from a plain pg pool of Parley's size.
import { PG_POOL } from '../lib/context.mjs';
import { median } from '../lib/stats.mjs';

export default {
  id: 3,
  name: '3 Persisted sends',
  sizes: {
    quick: { sends: { senders: 100, channels: 50, warmupMs: 500, windowMs: 2500 } },
    full: { sends: { senders: 200, channels: 100, warmupMs: 1000, windowMs: 8000 } },
  },

  async seed(ctx, seeder) {
    const { senders, channels } = ctx.sizes.sends;
    const users = await seeder.users(senders, 'sends');
    const team = await seeder.team('sends', users[0], users);
    const channelIds = await seeder.channels(team.workspaceId, users[0].id, 'sends', channels);
    const assignment = users.map((user, i) => ({ user, channelId: channelIds[i % channels] }));
    await seeder.addChannelMembers(assignment.map((a) => [a.channelId, a.user.id]));
    ctx.log(`seeded ${senders} senders in ${channels} channels`);
    return assignment;
  },

  async setup(ctx) {
    return { parley: await ctx.startParley() };
  },

  measurements(ctx, data, { parley }) {
    const cfg = ctx.sizes.sends;
    return [
      {
        label: '3 persisted sends',
        parley: (round) =>
          ctx.profiled([parley], `sends-r${round}`, () =>
            ctx.runLoad(
              'load/sends.mjs',
              {
                url: parley.url,
                senders: data.map((s) => ({ auth: { token: s.user.token }, channelId: s.channelId })),
                warmupMs: cfg.warmupMs,
                windowMs: cfg.windowMs,
              },
              { timeoutMs: 120_000, servers: [parley] },
            ),
          ),
        baseline: () => pgSends(ctx, data, 'baseline'),
        report: (runs) => {
          ctx.details.sends = runs;
          ctx.details.sendsParleyStatement = []; // filled by the diagnostics when they run
          ctx.addCpu('3 Persisted sends', 'measured window', runs, (r) => r.cpu);
          const label = `${cfg.senders} senders, ${cfg.channels} channels`;
          ctx.addRow(
            '3 Persisted sends',
            `Messages/s committed and acked (${label})`,
            '/s',
            'higher',
            runs,
            (r) => r.msgsPerSec,
            { ratioAtLeast: 2 },
            runs.parley.some((r) => r.errors) ? `${runs.parley.reduce((a, r) => a + r.errors, 0)} failed sends` : '',
          );
          ctx.addRow('3 Persisted sends', 'Ack latency p50', 'ms', 'lower', runs, (r) => r.p50);
          ctx.addRow('3 Persisted sends', 'Ack latency p99', 'ms', 'lower', runs, (r) => r.p99);
        },
      },
    ];
  },

  async teardown(ctx, { parley }) {
    await parley?.stop();
  },

  async diagnostics(ctx, data) {
    const cfg = ctx.sizes.sends;
    // The one-message statement MessagesService.send used before group commit, through plain pg,
    // same senders, same pool: what one row per transaction costs with Parley's checks.
    const statementRuns = [];
    for (let round = 1; round <= ctx.rounds; round++) statementRuns.push(await pgSends(ctx, data, 'parley'));
    ctx.details.sendsParleyStatement = statementRuns;
    ctx.addDiagnostic(
      `Parley's one-message send statement from before group commit (bench/baselines/pg-sends.mjs) through plain pg, ${cfg.senders} senders, pool of ${PG_POOL}: messages/s`,
      Math.round(median(statementRuns.map((r) => r.msgsPerSec))),
      `median of ${ctx.rounds}; p50 ${median(statementRuns.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(statementRuns.map((r) => r.p99)).toFixed(1)} ms; compare with both rows above`,
    );

    // Database transactions per socket send.
    const sample = data[0];
    await ctx.transactionsPer('sendMessage (socket)', 300, async (url) => {
      await ctx.runLoad(
        'load/sends.mjs',
        {
          url,
          senders: [{ auth: { token: sample.user.token }, channelId: sample.channelId }],
          warmupMs: 0,
          windowMs: 0,
          count: 300,
        },
        { timeoutMs: 60_000 },
      );
    });
  },
};

/** The raw SQL sends of bench/baselines/pg-sends.mjs: `statement` 'baseline' (the ceiling) or 'parley' (the old one-message send). */
function pgSends(ctx, data, statement) {
  const cfg = ctx.sizes.sends;
  return ctx.runLoad(
    'baselines/pg-sends.mjs',
    {
      databaseUrl: ctx.dbUrl,
      senders: data.map((s) => ({ userId: s.user.id, channelId: s.channelId })),
      warmupMs: cfg.warmupMs,
      windowMs: cfg.windowMs,
      poolSize: PG_POOL,
      ...(statement === 'baseline' ? {} : { statement }),
    },
    { timeoutMs: 120_000 },
  );
}
