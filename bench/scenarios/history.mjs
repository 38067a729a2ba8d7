// 5. History and reconnect: history pages over keep-alive HTTP against the raw history query
// through a pg pool; then a mass reconnect where every client syncs what it missed, against the
// minimal server answering sync with raw SQL; then the same reconnect after a burst of edits,
// where each client also asks for the changes it missed (change cursors), against the same
// server answering them with raw SQL. Each measurement starts its own servers.
import { PG_POOL } from '../lib/context.mjs';

export default {
  id: 5,
  name: '5 History and reconnect',
  sizes: {
    quick: {
      history: { channels: 100, perChannel: 1000, concurrency: 10, warmupMs: 300, windowMs: 2000, limit: 50 },
      sync: { clients: 300, teamSize: 100, channelSize: 10, behind: 50, edits: 50 },
    },
    full: {
      history: { channels: 100, perChannel: 10_000, concurrency: 10, warmupMs: 1000, windowMs: 5000, limit: 50 },
      sync: { clients: 1000, teamSize: 100, channelSize: 10, behind: 50, edits: 50 },
    },
  },

  async seed(ctx, seeder) {
    const { channels, perChannel } = ctx.sizes.history;
    const [reader] = await seeder.users(1, 'history');
    const team = await seeder.team('history', reader, [reader]);
    const channelIds = await seeder.channels(team.workspaceId, reader.id, 'history', channels);
    await seeder.addChannelMembers(channelIds.map((id) => [id, reader.id]));
    const started = performance.now();
    await seeder.messages(channelIds, reader.id, perChannel);
    const { rows: count } = await seeder.query(`SELECT count(*)::int AS n FROM messages`);
    ctx.log(
      `seeded ${count[0].n.toLocaleString('en-US')} messages in ${((performance.now() - started) / 1000).toFixed(1)} s (one INSERT … SELECT generate_series)`,
    );
    const history = { reader, channelIds };

    const { clients, teamSize, channelSize, behind, edits } = ctx.sizes.sync;
    const users = await seeder.users(clients, 'sync');
    const sync = [];
    for (let t = 0; t * teamSize < clients; t++) {
      const members = users.slice(t * teamSize, (t + 1) * teamSize);
      const team = await seeder.team(`sync-${t}`, members[0], members);
      const chans = await seeder.channels(team.workspaceId, members[0].id, `sync`, Math.ceil(members.length / channelSize));
      const pairs = members.map((user, i) => [chans[Math.floor(i / channelSize)], user.id]);
      await seeder.addChannelMembers(pairs);
      await seeder.messages(chans, members[0].id, behind + 10);
      // A burst of edits to the newest messages: a client with change cursor 0 has missed them all.
      await seeder.edits(chans, members[0].id, edits);
      for (const [channelId, userId] of pairs) {
        const user = members.find((m) => m.id === userId);
        sync.push({
          user,
          channelId,
          cursor: 10,
          rooms: [`user:${user.id}`, `workspace:${team.workspaceId}`, `channel:${team.generalId}`, `channel:${channelId}`],
        });
      }
    }
    ctx.log(`seeded ${clients} sync clients (${teamSize} per workspace, ${channelSize} per channel, ${behind} messages and ${edits} edits behind)`);
    return { history, sync };
  },

  measurements(ctx, data) {
    const cfg = ctx.sizes.history;
    const scfg = ctx.sizes.sync;
    const common = {
      channelIds: data.history.channelIds,
      concurrency: cfg.concurrency,
      warmupMs: cfg.warmupMs,
      windowMs: cfg.windowMs,
      limit: cfg.limit,
    };
    return [
      {
        label: '5 history',
        setup: async () => ({ parley: await ctx.startParley() }),
        parley: (round, { parley }) =>
          ctx.profiled([parley], `history-r${round}`, () =>
            ctx.runLoad(
              'load/history.mjs',
              { ...common, url: parley.url, token: data.history.reader.token },
              { timeoutMs: 120_000, servers: [parley] },
            ),
          ),
        baseline: () =>
          ctx.runLoad(
            'baselines/pg-history.mjs',
            { ...common, databaseUrl: ctx.dbUrl, poolSize: PG_POOL },
            { timeoutMs: 120_000 },
          ),
        teardown: ({ parley }) => parley?.stop(),
        report: (runs) => {
          ctx.details.history = runs;
          ctx.addCpu('5 History', 'measured window', runs, (r) => r.cpu);
          const total = cfg.channels * cfg.perChannel;
          const label = `${total.toLocaleString('en-US')} messages, ${cfg.concurrency} concurrent`;
          ctx.addRow(
            '5 History and reconnect',
            `History page (50) p50 (${label}); baseline: raw SQL`,
            'ms',
            'lower',
            runs,
            (r) => r.p50,
          );
          ctx.addRow('5 History and reconnect', 'History page p99', 'ms', 'lower', runs, (r) => r.p99, { ratioAtMost: 3 });
          ctx.addRow('5 History and reconnect', 'History pages per second', '/s', 'higher', runs, (r) => r.perSec);
        },
      },
      // Sync: every client reconnects at once and asks for what it missed.
      {
        label: '5 reconnect + sync',
        setup: async () => ({
          parley: await ctx.startParley(),
          baseline: await ctx.startBaseline('baselineA', { database: true }),
        }),
        parley: (round, { parley }) => syncRound(ctx, data, parley, 'parley', round),
        baseline: (round, { baseline }) => syncRound(ctx, data, baseline, 'baseline', round),
        teardown: ({ parley, baseline }) => Promise.all([parley?.stop(), baseline?.stop()]),
        report: (syncRuns) => {
          ctx.details.sync = syncRuns;
          const bad = syncRuns.parley.concat(syncRuns.baseline).filter((r) => r.failed || r.wrong);
          const note = bad.length ? `failed or incomplete syncs: ${bad.map((r) => `${r.failed}/${r.wrong}`).join(', ')}` : '';
          const sl = `${scfg.clients.toLocaleString('en-US')} clients × ${scfg.behind} missed`;
          ctx.addRow(
            '5 History and reconnect',
            `Reconnect + sync, all done (${sl}); baseline: raw Socket.IO + raw SQL`,
            'ms',
            'lower',
            syncRuns,
            (r) => r.totalMs,
            null,
            note,
          );
          ctx.addRow(
            '5 History and reconnect',
            'Reconnect + sync per client p50 (connect start → sync ack)',
            'ms',
            'lower',
            syncRuns,
            (r) => r.p50,
          );
          ctx.addRow('5 History and reconnect', 'Reconnect + sync per client p99', 'ms', 'lower', syncRuns, (r) => r.p99);
        },
      },
      // The same reconnect, each client also asking for the edits it missed.
      {
        label: '5 reconnect + sync with changes',
        setup: async () => ({
          parley: await ctx.startParley(),
          baseline: await ctx.startBaseline('baselineA', { database: true }),
        }),
        parley: (round, { parley }) => syncRound(ctx, data, parley, 'parley', round, { withChanges: true }),
        baseline: (round, { baseline }) => syncRound(ctx, data, baseline, 'baseline', round, { withChanges: true }),
        teardown: ({ parley, baseline }) => Promise.all([parley?.stop(), baseline?.stop()]),
        report: (syncRuns) => {
          ctx.details.syncChanges = syncRuns;
          const bad = syncRuns.parley.concat(syncRuns.baseline).filter((r) => r.failed || r.wrong);
          const note = bad.length ? `failed or incomplete syncs: ${bad.map((r) => `${r.failed}/${r.wrong}`).join(', ')}` : '';
          const sl = `${scfg.clients.toLocaleString('en-US')} clients × ${scfg.behind} missed messages + ${scfg.edits} missed edits`;
          ctx.addRow(
            '5 History and reconnect',
            `Reconnect + sync with changes, all done (${sl}); baseline: raw Socket.IO + raw SQL`,
            'ms',
            'lower',
            syncRuns,
            (r) => r.totalMs,
            null,
            note,
          );
          ctx.addRow('5 History and reconnect', 'Reconnect + sync with changes per client p99', 'ms', 'lower', syncRuns, (r) => r.p99);
        },
      },
    ];
  },

  async diagnostics(ctx, data) {
    await ctx.transactionsPer('GET /api/channels/:id/messages', 200, async (url) => {
      for (let i = 0; i < 200; i++) {
        const response = await fetch(
          `${url}/api/channels/${data.history.channelIds[i % data.history.channelIds.length]}/messages?limit=50`,
          {
            headers: { authorization: `Bearer ${data.history.reader.token}` },
          },
        );
        if (!response.ok) throw new Error(`history: ${response.status}`);
        await response.arrayBuffer();
      }
    });
    await ctx.transactionsPer('socket connect + sync (one channel)', 100, async (url) => {
      const clients = data.sync
        .slice(0, 100)
        .map(({ user, channelId, cursor }) => ({ auth: { token: user.token }, cursors: { [channelId]: cursor } }));
      await ctx.runLoad('load/sync.mjs', { url, clients, behind: ctx.sizes.sync.behind }, { timeoutMs: 60_000 });
    });
  },
};

/** Every client connects at once and sends `sync` as soon as it is connected (`withChanges`: with change cursor 0 too). */
function syncRound(ctx, data, server, variant, round, { withChanges = false } = {}) {
  const clients = data.sync.map(({ user, channelId, cursor, rooms }) => ({
    auth: variant === 'parley' ? { token: user.token } : { userId: user.id, rooms },
    cursors: { [channelId]: cursor },
    ...(withChanges ? { changeCursors: { [channelId]: 0 } } : {}),
  }));
  const { behind, edits } = ctx.sizes.sync;
  return ctx.profiled(variant === 'parley' ? [server] : [], `sync${withChanges ? '-changes' : ''}-r${round}`, () =>
    ctx.runLoad('load/sync.mjs', { url: server.url, clients, behind, ...(withChanges ? { changesBehind: edits } : {}) }, { timeoutMs: 180_000 }),
  );
}
