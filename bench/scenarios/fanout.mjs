// 2. Fan-out, one instance: one sender, every member of a channel receiving; the highest
// deliveries/s with p99 ≤ 100 ms (a ladder), then latencies at half the baseline's maximum.
// Baseline: the minimal Socket.IO server stamping and broadcasting, no persistence.
// Scenario 4 (two-instances.mjs) runs the same measurements across two instances on Redis.
import { P99_LIMIT_MS, PG_POOL } from '../lib/context.mjs';
import { median } from '../lib/stats.mjs';

const seeded = new WeakMap();

/** Channels of each size of `ctx.sizes.fanout.members`, seeded once per run for scenarios 2 and 4. */
export async function seedFanout(ctx, seeder) {
  if (seeded.has(ctx)) return seeded.get(ctx);
  const { members } = ctx.sizes.fanout;
  const largest = Math.max(...members);
  const users = await seeder.users(largest, 'fanout');
  const channels = Object.fromEntries(members.map((m) => [`fanout-${m}`, users.slice(0, m)]));
  const team = await seeder.team('fanout', users[0], users, channels);
  const data = members.map((m) => {
    const channelId = team.channels[`fanout-${m}`];
    const roomsOf = (u) => [`user:${u.id}`, `workspace:${team.workspaceId}`, `channel:${team.generalId}`, `channel:${channelId}`];
    return { members: m, channelId, users: users.slice(0, m), roomsOf };
  });
  ctx.log(`seeded fan-out channels of ${members.join(' and ')} members`);
  seeded.set(ctx, data);
  return data;
}

/**
 * Fan-out ladders then fixed-rate windows for each channel size in `sizes`. `servers` gives, per
 * variant, where the sender and the receivers connect. Two measurements per size: the ladder,
 * and the fixed rate it decides (half the baseline's median maximum).
 */
export function fanoutMeasurements(ctx, scenario, data, servers, label, sizes) {
  const cfg = ctx.sizes.fanout;
  const serverList = (variant) => [...new Set([servers[variant].sender, servers[variant].receivers])];
  return data
    .filter((c) => sizes.includes(c.members))
    .flatMap((channel) => {
      const m = channel.members;
      const authsFor = (variant, users) =>
        users.map((u) => (variant === 'parley' ? { token: u.token } : { userId: u.id, rooms: channel.roomsOf(u) }));
      const loadConfig = (variant) => ({
        senderUrl: servers[variant].sender.url,
        receiverUrl: servers[variant].receivers.url,
        senderAuth: authsFor(variant, [channel.users[0]])[0],
        receiverAuths: authsFor(variant, channel.users),
        channelId: channel.channelId,
        p99LimitMs: P99_LIMIT_MS,
        drainMs: cfg.drainMs,
        settleMs: cfg.settleMs,
      });
      const ladderRun = (variant) => async (round) => {
        const r = await ctx.profiled(variant === 'parley' ? serverList(variant) : [], `${label}-${m}-ladder-r${round}`, () =>
          ctx.runLoad(
            'load/fanout.mjs',
            {
              ...loadConfig(variant),
              mode: 'ladder',
              startDps: cfg.startDps,
              maxDps: cfg.maxDps,
              bisections: cfg.bisections,
              windowMs: cfg.windowMs,
            },
            { timeoutMs: 300_000, servers: serverList(variant) },
          ),
        );
        return {
          maxGoodDps: r.maxGoodDps,
          steps: r.steps.length,
          bestCpu: r.best?.cpu ?? null,
          limit: r.limit && {
            targetDps: r.limit.targetDps,
            p99: r.limit.p99,
            ackP99: r.limit.ackP99,
            missing: r.limit.missing,
            cpu: r.limit.cpu,
          },
          detail: r.steps,
        };
      };
      let ladder = null;
      let fixedDps = null;
      const fixedRun = (variant) => async (round) => {
        const r = await ctx.profiled(variant === 'parley' ? serverList(variant) : [], `${label}-${m}-fixed-r${round}`, () =>
          ctx.runLoad(
            'load/fanout.mjs',
            { ...loadConfig(variant), mode: 'fixed', fixedDps, windowMs: cfg.fixedMs, warmupMs: cfg.warmupMs },
            { timeoutMs: 120_000, servers: serverList(variant) },
          ),
        );
        const s = r.steps[0];
        return {
          p50: s.p50,
          p99: s.p99,
          ackP50: s.ackP50,
          ackP99: s.ackP99,
          missing: s.missing,
          achievedDps: s.achievedDps,
          cpu: s.cpu,
        };
      };
      return [
        {
          label: `${label} ${m} members ladder`,
          parley: ladderRun('parley'),
          baseline: ladderRun('baseline'),
          report: (runs) => {
            ladder = runs;
            fixedDps = Math.max(100, Math.round(median(ladder.baseline.map((r) => r.maxGoodDps)) / 2));
            const limits = ladder.parley.map((r) => r.limit).filter(Boolean);
            const limitNote = limits.length
              ? `Parley's first failing rate: deliver p99 ${limits.map((l) => (l.p99 === null ? 'lost' : `${Math.round(l.p99)} ms`)).join('/')}, ack p99 ${limits.map((l) => (l.ackP99 === null ? 'lost' : `${Math.round(l.ackP99)} ms`)).join('/')}`
              : '';
            ctx.addRow(
              scenario,
              `${m} members: max deliveries/s with p99 ≤ ${P99_LIMIT_MS} ms`,
              '/s',
              'higher',
              ladder,
              (r) => r.maxGoodDps,
              { ratioAtLeast: 0.8 },
              limitNote,
            );
            ctx.addCpu(scenario, `${m} members, at the best ladder rate`, ladder, (r) => r.bestCpu);
            ctx.addCpu(scenario, `${m} members, at the first failing ladder rate`, ladder, (r) => r.limit?.cpu);
          },
        },
        {
          get label() {
            return `${label} ${m} members at ${fixedDps} deliveries/s`;
          },
          parley: fixedRun('parley'),
          baseline: fixedRun('baseline'),
          report: (fixed) => {
            ctx.details[`${scenario}-${m}`] = { ladder, fixedDps, fixed };
            const rate = fixedDps.toLocaleString('en-US');
            ctx.addCpu(scenario, `${m} members, at ${rate} deliveries/s`, fixed, (r) => r.cpu);
            ctx.addRow(
              scenario,
              `${m} members: send→deliver p50 at ${rate}/s (½ baseline max)`,
              'ms',
              'lower',
              fixed,
              (r) => r.p50,
            );
            ctx.addRow(
              scenario,
              `${m} members: send→deliver p99 at ${rate}/s`,
              'ms',
              'lower',
              fixed,
              (r) => r.p99,
              { p99Rule: true },
              fixed.parley.some((r) => r.missing) ? 'deliveries lost or late past the drain window' : '',
            );
            ctx.addRow(
              scenario,
              `${m} members: send→ack p50 at ${rate}/s (Parley: after commit)`,
              'ms',
              'lower',
              fixed,
              (r) => r.ackP50,
            );
          },
        },
      ];
    });
}

