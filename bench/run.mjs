#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only=1,3] [-- --rounds=N] [-- --no-write]
//
// Starts the built Parley api (dist/) against PostgreSQL and Redis, and the baselines of
// bench/baselines/, and drives them from load generators in separate processes
// (bench/load/*.mjs). Each figure is measured on Parley and on its baseline alternately
// (A B A B …) and reported as min / median / max with the ratio of medians.
// Output: a Markdown table on stdout and in bench/results/<date>.md, with JSON beside it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ADMIN_URL, createDatabase, databaseUrl, dropDatabase, Seeder } from './lib/db.mjs';
import {
  BENCH_DIR,
  cpuSnapshot,
  removeSnapshot,
  setPostgresDatabase,
  ROOT,
  runLoad,
  snapshotParley,
  startBaseline,
  startParley,
  stopAll,
} from './lib/procs.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { median, spread } from './lib/stats.mjs';

// ---------------------------------------------------------------------------------------------
// Options and sizes

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
if (flag('help')) {
  console.log(
    'npm run bench [-- --quick] [--only=1,2,3,4,5] [--rounds=N] [--no-write] [--wait-quiet=MIN] [--profile] [--diagnostics|--no-diagnostics] | --render=<results.json>',
  );
  process.exit(0);
}
// --render=<results.json>: rewrite the Markdown next to it from the JSON (no run).
if (option('render')) {
  const file = option('render');
  const report = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(report));
  console.log(`written ${file.replace(/\.json$/, '.md')}`);
  process.exit(0);
}
const QUICK = flag('quick');
const ONLY = new Set((option('only') ?? '1,2,3,4,5').split(',').map(Number));
const ROUNDS = Number(option('rounds') ?? (QUICK ? 1 : 3));
const WRITE = !flag('no-write');
const PROFILE = flag('profile');
const WAIT_QUIET_MIN = Number(option('wait-quiet') ?? 0);
const PROFILE_DIR = join(BENCH_DIR, 'profiles');
const DIAGNOSTICS = flag('diagnostics') || (!QUICK && !flag('no-diagnostics'));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const SIZES = QUICK
  ? {
      idle: { sockets: 1000, teamSize: 100, settleMs: 500 },
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
      sends: { senders: 100, channels: 50, warmupMs: 500, windowMs: 2500 },
      history: { channels: 100, perChannel: 1000, concurrency: 10, warmupMs: 300, windowMs: 2000, limit: 50 },
      sync: { clients: 300, teamSize: 100, channelSize: 10, behind: 50 },
    }
  : {
      idle: { sockets: 5000, teamSize: 100, settleMs: 2000 },
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
      sends: { senders: 200, channels: 100, warmupMs: 1000, windowMs: 8000 },
      history: { channels: 100, perChannel: 10_000, concurrency: 10, warmupMs: 1000, windowMs: 5000, limit: 50 },
      sync: { clients: 1000, teamSize: 100, channelSize: 10, behind: 50 },
    };
const P99_LIMIT_MS = 100;
const PG_POOL = 10; // Parley's pool size with DATABASE_URL (apps/api/src/database/database.module.ts)

// ---------------------------------------------------------------------------------------------
// Run identity: a fresh database, a Redis prefix and ports of our own

const runId = randomBytes(4).toString('hex');
const DB_NAME = `parley_bench_${runId}`;
const DB_URL = databaseUrl(DB_NAME);
const REDIS_PREFIX = `parley-bench-${runId}`;
const JWT_SECRET = randomBytes(32).toString('base64url');
const BASE_PORT = 20_000 + Math.floor(Math.random() * 9000);
const PORTS = {
  seed: BASE_PORT,
  parleyA: BASE_PORT + 1,
  parleyB: BASE_PORT + 2,
  baselineA: BASE_PORT + 3,
  baselineB: BASE_PORT + 4,
};

