#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only=1,3] [-- --rounds=N] [-- --no-write]
//
// Starts the built Parley api (dist/) against PostgreSQL and Redis, and the baselines of
// bench/baselines/, and drives them from load generators in separate processes
// (bench/load/*.mjs). Each figure is measured on Parley and on its baseline alternately
// (A B A B …) and reported as min / median / max with the ratio of medians.
// Output: a Markdown table on stdout and in bench/results/<date>.md, with JSON beside it.
//
// This file is the runner; each scenario is a module of bench/scenarios/ with one shape:
//   id, name, sizes: { quick, full }      its number (--only), its name, its sizes (report.sizes)
//   seed(ctx, seeder) → data              its data, made while the seeding instance runs
//   setup?(ctx, data) → servers           servers its measurements share
//   measurements(ctx, data, servers) → [{ label, setup?() → own, parley(round, own),
//                                          baseline(round, own), teardown?(own), report(runs) }]
//                                          the Parley run and the raw baseline run of each figure,
//                                          alternated A B A B by ctx.alternate; report adds the rows
//   teardown?(ctx, servers)               stops them
//   diagnostics?(ctx, data)               not alternated, after teardown; only with --diagnostics
// `ctx` (bench/lib/context.mjs) holds the options, the run's database, ports and secrets, and the report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createContext } from './lib/context.mjs';
import { adminQuery, createDatabase, dropDatabase, Seeder } from './lib/db.mjs';
import { backgroundLoad, cleanRedis, machine } from './lib/machine.mjs';
import { BENCH_DIR, removeSnapshot, setPostgresDatabase, snapshotParley, stopAll } from './lib/procs.mjs';
import { renderMarkdown } from './lib/report.mjs';
import fanout from './scenarios/fanout.mjs';
import history from './scenarios/history.mjs';
import idle from './scenarios/idle.mjs';
import mixed from './scenarios/mixed.mjs';
import platform from './scenarios/platform.mjs';
import sends from './scenarios/sends.mjs';
import twoInstances from './scenarios/two-instances.mjs';
import uploads from './scenarios/uploads.mjs';

/** In the order they run (and seed). */
const SCENARIOS = [idle, fanout, sends, twoInstances, history, platform, mixed, uploads];

// ---------------------------------------------------------------------------------------------
// Options

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
if (flag('help')) {
  console.log(
    'npm run bench [-- --quick] [--only=1,2,3,4,5,6,7,8] [--rounds=N] [--no-write] [--wait-quiet=MIN] [--profile] [--diagnostics|--no-diagnostics] | --render=<results.json>',
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
const ONLY = new Set((option('only') ?? SCENARIOS.map((s) => s.id).join(',')).split(',').map(Number));
const WRITE = !flag('no-write');
const WAIT_QUIET_MIN = Number(option('wait-quiet') ?? 0);

const ctx = createContext({
  quick: QUICK,
  rounds: Number(option('rounds') ?? (QUICK ? 1 : 3)),
  profile: flag('profile'),
  diagnostics: flag('diagnostics') || (!QUICK && !flag('no-diagnostics')),
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  sizes: Object.assign({}, ...SCENARIOS.map((s) => s.sizes[QUICK ? 'quick' : 'full'])),
});
const { log } = ctx;
const selected = SCENARIOS.filter((s) => ONLY.has(s.id));

// ---------------------------------------------------------------------------------------------
// Data set-up: one Parley instance applies the migrations and serves the seeder's api calls.

async function seed() {
  const seeder = new Seeder(ctx.dbUrl, ctx.jwtSecret);
  const seedServer = await ctx.startParley('seed', { name: 'parley (seeding)' });
  seeder.apiUrl = seedServer.url;
  const data = new Map();
  try {
    for (const scenario of selected) data.set(scenario, await scenario.seed(ctx, seeder));
    await seeder.query('VACUUM ANALYZE');
  } finally {
    await seedServer.stop();
    await seeder.close();
  }
  return data;
}

/** One scenario: its servers, each measurement alternated and reported, its diagnostics. */
async function run(scenario, data) {
  const servers = (await scenario.setup?.(ctx, data)) ?? {};
  try {
    for (const measurement of scenario.measurements(ctx, data, servers)) {
      const own = { ...servers, ...((await measurement.setup?.()) ?? {}) };
      let runs;
      try {
        runs = await ctx.alternate(measurement.label, {
          parley: (round) => measurement.parley(round, own),
          baseline: (round) => measurement.baseline(round, own),
        });
      } finally {
        await measurement.teardown?.(own);
      }
      measurement.report(runs);
    }
  } finally {
    await scenario.teardown?.(ctx, servers);
  }
  if (ctx.withDiagnostics) await scenario.diagnostics?.(ctx, data);
}

// ---------------------------------------------------------------------------------------------
// Clean-up and the report

let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await stopAll();
  removeSnapshot(ctx.runId);
  await dropDatabase(ctx.dbName).catch((error) => log(`could not drop ${ctx.dbName}: ${error.message}`));
  const removed = await cleanRedis(ctx.redisUrl, ctx.redisPrefix);
  log(`cleaned up: database ${ctx.dbName} dropped, ${removed} Redis keys under ${ctx.redisPrefix}:* removed`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const started = new Date();
  setPostgresDatabase(ctx.dbName);
  const snapshot = snapshotParley(ctx.runId);
  const info = await machine(ctx.redisUrl);
  info.apiBuiltAt = snapshot.builtAt.toISOString();
  info.loadAverageAtStart = os.loadavg().map((v) => Number(v.toFixed(2)));
  info.busyCoresBeforeStart = await backgroundLoad({ quick: QUICK, waitQuietMin: WAIT_QUIET_MIN, log });
  info.autovacuum = (await adminQuery('SHOW autovacuum')).rows[0].autovacuum;
  log(
    `${QUICK ? 'quick' : 'full'} run ${ctx.runId}: ${ctx.rounds} round(s), scenarios ${[...ONLY].join(',')}; database ${ctx.dbName}, Redis prefix ${ctx.redisPrefix}`,
  );
  await createDatabase(ctx.dbName);
  try {
    const data = await seed();
    for (const scenario of selected) await run(scenario, data.get(scenario));
  } finally {
    await cleanup();
  }
  info.loadAverageAtEnd = os.loadavg().map((v) => Number(v.toFixed(2)));
  const durationSec = Math.round((performance.now() - ctx.T0) / 1000);
  const report = {
    date: started.toISOString(),
    mode: QUICK ? 'quick' : 'full',
    profiled: ctx.profile,
    rounds: ctx.rounds,
    durationSec,
    machine: info,
    sizes: ctx.sizes,
    ...ctx.report,
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
