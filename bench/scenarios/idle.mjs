// 1. Idle connections: N authenticated sockets connect and sit idle; memory per connection read
// inside the server after a full GC, and connects per second. Baseline: the minimal Socket.IO server.
// The server is started fresh for every round, so the scenario has no servers of its own.

export default {
  id: 1,
  name: '1 Idle connections',
  sizes: {
    quick: { idle: { sockets: 1000, teamSize: 100, settleMs: 500 } },
    full: { idle: { sockets: 5000, teamSize: 100, settleMs: 2000 } },
  },

  async seed(ctx, seeder) {
    const { sockets, teamSize } = ctx.sizes.idle;
    const users = await seeder.users(sockets, 'idle');
    const clients = [];
    for (let t = 0; t * teamSize < sockets; t++) {
      const members = users.slice(t * teamSize, (t + 1) * teamSize);
      const team = await seeder.team(`idle-${t}`, members[0], members);
      for (const user of members)
        clients.push({ user, rooms: [`user:${user.id}`, `workspace:${team.workspaceId}`, `channel:${team.generalId}`] });
    }
    ctx.log(`seeded ${sockets} idle users in ${Math.ceil(sockets / teamSize)} workspaces`);
    return clients;
  },

  measurements(ctx, data) {
    return [
      {
        label: '1 idle',
        parley: (round) => idleRound(ctx, data, 'parley', round),
        baseline: (round) => idleRound(ctx, data, 'baseline', round),
        report: (runs) => {
          const { sockets } = ctx.sizes.idle;
          ctx.details.idle = runs;
          const label = `${sockets.toLocaleString('en-US')} sockets`;
          ctx.addRow('1 Idle connections', `RSS per connection (${label})`, 'KiB', 'lower', runs, (r) => r.rssKiB, {
            ratioAtMost: 1.5,
          });
          ctx.addRow(
            '1 Idle connections',
            `JS heap per connection, after GC (${label})`,
            'KiB',
            'lower',
            runs,
            (r) => r.heapKiB,
            {
              ratioAtMost: 1.5,
            },
          );
          ctx.addRow(
            '1 Idle connections',
            `Connects per second (100 handshakes in flight)`,
            '/s',
            'higher',
            runs,
            (r) => r.connectsPerSec,
          );
        },
      },
    ];
  },
};

/** One round on a fresh server: memory before, connect every socket, memory once they all sit idle. */
async function idleRound(ctx, data, variant, round) {
  const { sockets, settleMs } = ctx.sizes.idle;
  const server = variant === 'parley' ? await ctx.startParley() : await ctx.startBaseline();
  try {
    await ctx.sleep(500);
    const before = await server.memory();
    let after = null;
    const clients = data.map(({ user, rooms }) => (variant === 'parley' ? { token: user.token } : { userId: user.id, rooms }));
    const result = await ctx.profiled(variant === 'parley' ? [server] : [], `idle-r${round}`, () =>
      ctx.runLoad(
        'load/idle.mjs',
        { url: server.url, clients, concurrency: 100, settleMs },
        {
          timeoutMs: 300_000,
          onMessage: (message, reply) => {
            if (message.type !== 'connected') return;
            server.memory().then((m) => {
              after = m;
              reply({ cmd: 'finish' });
            });
          },
        },
      ),
    );
    if (result.connected !== sockets) throw new Error(`only ${result.connected} of ${sockets} sockets connected`);
    return {
      rssKiB: (after.rss - before.rss) / 1024 / sockets,
      heapKiB: (after.heapUsed - before.heapUsed) / 1024 / sockets,
      connectsPerSec: result.connectsPerSec,
      rssBaseMiB: before.rss / 1048576,
      rssMiB: after.rss / 1048576,
      stillConnected: result.stillConnected,
      eventsWhileIdle: result.eventsWhileIdle,
    };
  } finally {
    await server.stop();
  }
}
