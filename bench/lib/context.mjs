// What every scenario of a run shares (bench/scenarios/*.mjs get it as `ctx`): the options, the
// run's identity (database, Redis prefix, ports, JWT secret), starting servers on them, the A B A B
// alternation, and the report's rows, CPU readings, diagnostics and details.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { adminQuery, databaseQuery, databaseUrl } from './db.mjs';
import { BENCH_DIR, runLoad, startBaseline, startParley, startS3rver } from './procs.mjs';
import { median, spread } from './stats.mjs';

export const P99_LIMIT_MS = 100;
export const PG_POOL = 10; // Parley's pool size with DATABASE_URL (apps/api/src/database/database.module.ts)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `options`: { quick, rounds, profile, diagnostics, redisUrl, sizes }. Returns the context the
 * runner and the scenarios use; `ctx.report` collects what the run measured.
 */
export function createContext({ quick, rounds, profile, diagnostics: withDiagnostics, redisUrl, sizes }) {
  const T0 = performance.now();
  const runId = randomBytes(4).toString('hex');
  const dbName = `parley_bench_${runId}`;
  const dbUrl = databaseUrl(dbName);
  const jwtSecret = randomBytes(32).toString('base64url');
  const basePort = 20_000 + Math.floor(Math.random() * 9000);
  const ports = {
    seed: basePort,
    parleyA: basePort + 1,
    parleyB: basePort + 2,
    baselineA: basePort + 3,
    baselineB: basePort + 4,
    // Scenario 6 runs three at once: Express as main.js starts it, Express and Fastify on the same bare set-up.
    expressApp: basePort + 5,
    expressBare: basePort + 6,
    fastify: basePort + 7,
    // Scenario 8: the S3-protocol server (s3rver).
    s3: basePort + 8,
  };
  const profileDir = join(BENCH_DIR, 'profiles');
  const rows = [];
  const cpuRows = [];
  const diagnostics = [];
  const details = {};
  let idleCycle = null;

  const log = (...parts) => console.error(`[bench ${((performance.now() - T0) / 1000).toFixed(1).padStart(6)} s]`, ...parts);

  function summarize(result) {
    return Object.entries(result)
      .filter(([, v]) => typeof v === 'number')
      .slice(0, 6)
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
      .join(' ');
  }

  /**
   * Before every run: VACUUM ANALYZE of the run's database, when the server's autovacuum is off
   * (as on the CI machine, whose conf.d turns it off). Without it the statistics never catch up
   * with the rows the runs add, so a statement is planned for a table a hundredth of its size (a
   * scan where an index lookup belongs), and dead rows pile up: each round ran slower than the one
   * before, the runs that update rows most of all. With autovacuum on, the server does this
   * itself, as a production server does.
   */
  let autovacuumOff = null;
  async function settleDatabase() {
    autovacuumOff ??= (await adminQuery('SHOW autovacuum')).rows[0].autovacuum === 'off';
    if (autovacuumOff) await databaseQuery(dbName, 'VACUUM ANALYZE');
  }

  /** Transactions committed in our database so far (flushed by backends at commit or exit). */
  async function xactCommits() {
    const { rows: r } = await adminQuery(`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1`, [dbName]);
    return Number(r[0].n);
  }

  const ctx = {
    T0,
    quick,
    rounds,
    profile,
    withDiagnostics,
    sizes,
    runId,
    dbName,
    dbUrl,
    jwtSecret,
    ports,
    redisUrl,
    redisPrefix: `parley-bench-${runId}`,
    log,
    sleep,
    runLoad,
    report: { rows, cpu: cpuRows, diagnostics, details },
    details,

    /**
     * A Parley instance on the run's database (`port` a key of ctx.ports), optionally on Redis,
     * optionally on a chosen HTTP platform (bench/lib/platform-main.cjs), with `env` added to
     * (or overriding) its environment (scenario 8: DATA_DIR, FILE_STORAGE, S3_*).
     */
    startParley(port = 'parleyA', { redis = false, name, platform, env } = {}) {
      return startParley({
        port: ports[port],
        databaseUrl: dbUrl,
        jwtSecret,
        ...(redis ? { redisUrl, redisPrefix: ctx.redisPrefix } : {}),
        ...(name ? { name } : {}),
        ...(platform ? { platform } : {}),
        ...(env ? { env } : {}),
      });
    },

    /** An S3-protocol server (s3rver) on ctx.ports.s3, its objects under `directory`, `bucket` created. */
    startS3rver(directory, bucket) {
      return startS3rver({ port: ports.s3, directory, bucket });
    },

    /** The minimal Socket.IO baseline server, optionally on Redis, optionally with the run's database (for sync). */
    startBaseline(port = 'baselineA', { redis = false, database = false } = {}) {
      return startBaseline({
        port: ports[port],
        ...(redis ? { redisUrl, redisPrefix: ctx.redisPrefix } : {}),
        ...(database ? { databaseUrl: dbUrl } : {}),
      });
    },

    /**
     * With --profile: a CPU profile of each Parley server over `fn` (the whole load run), written to
     * bench/profiles/<name>-<server>.cpuprofile (summarise with bench/profile-summary.mjs).
     * Profiling slows the servers: figures of a profiled run are not comparable.
     */
    async profiled(servers, name, fn) {
      if (!profile) return fn();
      mkdirSync(profileDir, { recursive: true });
      await Promise.all(servers.map((server) => server.profile('start')));
      try {
        return await fn();
      } finally {
        await Promise.all(
          servers.map((server) =>
            server.profile(
              'stop',
              join(profileDir, `${runId}-${name}-${server.name}.cpuprofile`.replace(/[^a-zA-Z0-9.-]+/g, '_')),
            ),
          ),
        );
      }
    },

    /**
     * Runs the Parley run and the raw baseline run of a measurement alternately, A B A B …, one pair
     * per round: `runs.parley(round)` and `runs.baseline(round)`. Returns { parley: [], baseline: [] }.
     */
    async alternate(label, runs) {
      const results = { parley: [], baseline: [] };
      for (let round = 1; round <= rounds; round++) {
        for (const variant of ['parley', 'baseline']) {
          await settleDatabase();
          const started = performance.now();
          const result = await runs[variant](round);
          results[variant].push(result);
          log(
            `${label} ${variant} round ${round}: ${summarize(result)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
          );
        }
      }
      return results;
    },

    /**
     * One table row. `better` says which way is good; `target` is { ratioAtLeast } or { ratioAtMost }
     * or { p99Rule: true } (Parley p99 ≤ 2 × baseline p99 + 10 ms).
     */
    addRow(scenario, figure, unit, better, runs, pick, target = null, note = '') {
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
    },

    /** CPU during a measured window, median per variant over the rounds (for the report's CPU table). */
    addCpu(scenario, window, runs, pick) {
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
    },

    /** A line under the tables (not alternated). */
    addDiagnostic(label, value, detail) {
      diagnostics.push({ label, value, detail });
    },

    /**
     * Diagnostic (not alternated): how many database transactions Parley runs per operation.
     * Starts a fresh instance, does `count` operations, stops it (its backends flush their
     * statistics on exit) and divides the commit counter's growth.
     */
    async transactionsPer(label, count, work) {
      const cycle = async (fn) => {
        const before = await xactCommits();
        const server = await ctx.startParley();
        await fn?.(server.url);
        await server.stop();
        await sleep(700);
        return (await xactCommits()) - before;
      };
      if (!withDiagnostics) return;
      // Start-up, the readiness check and shut-down alone, measured the same way, are taken off.
      idleCycle ??= await cycle(null);
      const idle = idleCycle;
      const busy = await cycle(work);
      const perOp = (busy - idle) / count;
      ctx.addDiagnostic(`Database transactions per ${label}`, Number(perOp.toFixed(2)), `${busy - idle} over ${count}`);
      log(`diagnostic: ${label}: ${perOp.toFixed(2)} transactions per operation`);
    },
  };
  return ctx;
}
