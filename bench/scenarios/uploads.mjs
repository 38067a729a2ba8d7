// 8. File uploads (issue 14): one person uploads one file of random bytes (50 MiB, quick 10 MiB)
// into a channel with POST /api/channels/:id/files, `count` times one after the other, streamed
// from disk as multipart — Parley on the local disk against `cp` of the same file on the same disk,
// and Parley on S3 (an s3rver in its own process) against a raw S3 PUT of the same file to the same
// s3rver (lib-storage's Upload, the driver's part size and queue). While Parley takes the uploads
// its RSS is watched from outside the process (/proc/<pid>/status: VmRSS every 50 ms, and the
// kernel's high-water mark VmHWM, reset just before), on a Parley started fresh for each round: a
// server that streams grows by its buffers and their garbage (on S3 also the driver's parts in
// flight), the same whatever the file's size; one that buffers grows by the file's size.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCENARIO = '8 File uploads';
const MIB = 1024 * 1024;
const BUCKET = 'parley-bench-files';
/** s3rver's own keys: it checks request signatures against them. */
const S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const SAMPLE_MS = 50;

/** `mib` MiB of random bytes at `path`, written 1 MiB at a time (never the whole file in memory). */
function randomFile(path, mib) {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mib; i++) writeSync(fd, randomBytes(MIB));
  } finally {
    closeSync(fd);
  }
}

/** VmRSS and VmHWM of a process, in MiB (read from outside: nothing runs in the server). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/**
 * Answers the load generator's 'rss' questions about `server`: at 'begin', resets the kernel's
 * high-water mark to the current RSS (writing 5 to /proc/<pid>/clear_refs) and starts sampling
 * VmRSS every 50 ms; at 'end', the peak (the high-water mark when the reset worked, else the
 * highest sample) and the highest sample.
 */
function rssWatcher(server) {
  let timer = null;
  let sampledPeak = 0;
  let samples = 0;
  let hwmReset = false;
  const sample = () => {
    try {
      sampledPeak = Math.max(sampledPeak, memoryOf(server.pid).rss);
      samples++;
    } catch {
      /* gone */
    }
  };
  return (message, reply) => {
    if (message?.type !== 'rss') return;
    if (message.cmd === 'begin') {
      try {
        writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
        hwmReset = true;
      } catch {
        hwmReset = false;
      }
      const before = memoryOf(server.pid).rss;
      sampledPeak = before;
      samples = 0;
      timer = setInterval(sample, SAMPLE_MS);
      reply({ cmd: 'rss', beforeMiB: before });
    } else if (message.cmd === 'end') {
      clearInterval(timer);
      sample();
      const { hwm } = memoryOf(server.pid);
      reply({ cmd: 'rss', peakMiB: hwmReset ? Math.max(hwm, sampledPeak) : sampledPeak, sampledPeakMiB: sampledPeak, samples });
    }
  };
}

