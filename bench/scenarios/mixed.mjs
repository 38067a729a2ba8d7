// 7. Sends with changes mixed in: the senders of scenario 3, where one operation in ten is an
// edit or a reaction (added or taken back) to one of the sender's own messages, over the socket
// (editMessage, addReaction, removeReaction). The baseline is Parley itself with sends alone,
// same senders, same run: the figure is what the changes cost (applied in batches, each change
// taking its channel's next change_seq under the channel's lock, going out in changeSeq order).
// Target: operations/s at least 1 / 1.2 of sends alone.
export default {
  id: 7,
  name: '7 Sends with edits and reactions',
  sizes: {
    quick: { mixed: { senders: 100, channels: 50, warmupMs: 500, windowMs: 2500, changeEvery: 10 } },
    full: { mixed: { senders: 200, channels: 100, warmupMs: 1000, windowMs: 8000, changeEvery: 10 } },
  },

  async seed(ctx, seeder) {
    const { senders, channels } = ctx.sizes.mixed;
    const users = await seeder.users(senders, 'mixed');
    const team = await seeder.team('mixed', users[0], users);
    const channelIds = await seeder.channels(team.workspaceId, users[0].id, 'mixed', channels);
    const assignment = users.map((user, i) => ({ user, channelId: channelIds[i % channels] }));
    await seeder.addChannelMembers(assignment.map((a) => [a.channelId, a.user.id]));
    ctx.log(`seeded ${senders} senders in ${channels} channels (mixed operations)`);
    return assignment;
  },

  async setup(ctx) {
    return { parley: await ctx.startParley() };
  },

  measurements(ctx, data, { parley }) {
    const cfg = ctx.sizes.mixed;
    const senders = data.map((s) => ({ auth: { token: s.user.token }, channelId: s.channelId }));
    const common = { url: parley.url, senders, warmupMs: cfg.warmupMs, windowMs: cfg.windowMs };
    return [
      {
        label: '7 sends with changes',
        parley: (round) =>
          ctx.profiled([parley], `mixed-r${round}`, () =>
            ctx.runLoad('load/mixed.mjs', { ...common, changeEvery: cfg.changeEvery }, { timeoutMs: 120_000, servers: [parley] }),
          ),
        // Sends alone report msgsPerSec; as operations they are the same figure.
        baseline: async () => {
          const run = await ctx.runLoad('load/sends.mjs', common, { timeoutMs: 120_000, servers: [parley] });
          return { ...run, opsPerSec: run.msgsPerSec };
        },
        report: (runs) => {
          ctx.details.mixed = runs;
          ctx.addCpu('7 Sends with edits and reactions', 'measured window', runs, (r) => r.cpu);
          const failed = runs.parley.concat(runs.baseline).reduce((a, r) => a + r.errors, 0);
          ctx.addRow(
            '7 Sends with edits and reactions',
            `Operations/s, 1 in ${cfg.changeEvery} an edit or reaction (${cfg.senders} senders, ${cfg.channels} channels); baseline: Parley, sends alone`,
            '/s',
            'higher',
            runs,
            (r) => r.opsPerSec,
            { ratioAtLeast: 0.83 },
            failed
              ? `${failed} failed operations (first: ${runs.parley.concat(runs.baseline).find((r) => r.firstError)?.firstError})`
              : '',
          );
          ctx.addRow('7 Sends with edits and reactions', 'Send ack p99', 'ms', 'lower', runs, (r) => r.sendP99 ?? r.p99);
          ctx.addRow(
            '7 Sends with edits and reactions',
            'Change (edit/reaction) p99 (baseline: none)',
            'ms',
            'lower',
            { parley: runs.parley, baseline: [] },
            (r) => r.changeP99,
          );
          for (const kind of ['edit', 'react', 'unreact']) {
            const what = { edit: 'Edit (editMessage)', react: 'Reaction added (addReaction)', unreact: 'Reaction taken back (removeReaction)' }[kind];
            ctx.addRow(
              '7 Sends with edits and reactions',
              `${what} p99`,
              'ms',
              'lower',
              { parley: runs.parley, baseline: [] },
              (r) => r[`${kind}P99`],
            );
          }
        },
      },
    ];
  },

  async teardown(ctx, { parley }) {
    await parley?.stop();
  },
};
