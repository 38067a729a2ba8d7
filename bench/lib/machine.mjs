// What the report says about the machine a run measured on, and how busy it was before.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { adminQuery } from './db.mjs';
import { cpuSnapshot, ROOT } from './procs.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function machine(redisUrl) {
  const { rows: v } = await adminQuery('SHOW server_version');
  let redisVersion = 'unreachable';
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
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

/**
 * How busy the machine is before we start (cores, from /proc/stat over 3 s, 1.5 s with --quick). Other people's
 * processes skew every figure; with --wait-quiet=N this waits up to N minutes for < 0.3 cores.
 */
export async function backgroundLoad({ quick, waitQuietMin, log }) {
  const deadline = Date.now() + waitQuietMin * 60_000;
  for (;;) {
    const a = cpuSnapshot();
    await sleep(quick ? 1500 : 3000);
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
      `the machine is busy (${busyCores} cores used by other processes); waiting for it to quieten (--wait-quiet=${waitQuietMin})`,
    );
    await sleep(10_000);
  }
}

/** Removes the run's Redis keys (`prefix:*`); returns how many. */
export async function cleanRedis(redisUrl, prefix) {
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    let cursor = '0';
    let removed = 0;
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
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