export default {
  id: 8,
  name: SCENARIO,
  sizes: {
    quick: { uploads: { fileMiB: 10, count: 3 } },
    full: { uploads: { fileMiB: 50, count: 5 } },
  },

  async seed(ctx, seeder) {
    const [user] = await seeder.users(1, 'upload');
    const team = await seeder.team('uploads', user, [user], { uploads: [user] });
    ctx.log('seeded one uploader and a channel (uploads)');
    return { user, channelId: team.channels.uploads };
  },

  /** The file to upload (and a 1 MiB one for the warm-ups), in a temporary directory on the same disk as the storage. */
  async setup(ctx) {
    const { fileMiB } = ctx.sizes.uploads;
    const dir = mkdtempSync(join(tmpdir(), `parley-bench-${ctx.runId}-uploads-`));
    const file = join(dir, 'upload.bin');
    const warmup = join(dir, 'warmup.bin');
    randomFile(file, fileMiB);
    randomFile(warmup, 1);
    ctx.log(`made ${fileMiB} MiB of random bytes in ${file}`);
    return { dir, file, warmup };
  },

  measurements(ctx, data, { dir, file, warmup }) {
    const { fileMiB, count } = ctx.sizes.uploads;
    const parleyAuth = (server) => ({ url: server.url, token: data.user.token, channelId: data.channelId });
    const timeoutMs = 60_000 + count * fileMiB * 2000;

    /**
     * One round on a fresh Parley (`env` its storage): started, warmed up with one upload of the
     * 1 MiB file (code paths loaded, first connections made), then the measured uploads with its RSS
     * watched, then stopped. Fresh each round so every round's RSS growth starts from the same place
     * (a server keeps the pages of its first uploads: on one server, later rounds grew by ~0).
     */
    const uploads = async (port, env, others, round, storage) => {
      const server = await ctx.startParley(port, { env });
      try {
        const warm = await ctx.runLoad('load/upload.mjs', { mode: 'parley', file: warmup, count: 1, parley: parleyAuth(server) });
        if (warm.errors) throw new Error(`${SCENARIO}: the warm-up upload failed: ${warm.firstError}`);
        const run = await ctx.profiled([server], `uploads-${storage}-r${round}`, () =>
          ctx.runLoad(
            'load/upload.mjs',
            { mode: 'parley', file, count, parley: parleyAuth(server), watchRss: true },
            { timeoutMs, servers: [server, ...others], onMessage: rssWatcher(server) },
          ),
        );
        const mib = (v) => v.toFixed(1);
        ctx.log(
          `  ${storage} RSS: ${mib(run.rssBeforeMiB)} MiB before, peak ${mib(run.rssPeakMiB)} (highest of ${run.rssSamples} samples ${mib(run.rssSampledPeakMiB)}); uploads ${run.times.join(', ')} ms`,
        );
        return run;
      } finally {
        await server.stop();
        rmSync(env.DATA_DIR, { recursive: true, force: true });
      }
    };

    const report = (storage, baselineName) => (runs) => {
      ctx.details[`uploads-${storage}`] = runs;
      ctx.addCpu(SCENARIO, `${count} uploads of ${fileMiB} MiB, ${storage}`, runs, (r) => r.cpu);
      const all = runs.parley.concat(runs.baseline);
      const failed = all.reduce((a, r) => a + r.errors, 0);
      const note = failed ? `${failed} failed (first: ${all.find((r) => r.firstError)?.firstError})` : '';
      ctx.addRow(
        SCENARIO,
        `Upload throughput, ${storage}, median of ${count} uploads of ${fileMiB} MiB; baseline: ${baselineName}`,
        'MiB/s',
        'higher',
        runs,
        (r) => r.mibPerSec,
        null,
        note,
      );
      ctx.addRow(SCENARIO, `Time per upload, ${storage} (median)`, 'ms', 'lower', runs, (r) => r.msPerUpload);
      ctx.addRow(
        SCENARIO,
        `Server RSS growth during the uploads, ${storage} (peak over just before); baseline: the file size`,
        'MiB',
        'lower',
        { parley: runs.parley, baseline: runs.parley.map(() => ({ rssGrowthMiB: fileMiB })) },
        (r) => r.rssGrowthMiB ?? null,
        null,
        'streaming: growth ≪ file size',
      );
    };

    return [
      {
        label: '8 uploads, local disk',
        async setup() {
          const copyDir = join(dir, 'cp');
          mkdirSync(copyDir);
          return { copyDir };
        },
        parley: (round) =>
          uploads('parleyA', { DATA_DIR: join(dir, 'parley-local'), FILE_STORAGE: 'local' }, [], round, 'local disk'),
        baseline: (round, { copyDir }) => ctx.runLoad('load/upload.mjs', { mode: 'cp', file, count, copyDir }, { timeoutMs }),
        report: report('local disk', '`cp` on the same disk'),
      },
      {
        label: '8 uploads, S3',
        async setup() {
          const s3Dir = join(dir, 's3rver');
          mkdirSync(s3Dir);
          const s3rver = await ctx.startS3rver(s3Dir, BUCKET);
          const s3 = { endpoint: s3rver.url, bucket: BUCKET, region: 'us-east-1', ...S3_KEYS };
          const env = {
            DATA_DIR: join(dir, 'parley-s3'),
            FILE_STORAGE: 's3',
            S3_ENDPOINT: s3.endpoint,
            S3_BUCKET: BUCKET,
            S3_REGION: s3.region,
            S3_ACCESS_KEY_ID: S3_KEYS.accessKeyId,
            S3_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey,
            S3_FORCE_PATH_STYLE: 'true',
          };
          return { s3rver, s3, env };
        },
        // The CPU table's server column reads Parley + s3rver for Parley, s3rver alone for the raw PUT.
        parley: (round, { s3rver, env }) => uploads('parleyB', env, [s3rver], round, 'S3'),
        baseline: (round, { s3rver, s3 }) =>
          ctx.runLoad('load/upload.mjs', { mode: 's3', file, count, s3 }, { timeoutMs, servers: [s3rver] }),
        teardown: async ({ s3rver }) => {
          await s3rver?.stop();
        },
        report: report('S3 (s3rver)', 'raw S3 PUT (lib-storage Upload, 8 MiB parts, 2 in flight) to the same s3rver'),
      },
    ];
  },

  async teardown(ctx, { dir }) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
