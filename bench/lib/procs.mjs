// Child processes of a run: servers under test (Parley instances, baseline servers) and load
// generators. Every child is started here, tracked by pid, and stopped by pid.
import { fork, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = join(here, '..');
export const ROOT = join(BENCH_DIR, '..');
export const PARLEY_DIST = join(ROOT, 'dist/api');
export const PARLEY_MAIN_REL = 'apps/api/src/main.js';
let parleyMain = join(PARLEY_DIST, PARLEY_MAIN_REL);

/**
 * Runs Parley from a private copy of dist/api (under bench/.run/, inside the repository so
 * node_modules resolves): a rebuild of dist/ during the run cannot change or remove it.
 */
export function snapshotParley(runId) {
  const source = join(PARLEY_DIST, PARLEY_MAIN_REL);
  if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm run build:api\` (or \`npm run build\`) first`);
  const target = join(BENCH_DIR, '.run', runId, 'api');
  cpSync(PARLEY_DIST, target, { recursive: true });
  parleyMain = join(target, PARLEY_MAIN_REL);
  return { dir: join(BENCH_DIR, '.run', runId), builtAt: statSync(source).mtime };
}

export function removeSnapshot(runId) {
  rmSync(join(BENCH_DIR, '.run', runId), { recursive: true, force: true });
  try {
    rmdirSync(join(BENCH_DIR, '.run')); // only when no other run is using it
  } catch {
    /* not empty, or gone */
  }
}
const MEM_PROBE = join(here, 'mem-probe.cjs');

const children = new Set();

/** Loopback only: every address the bench targets or binds. */
export function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`refusing to target ${url}: loopback (127.0.0.0/8) only`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ServerProcess {
  constructor(name, child, url) {
    this.name = name;
    this.child = child;
    this.url = url;
    this.pid = child.pid;
    this.output = [];
    this.exited = null;
    this.probes = new Map();
    this.probeId = 0;
    const keep = (chunk) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message) => {
      const pending = message && this.probes.get(message.memProbe);
      if (pending) {
        this.probes.delete(message.memProbe);
        pending(message);
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      children.delete(this);
    });
    children.add(this);
  }

  async ready(timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}):\n${this.tail()}`);
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return this;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    throw new Error(`${this.name} did not become ready in ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Memory after a full GC, from inside the process (bench/lib/mem-probe.cjs). */
  memory(timeoutMs = 10_000) {
    const id = ++this.probeId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probes.delete(id);
        reject(new Error(`${this.name}: no memory probe answer`));
      }, timeoutMs);
      this.probes.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.child.send({ memProbe: id });
    });
  }

  /** Starts / stops a CPU profile inside the process (bench/lib/mem-probe.cjs). */
  profile(command, file) {
    return new Promise((resolve) => {
      const listener = (message) => {
        if (message?.cpuProfile && message.cpuProfile !== command) {
          this.child.off('message', listener);
          resolve(message);
        }
      };
      this.child.on('message', listener);
      this.child.send({ cpuProfile: command, file });
    });
  }

  tail() {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }

  async stop(timeoutMs = 8000) {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = sleep(timeoutMs).then(() => 'timeout');
    if ((await Promise.race([gone, timer])) === 'timeout' && !this.exited) {
      this.child.kill('SIGKILL');
      await gone;
    }
  }
}

/**
 * A Parley api instance (the built dist), configured for load: rate limits out of the way, quiet logs.
 * With `platform` ('express' or 'fastify'), the app module on that platform with the set-up of
 * bench/lib/platform-main.cjs instead of main.js (scenario 6).
 */