const log = (...parts) => console.error(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(6)} s]`, ...parts);
const T0 = performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rows = [];
const details = {};
const diagnostics = [];
const cpuRows = [];

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * With --profile: a CPU profile of each Parley server over `fn` (the whole load run), written to
 * bench/profiles/<name>-<server>.cpuprofile (summarise with bench/profile-summary.mjs).
 * Profiling slows the servers: figures of a profiled run are not comparable.
 */
async function profiled(servers, name, fn) {
  if (!PROFILE) return fn();
  mkdirSync(PROFILE_DIR, { recursive: true });
  await Promise.all(servers.map((server) => server.profile('start')));
  try {
    return await fn();
  } finally {
    await Promise.all(
      servers.map((server) =>
        server.profile('stop', join(PROFILE_DIR, `${runId}-${name}-${server.name}.cpuprofile`.replace(/[^a-zA-Z0-9.-]+/g, '_'))),
      ),
    );
  }
}

/** Runs `fn(variant, round)` for Parley and baseline alternately: A B A B … */
async function alternate(label, fn) {
  const runs = { parley: [], baseline: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of ['parley', 'baseline']) {
      const started = performance.now();
      const result = await fn(variant, round);
      runs[variant].push(result);
      log(`${label} ${variant} round ${round}: ${summarize(result)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
  return runs;
}

function summarize(result) {
  return Object.entries(result)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 6)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(' ');
}

/**
 * One table row. `better` says which way is good; `target` is { ratioAtLeast } or { ratioAtMost }
 * or { p99Rule: true } (Parley p99 ≤ 2 × baseline p99 + 10 ms).
 */
function addRow(scenario, figure, unit, better, runs, pick, target = null, note = '') {
  const parley = spread(runs.parley.map(pick));
  const baseline = spread(runs.baseline.map(pick));
  const ratio = parley.median !== null && baseline.median ? parley.median / baseline.median : null;
  let met = null;
  let targetText = '';
  if (target?.ratioAtLeast !== undefined) {
    targetText = `≥ ${target.ratioAtLeast}×`;
    met = ratio !== null && ratio >= target.ratioAtLeast;
  } else if (target?.ratioAtMost !== undefined) {
    targetText = `≤ ${target.ratioAtMost}×`;
    met = ratio !== null && ratio <= target.ratioAtMost;
  } else if (target?.p99Rule) {
    targetText = '≤ 2× + 10 ms';
    met = parley.median !== null && baseline.median !== null && parley.median <= 2 * baseline.median + 10;
  }
  if (parley.median === null && target) met = false;
  rows.push({ scenario, figure, unit, better, parley, baseline, ratio, target: targetText, met, note });
}

/** CPU during a measured window, median per variant over the rounds (for the report's CPU table). */
function addCpu(scenario, window, runs, pick) {
  const entry = { scenario, window };
  for (const variant of ['parley', 'baseline']) {
    const list = runs[variant].map(pick).filter(Boolean);
    if (!list.length) continue;
    const servers = list[0].servers.map((_, i) => median(list.map((c) => c.servers[i])));
    entry[variant] = {
      servers,
      postgres: median(list.map((c) => c.postgres)),
      redis: median(list.map((c) => c.redis)),
      machineBusy: median(list.map((c) => c.machineBusy)),
      client: median(list.map((c) => c.client ?? null)),
      others: median(list.map((c) => c.others ?? null)),
    };
  }
  cpuRows.push(entry);
}

/** Transactions committed in our database so far (flushed by backends at commit or exit). */
async function xactCommits() {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows: r } = await client.query(`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1`, [DB_NAME]);
    return Number(r[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Diagnostic (not alternated): how many database transactions Parley runs per operation.
 * Starts a fresh instance, does `count` operations, stops it (its backends flush their
 * statistics on exit) and divides the commit counter's growth.
 */
let idleCycle = null;
async function transactionsPer(label, count, work) {
  const cycle = async (fn) => {
    const before = await xactCommits();
    const server = await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET });
    await fn?.(server.url);
    await server.stop();
    await sleep(700);
    return (await xactCommits()) - before;
  };
  if (!DIAGNOSTICS) return;
  // Start-up, the readiness check and shut-down alone, measured the same way, are taken off.
  idleCycle ??= await cycle(null);
  const idle = idleCycle;
  const busy = await cycle(work);
  const perOp = (busy - idle) / count;
  diagnostics.push({
    label: `Database transactions per ${label}`,
    value: Number(perOp.toFixed(2)),
    detail: `${busy - idle} over ${count}`,
  });
  log(`diagnostic: ${label}: ${perOp.toFixed(2)} transactions per operation`);
}