export default {
  id: 2,
  name: '2 Fan-out, one instance',
  sizes: {
    quick: {
      fanout: {
        members: [10, 100],
        twoInstanceMembers: [100],
        startDps: 2000,
        maxDps: 256_000,
        bisections: 1,
        windowMs: 600,
        drainMs: 1000,
        settleMs: 2000,
        fixedMs: 1000,
        warmupMs: 300,
      },
    },
    full: {
      fanout: {
        members: [10, 100],
        twoInstanceMembers: [10, 100],
        startDps: 1000,
        maxDps: 256_000,
        bisections: 3,
        windowMs: 1500,
        drainMs: 1500,
        settleMs: 10_000,
        fixedMs: 5000,
        warmupMs: 1000,
      },
    },
  },

  seed: seedFanout,

  async setup(ctx) {
    return { parley: await ctx.startParley(), baseline: await ctx.startBaseline() };
  },

  measurements(ctx, data, { parley, baseline }) {
    return fanoutMeasurements(
      ctx,
      '2 Fan-out, one instance',
      data,
      { parley: { sender: parley, receivers: parley }, baseline: { sender: baseline, receivers: baseline } },
      '2 fan-out',
      ctx.sizes.fanout.members,
    );
  },

  async teardown(ctx, { parley, baseline }) {
    await Promise.all([parley?.stop(), baseline?.stop()]);
  },

  // How fast one channel can take persisted messages at all: every send updates the same
  // channels row, so commits into one channel are serialised by its row lock.
  async diagnostics(ctx, data) {
    const channel = data[0];
    const ceilings = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      const r = await ctx.runLoad(
        'baselines/pg-sends.mjs',
        {
          databaseUrl: ctx.dbUrl,
          senders: Array.from({ length: PG_POOL }, () => ({ userId: channel.users[0].id, channelId: channel.channelId })),
          warmupMs: 300,
          windowMs: ctx.quick ? 1000 : 2000,
          poolSize: PG_POOL,
        },
        { timeoutMs: 60_000 },
      );
      ceilings.push(r);
    }
    const best = median(ceilings.map((r) => r.msgsPerSec));
    ctx.details.oneChannelCeiling = ceilings;
    ctx.addDiagnostic(
      `One channel, raw SQL (INSERT + seq update, one row per transaction, ${PG_POOL} in flight): messages/s`,
      Math.round(best),
      `median of ${ctx.rounds}; ack p50 ${median(ceilings.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(ceilings.map((r) => r.p99)).toFixed(2)} ms`,
    );
  },
};