export function startParley({
  port,
  databaseUrl,
  jwtSecret,
  redisUrl = null,
  redisPrefix,
  name = `parley:${port}`,
  nodeArgs = [],
  platform = null,
  env: extraEnv = {},
}) {
  const url = `http://127.0.0.1:${port}`;
  assertLoopback(url);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: url,
    RATE_LIMIT_SEND_BURST: '100000',
    RATE_LIMIT_SENDS_PER_SECOND: '100000',
    RATE_LIMIT_CODE_PER_IP: '1000000',
    RATE_LIMIT_CODE_PER_EMAIL: '1000000',
    RATE_LIMIT_VERIFY_PER_IP: '1000000',
    RATE_LIMIT_VERIFY_PER_EMAIL: '1000000',
    RATE_LIMIT_CODE_PER_EMAIL_ADDRESS: '1000000',
    RATE_LIMIT_VERIFY_PER_EMAIL_ADDRESS: '1000000',
    RATE_LIMIT_AUTH_BURST: '1000000',
    RATE_LIMIT_AUTH_PER_SECOND: '1000000',
    ...extraEnv,
  };
  if (redisUrl) {
    env.REDIS_URL = redisUrl;
    env.REDIS_PREFIX = redisPrefix;
  }
  let main = parleyMain;
  if (platform) {
    env.BENCH_PLATFORM = platform;
    env.PARLEY_API_DIR = dirname(parleyMain);
    main = join(here, 'platform-main.cjs');
  }
  const child = spawn(process.execPath, ['--expose-gc', '--require', MEM_PROBE, ...nodeArgs, main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return new ServerProcess(name, child, url).ready();
}

/** The minimal Socket.IO server of bench/baselines (optionally on the Redis adapter, optionally with pg for sync). */
export function startBaseline({
  port,
  redisUrl = null,
  redisPrefix = null,
  databaseUrl = null,
  name = `baseline:${port}`,
  nodeArgs = [],
}) {
  const url = `http://127.0.0.1:${port}`;
  assertLoopback(url);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' };
  if (redisUrl) {
    env.REDIS_URL = redisUrl;
    env.REDIS_PREFIX = redisPrefix;
  }
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--require', MEM_PROBE, ...nodeArgs, join(BENCH_DIR, 'baselines/socketio-server.mjs')],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  return new ServerProcess(name, child, url).ready();
}

/**
 * An S3-protocol server (s3rver, bench/baselines/s3rver.mjs, as the api's S3 tests use) on `port`,
 * keeping its objects under `directory`, with `bucket` created. Resolves when it listens.
 */
export function startS3rver({ port, directory, bucket, name = `s3rver:${port}` }) {
  const url = `http://127.0.0.1:${port}`;
  assertLoopback(url);
  const child = spawn(process.execPath, [join(BENCH_DIR, 'baselines/s3rver.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), S3_DIR: directory, S3_BUCKET: bucket },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const server = new ServerProcess(name, child, url);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 15 s:\n${server.tail()}`)), 15_000);
    child.on('message', (message) => {
      if (message?.s3rverReady) {
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${server.tail()}`));
    });
  });
}

/**
 * Runs a load generator (or pg baseline client) as its own process: sends it `config`, passes
 * its intermediate messages to `onMessage` (which may answer through `send`), and resolves with
 * its { type: 'result' } message. The child is killed if it outlives `timeoutMs`.
 */
export function runLoad(script, config, { timeoutMs = 120_000, onMessage, servers = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(BENCH_DIR, script), [], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
      execArgv: [],
    });
    const tracked = { child, stop: async () => child.kill('SIGKILL'), pid: child.pid };
    children.add(tracked);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    let result = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} took longer than ${timeoutMs} ms; stopped`));
    }, timeoutMs);
    child.on('message', (message) => {
      if (message?.type === 'result') result = message;
      else if (message?.type === 'error') reject(new Error(`${script}: ${message.message}`));
      else if (message?.type === 'probe') child.send({ cmd: 'probe', id: message.id, snapshot: cpuSnapshot(servers, child.pid) });
      else onMessage?.(message, (reply) => child.send(reply));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(tracked);
      if (result) resolve(result);
      else reject(new Error(`${script} exited with ${code} without a result\n${stderr.slice(-4000)}`));
    });
    child.send({ type: 'config', config });
  });
}

/** Stops everything still running (on the way out, or after a failure). */
export async function stopAll() {
  await Promise.all([...children].map((child) => child.stop().catch(() => undefined)));
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (read only): the servers under test, PostgreSQL's processes,
// redis-server, and the whole machine. Load generators ask for a snapshot at the start and
// end of each measured window (type 'probe') and turn the differences into cores used.

const CLOCK_TICKS = 100;

function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

let postgresDatabase = null;
/** Counts PostgreSQL backends of this database only (plus the server's own background processes). */
export function setPostgresDatabase(name) {
  postgresDatabase = name;
}

/** CPU ticks of the processes named postgres (this database's backends and the background ones) and redis-server. */
function sharedServiceTicks() {
  let postgres = 0;
  let redis = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'redis-server') redis += processTicks(entry);
      if (name !== 'postgres') continue;
      if (postgresDatabase) {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        // Backend titles read "postgres: [cluster: ]<user> <database> <client> <state>"; keep ours
        // and the background processes (postmaster, WAL writer, checkpointer, …).
        const backend = /^postgres: (?:\S+: )?\S+ (\S+) \d+\.\d+\.\d+\.\d+/.exec(title);
        if (backend && backend[1] !== postgresDatabase) continue;
      }
      postgres += processTicks(entry);
    } catch {
      /* gone meanwhile */
    }
  }
  return { postgres, redis };
}

function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

export function cpuSnapshot(servers = [], loadPid = null) {
  const { postgres, redis } = sharedServiceTicks();
  return {
    servers: servers.map((server) => processTicks(server.pid)),
    load: loadPid ? processTicks(loadPid) + processTicks(process.pid) : 0,
    postgres,
    redis,
    machine: machineTicks(),
    at: performance.now(),
  };
}

/** Cores used between two snapshots (1.0 = one core busy all the time). */
export function cpuBetween(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const cores = (ticks) => Number((ticks / CLOCK_TICKS / seconds).toFixed(2));
  const machineTotal = b.machine.total - a.machine.total;
  const ours =
    b.servers.reduce((sum, t, i) => sum + t - a.servers[i], 0) +
    (b.postgres - a.postgres) +
    (b.redis - a.redis) +
    (b.load - a.load);
  return {
    servers: b.servers.map((t, i) => cores(t - a.servers[i])),
    postgres: Math.max(0, cores(b.postgres - a.postgres)),
    redis: cores(b.redis - a.redis),
    /** The load generator and run.mjs. */
    client: cores(b.load - a.load),
    machineBusy: machineTotal ? Number(((b.machine.busy - a.machine.busy) / machineTotal).toFixed(2)) : null,
    /** Everything else on the machine (other people's processes): noise. */
    others: Math.min(Math.max(0, cores(b.machine.busy - a.machine.busy - ours)), os.cpus().length),
  };
}