// ---------------------------------------------------------------------------------------------
// Data set-up

async function seed() {
  const seeder = new Seeder(DB_URL, JWT_SECRET);
  const seedServer = await startParley({
    port: PORTS.seed,
    databaseUrl: DB_URL,
    jwtSecret: JWT_SECRET,
    name: 'parley (seeding)',
  });
  seeder.apiUrl = seedServer.url;
  const data = {};
  try {
    if (ONLY.has(1)) {
      const { sockets, teamSize } = SIZES.idle;
      const users = await seeder.users(sockets, 'idle');
      data.idle = [];
      for (let t = 0; t * teamSize < sockets; t++) {
        const members = users.slice(t * teamSize, (t + 1) * teamSize);
        const team = await seeder.team(`idle-${t}`, members[0], members);
        for (const user of members)
          data.idle.push({ user, rooms: [`user:${user.id}`, `workspace:${team.workspaceId}`, `channel:${team.generalId}`] });
      }
      log(`seeded ${sockets} idle users in ${Math.ceil(sockets / teamSize)} workspaces`);
    }
    if (ONLY.has(2) || ONLY.has(4)) {
      const largest = Math.max(...SIZES.fanout.members);
      const users = await seeder.users(largest, 'fanout');
      const channels = Object.fromEntries(SIZES.fanout.members.map((m) => [`fanout-${m}`, users.slice(0, m)]));
      const team = await seeder.team('fanout', users[0], users, channels);
      data.fanout = SIZES.fanout.members.map((m) => {
        const channelId = team.channels[`fanout-${m}`];
        const roomsOf = (u) => [
          `user:${u.id}`,
          `workspace:${team.workspaceId}`,
          `channel:${team.generalId}`,
          `channel:${channelId}`,
        ];
        return { members: m, channelId, users: users.slice(0, m), roomsOf };
      });
      log(`seeded fan-out channels of ${SIZES.fanout.members.join(' and ')} members`);
    }
    if (ONLY.has(3)) {
      const { senders, channels } = SIZES.sends;
      const users = await seeder.users(senders, 'sends');
      const team = await seeder.team('sends', users[0], users);
      const channelIds = await seeder.channels(team.workspaceId, users[0].id, 'sends', channels);
      const assignment = users.map((user, i) => ({ user, channelId: channelIds[i % channels] }));
      await seeder.addChannelMembers(assignment.map((a) => [a.channelId, a.user.id]));
      data.sends = assignment;
      log(`seeded ${senders} senders in ${channels} channels`);
    }
    if (ONLY.has(5)) {
      const { channels, perChannel } = SIZES.history;
      const [reader] = await seeder.users(1, 'history');
      const team = await seeder.team('history', reader, [reader]);
      const channelIds = await seeder.channels(team.workspaceId, reader.id, 'history', channels);
      await seeder.addChannelMembers(channelIds.map((id) => [id, reader.id]));
      const t = performance.now();
      await seeder.messages(channelIds, reader.id, perChannel);
      const { rows: count } = await seeder.query(`SELECT count(*)::int AS n FROM messages`);
      log(
        `seeded ${count[0].n.toLocaleString('en-US')} messages in ${((performance.now() - t) / 1000).toFixed(1)} s (one INSERT … SELECT generate_series)`,
      );
      data.history = { reader, channelIds };

      const { clients, teamSize, channelSize, behind } = SIZES.sync;
      const users = await seeder.users(clients, 'sync');
      data.sync = [];
      for (let t = 0; t * teamSize < clients; t++) {
        const members = users.slice(t * teamSize, (t + 1) * teamSize);
        const team = await seeder.team(`sync-${t}`, members[0], members);
        const chans = await seeder.channels(team.workspaceId, members[0].id, `sync`, Math.ceil(members.length / channelSize));
        const pairs = members.map((user, i) => [chans[Math.floor(i / channelSize)], user.id]);
        await seeder.addChannelMembers(pairs);
        await seeder.messages(chans, members[0].id, behind + 10);
        for (const [channelId, userId] of pairs) {
          const user = members.find((m) => m.id === userId);
          data.sync.push({
            user,
            channelId,
            cursor: 10,
            rooms: [`user:${user.id}`, `workspace:${team.workspaceId}`, `channel:${team.generalId}`, `channel:${channelId}`],
          });
        }
      }
      log(`seeded ${clients} sync clients (${teamSize} per workspace, ${channelSize} per channel, ${behind} messages behind)`);
    }
    await seeder.query('VACUUM ANALYZE');
  } finally {
    await seedServer.stop();
    await seeder.close();
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function scenarioIdle(data) {
  const { sockets, settleMs } = SIZES.idle;
  const runs = await alternate('1 idle', async (variant, round) => {
    const server =
      variant === 'parley'
        ? await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET })
        : await startBaseline({ port: PORTS.baselineA });
    try {
      await sleep(500);
      const before = await server.memory();
      let after = null;
      const clients = data.idle.map(({ user, rooms }) =>
        variant === 'parley' ? { token: user.token } : { userId: user.id, rooms },
      );
      const result = await profiled(variant === 'parley' ? [server] : [], `idle-r${round}`, () =>
        runLoad(
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
  });
  details.idle = runs;
  const label = `${sockets.toLocaleString('en-US')} sockets`;
  addRow('1 Idle connections', `RSS per connection (${label})`, 'KiB', 'lower', runs, (r) => r.rssKiB, { ratioAtMost: 1.5 });
  addRow('1 Idle connections', `JS heap per connection, after GC (${label})`, 'KiB', 'lower', runs, (r) => r.heapKiB, {
    ratioAtMost: 1.5,
  });
  addRow('1 Idle connections', `Connects per second (100 handshakes in flight)`, '/s', 'higher', runs, (r) => r.connectsPerSec);
}

/**
 * Fan-out ladders then fixed-rate windows for each channel size. `servers` gives, per variant,
 * where the sender and the receivers connect.
 */
async function fanout(scenario, data, servers, label, sizes) {
  const cfg = SIZES.fanout;
  const serverList = (variant) => [...new Set([servers[variant].sender, servers[variant].receivers])];
  for (const channel of data.fanout.filter((c) => sizes.includes(c.members))) {
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
    const ladder = await alternate(`${label} ${m} members ladder`, async (variant, round) => {
      const r = await profiled(variant === 'parley' ? serverList(variant) : [], `${label}-${m}-ladder-r${round}`, () =>
        runLoad(
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
    });
    const fixedDps = Math.max(100, Math.round(median(ladder.baseline.map((r) => r.maxGoodDps)) / 2));
    const fixed = await alternate(`${label} ${m} members at ${fixedDps} deliveries/s`, async (variant, round) => {
      const r = await profiled(variant === 'parley' ? serverList(variant) : [], `${label}-${m}-fixed-r${round}`, () =>
        runLoad(
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
    });
    details[`${scenario}-${m}`] = { ladder, fixedDps, fixed };
    const limits = ladder.parley.map((r) => r.limit).filter(Boolean);
    const limitNote = limits.length
      ? `Parley's first failing rate: deliver p99 ${limits.map((l) => (l.p99 === null ? 'lost' : `${Math.round(l.p99)} ms`)).join('/')}, ack p99 ${limits.map((l) => (l.ackP99 === null ? 'lost' : `${Math.round(l.ackP99)} ms`)).join('/')}`
      : '';
    addRow(
      scenario,
      `${m} members: max deliveries/s with p99 ≤ ${P99_LIMIT_MS} ms`,
      '/s',
      'higher',
      ladder,
      (r) => r.maxGoodDps,
      { ratioAtLeast: 0.8 },
      limitNote,
    );
    addCpu(scenario, `${m} members, at the best ladder rate`, ladder, (r) => r.bestCpu);
    addCpu(scenario, `${m} members, at the first failing ladder rate`, ladder, (r) => r.limit?.cpu);
    addCpu(scenario, `${m} members, at ${fixedDps.toLocaleString('en-US')} deliveries/s`, fixed, (r) => r.cpu);
    addRow(
      scenario,
      `${m} members: send→deliver p50 at ${fixedDps.toLocaleString('en-US')}/s (½ baseline max)`,
      'ms',
      'lower',
      fixed,
      (r) => r.p50,
    );
    addRow(
      scenario,
      `${m} members: send→deliver p99 at ${fixedDps.toLocaleString('en-US')}/s`,
      'ms',
      'lower',
      fixed,
      (r) => r.p99,
      { p99Rule: true },
      fixed.parley.some((r) => r.missing) ? 'deliveries lost or late past the drain window' : '',
    );
    addRow(
      scenario,
      `${m} members: send→ack p50 at ${fixedDps.toLocaleString('en-US')}/s (Parley: after commit)`,
      'ms',
      'lower',
      fixed,
      (r) => r.ackP50,
    );
  }
}

async function scenarioFanout(data) {
  const parley = await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET });
  const baseline = await startBaseline({ port: PORTS.baselineA });
  try {
    await fanout(
      '2 Fan-out, one instance',
      data,
      { parley: { sender: parley, receivers: parley }, baseline: { sender: baseline, receivers: baseline } },
      '2 fan-out',
      SIZES.fanout.members,
    );
    // How fast one channel can take persisted messages at all: every send updates the same
    // channels row, so commits into one channel are serialised by its row lock.
    if (!DIAGNOSTICS) return;
    const channel = data.fanout[0];
    const ceilings = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await runLoad(
        'baselines/pg-sends.mjs',
        {
          databaseUrl: DB_URL,
          senders: Array.from({ length: PG_POOL }, () => ({ userId: channel.users[0].id, channelId: channel.channelId })),
          warmupMs: 300,
          windowMs: QUICK ? 1000 : 2000,
          poolSize: PG_POOL,
        },
        { timeoutMs: 60_000 },
      );
      ceilings.push(r);
    }
    const best = median(ceilings.map((r) => r.msgsPerSec));
    details.oneChannelCeiling = ceilings;
    diagnostics.push({
      label: `One channel, raw SQL (INSERT + seq update, one row per transaction, ${PG_POOL} in flight): messages/s`,
      value: Math.round(best),
      detail: `median of ${ROUNDS}; ack p50 ${median(ceilings.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(ceilings.map((r) => r.p99)).toFixed(2)} ms`,
    });
  } finally {
    await Promise.all([parley.stop(), baseline.stop()]);
  }
}

async function scenarioTwoInstances(data) {
  const redis = { redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX };
  const [parleyA, parleyB, baselineA, baselineB] = await Promise.all([
    startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET, ...redis }),
    startParley({ port: PORTS.parleyB, databaseUrl: DB_URL, jwtSecret: JWT_SECRET, ...redis }),
    startBaseline({ port: PORTS.baselineA, ...redis }),
    startBaseline({ port: PORTS.baselineB, ...redis }),
  ]);
  try {
    await fanout(
      '4 Two instances on Redis',
      data,
      { parley: { sender: parleyA, receivers: parleyB }, baseline: { sender: baselineA, receivers: baselineB } },
      '4 two instances',
      SIZES.fanout.twoInstanceMembers,
    );
  } finally {
    await Promise.all([parleyA.stop(), parleyB.stop(), baselineA.stop(), baselineB.stop()]);
  }
}

async function scenarioSends(data) {
  const cfg = SIZES.sends;
  const parley = await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET });
  let runs;
  try {
    runs = await alternate('3 persisted sends', async (variant, round) => {
      if (variant === 'parley') {
        return profiled([parley], `sends-r${round}`, () =>
          runLoad(
            'load/sends.mjs',
            {
              url: parley.url,
              senders: data.sends.map((s) => ({ auth: { token: s.user.token }, channelId: s.channelId })),
              warmupMs: cfg.warmupMs,
              windowMs: cfg.windowMs,
            },
            { timeoutMs: 120_000, servers: [parley] },
          ),
        );
      }
      return runLoad(
        'baselines/pg-sends.mjs',
        {
          databaseUrl: DB_URL,
          senders: data.sends.map((s) => ({ userId: s.user.id, channelId: s.channelId })),
          warmupMs: cfg.warmupMs,
          windowMs: cfg.windowMs,
          poolSize: PG_POOL,
        },
        { timeoutMs: 120_000 },
      );
    });
  } finally {
    await parley.stop();
  }
  details.sends = runs;
  addCpu('3 Persisted sends', 'measured window', runs, (r) => r.cpu);
  const label = `${cfg.senders} senders, ${cfg.channels} channels`;
  addRow(
    '3 Persisted sends',
    `Messages/s committed and acked (${label})`,
    '/s',
    'higher',
    runs,
    (r) => r.msgsPerSec,
    { ratioAtLeast: 2 },
    runs.parley.some((r) => r.errors) ? `${runs.parley.reduce((a, r) => a + r.errors, 0)} failed sends` : '',
  );
  addRow('3 Persisted sends', 'Ack latency p50', 'ms', 'lower', runs, (r) => r.p50);
  addRow('3 Persisted sends', 'Ack latency p99', 'ms', 'lower', runs, (r) => r.p99);

  // Diagnostic: the one-message statement MessagesService.send used before group commit, through
  // plain pg, same senders, same pool: what one row per transaction costs with Parley's checks.
  const statementRuns = [];
  for (let round = 1; round <= (DIAGNOSTICS ? ROUNDS : 0); round++) {
    statementRuns.push(
      await runLoad(
        'baselines/pg-sends.mjs',
        {
          databaseUrl: DB_URL,
          senders: data.sends.map((s) => ({ userId: s.user.id, channelId: s.channelId })),
          warmupMs: cfg.warmupMs,
          windowMs: cfg.windowMs,
          poolSize: PG_POOL,
          statement: 'parley',
        },
        { timeoutMs: 120_000 },
      ),
    );
  }
  details.sendsParleyStatement = statementRuns;
  if (statementRuns.length)
    diagnostics.push({
      label: `Parley's one-message send statement from before group commit (bench/baselines/pg-sends.mjs) through plain pg, ${cfg.senders} senders, pool of ${PG_POOL}: messages/s`,
      value: Math.round(median(statementRuns.map((r) => r.msgsPerSec))),
      detail: `median of ${ROUNDS}; p50 ${median(statementRuns.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(statementRuns.map((r) => r.p99)).toFixed(1)} ms; compare with both rows above`,
    });

  // Diagnostic: database transactions per socket send.
  const sample = data.sends[0];
  await transactionsPer('sendMessage (socket)', 300, async (url) => {
    await runLoad(
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
}

async function scenarioHistory(data) {
  const cfg = SIZES.history;
  const parley = await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET });
  const common = {
    channelIds: data.history.channelIds,
    concurrency: cfg.concurrency,
    warmupMs: cfg.warmupMs,
    windowMs: cfg.windowMs,
    limit: cfg.limit,
  };
  let runs;
  try {
    runs = await alternate('5 history', (variant, round) =>
      variant === 'parley'
        ? profiled([parley], `history-r${round}`, () =>
            runLoad(
              'load/history.mjs',
              { ...common, url: parley.url, token: data.history.reader.token },
              { timeoutMs: 120_000, servers: [parley] },
            ),
          )
        : runLoad('baselines/pg-history.mjs', { ...common, databaseUrl: DB_URL, poolSize: PG_POOL }, { timeoutMs: 120_000 }),
    );
  } finally {
    await parley.stop();
  }
  details.history = runs;
  addCpu('5 History', 'measured window', runs, (r) => r.cpu);
  const total = cfg.channels * cfg.perChannel;
  const label = `${total.toLocaleString('en-US')} messages, ${cfg.concurrency} concurrent`;
  addRow('5 History and reconnect', `History page (50) p50 (${label}); baseline: raw SQL`, 'ms', 'lower', runs, (r) => r.p50);
  addRow('5 History and reconnect', 'History page p99', 'ms', 'lower', runs, (r) => r.p99, { ratioAtMost: 3 });
  addRow('5 History and reconnect', 'History pages per second', '/s', 'higher', runs, (r) => r.perSec);

  // Sync: every client reconnects at once and asks for what it missed.
  const scfg = SIZES.sync;
  const parleyS = await startParley({ port: PORTS.parleyA, databaseUrl: DB_URL, jwtSecret: JWT_SECRET });
  const baseline = await startBaseline({ port: PORTS.baselineA, databaseUrl: DB_URL });
  let syncRuns;
  try {
    syncRuns = await alternate('5 reconnect + sync', (variant, round) => {
      const clients = data.sync.map(({ user, channelId, cursor, rooms }) => ({
        auth: variant === 'parley' ? { token: user.token } : { userId: user.id, rooms },
        cursors: { [channelId]: cursor },
      }));
      return profiled(variant === 'parley' ? [parleyS] : [], `sync-r${round}`, () =>
        runLoad(
          'load/sync.mjs',
          { url: variant === 'parley' ? parleyS.url : baseline.url, clients, behind: scfg.behind },
          { timeoutMs: 180_000 },
        ),
      );
    });
  } finally {
    await Promise.all([parleyS.stop(), baseline.stop()]);
  }
  details.sync = syncRuns;
  const bad = syncRuns.parley.concat(syncRuns.baseline).filter((r) => r.failed || r.wrong);
  const note = bad.length ? `failed or incomplete syncs: ${bad.map((r) => `${r.failed}/${r.wrong}`).join(', ')}` : '';
  const sl = `${scfg.clients.toLocaleString('en-US')} clients × ${scfg.behind} missed`;
  addRow(
    '5 History and reconnect',
    `Reconnect + sync, all done (${sl}); baseline: raw Socket.IO + raw SQL`,
    'ms',
    'lower',
    syncRuns,
    (r) => r.totalMs,
    null,
    note,
  );
  addRow(
    '5 History and reconnect',
    'Reconnect + sync per client p50 (connect start → sync ack)',
    'ms',
    'lower',
    syncRuns,
    (r) => r.p50,
  );
  addRow('5 History and reconnect', 'Reconnect + sync per client p99', 'ms', 'lower', syncRuns, (r) => r.p99);

  await transactionsPer('GET /api/channels/:id/messages', 200, async (url) => {
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
  await transactionsPer('socket connect + sync (one channel)', 100, async (url) => {
    const clients = data.sync
      .slice(0, 100)
      .map(({ user, channelId, cursor }) => ({ auth: { token: user.token }, cursors: { [channelId]: cursor } }));
    await runLoad('load/sync.mjs', { url, clients, behind: scfg.behind }, { timeoutMs: 60_000 });
  });
}

// ---------------------------------------------------------------------------------------------
// Machine, report, clean-up

async function machine() {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  const { rows: v } = await client.query('SHOW server_version');
  await client.end();
  let redisVersion = 'unreachable';
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
    await redis.quit();
  } catch {
    /* reported as unreachable */
  }
  const pkg = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  let commit = '?';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs'], { cwd: ROOT }).toString().trim();
    if (dirty) commit += ' (apps/libs modified)';
  } catch {
    /* not a git checkout */
  }
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? '?',
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: v[0].server_version,
    redis: redisVersion,
    socketIo: pkg('socket.io'),
    socketIoClient: pkg('socket.io-client'),
    commit,
    webAppServed: existsSync(join(ROOT, 'dist/web/browser/index.html')),
  };
}

async function cleanRedis() {
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    let removed = 0;
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) removed += await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    await redis.quit();
    return removed;
  } catch {
    return 0;
  }
}

let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await stopAll();
  removeSnapshot(runId);
  await dropDatabase(DB_NAME).catch((error) => log(`could not drop ${DB_NAME}: ${error.message}`));
  const removed = await cleanRedis();
  log(`cleaned up: database ${DB_NAME} dropped, ${removed} Redis keys under ${REDIS_PREFIX}:* removed`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/**
 * How busy the machine is before we start (cores, from /proc/stat over 3 s, 1.5 s with --quick). Other people's
 * processes skew every figure; with --wait-quiet=N this waits up to N minutes for < 0.3 cores.
 */
async function backgroundLoad() {
  const deadline = Date.now() + WAIT_QUIET_MIN * 60_000;
  for (;;) {
    const a = cpuSnapshot();
    await sleep(QUICK ? 1500 : 3000);
    const b = cpuSnapshot();
    const busyCores = Number(
      (((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total || 1)) * os.cpus().length).toFixed(2),
    );
    if (busyCores < 0.3 || Date.now() >= deadline) {
      if (busyCores >= 0.3)
        log(`warning: the machine is already busy (${busyCores} cores used by other processes); figures will be noisy`);
      return busyCores;
    }
    log(
      `the machine is busy (${busyCores} cores used by other processes); waiting for it to quieten (--wait-quiet=${WAIT_QUIET_MIN})`,
    );
    await sleep(10_000);
  }
}

async function main() {
  const started = new Date();
  setPostgresDatabase(DB_NAME);
  const snapshot = snapshotParley(runId);
  const info = await machine();
  info.apiBuiltAt = snapshot.builtAt.toISOString();
  info.loadAverageAtStart = os.loadavg().map((v) => Number(v.toFixed(2)));
  info.busyCoresBeforeStart = await backgroundLoad();
  log(
    `${QUICK ? 'quick' : 'full'} run ${runId}: ${ROUNDS} round(s), scenarios ${[...ONLY].join(',')}; database ${DB_NAME}, Redis prefix ${REDIS_PREFIX}`,
  );
  await createDatabase(DB_NAME);
  try {
    const data = await seed();
    if (ONLY.has(1)) await scenarioIdle(data);
    if (ONLY.has(2)) await scenarioFanout(data);
    if (ONLY.has(3)) await scenarioSends(data);
    if (ONLY.has(4)) await scenarioTwoInstances(data);
    if (ONLY.has(5)) await scenarioHistory(data);
  } finally {
    await cleanup();
  }
  info.loadAverageAtEnd = os.loadavg().map((v) => Number(v.toFixed(2)));
  const durationSec = Math.round((performance.now() - T0) / 1000);
  const report = {
    date: started.toISOString(),
    mode: QUICK ? 'quick' : 'full',
    profiled: PROFILE,
    rounds: ROUNDS,
    durationSec,
    machine: info,
    sizes: SIZES,
    rows,
    cpu: cpuRows,
    diagnostics,
    details,
  };
  const markdown = renderMarkdown(report);
  console.log(markdown);
  if (WRITE) {
    const dir = join(BENCH_DIR, 'results');
    mkdirSync(dir, { recursive: true });
    const day = started.toISOString().slice(0, 10);
    const base = join(dir, QUICK ? `${day}-quick` : day);
    writeFileSync(`${base}.md`, markdown);
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    log(`written ${base}.md and ${base}.json`);
  }
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error?.stack ?? error);
    await cleanup();
    process.exit(1);
  },
);
