// Scenario 5a baseline: the raw history query (newest page, limit+1 rows for hasMore) by a
// plain `pg` pool of Parley's size, at the same concurrency as the HTTP load.
import pg from 'pg';
import { Recorder } from '../lib/stats.mjs';
import { childMain, windowCpu } from '../lib/sio.mjs';

const HISTORY = `SELECT id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id
  FROM messages WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2`;

childMain(async ({ databaseUrl, channelIds, concurrency, warmupMs, windowMs, limit, poolSize }) => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));
  const latency = new Recorder(1 << 16);
  let ok = 0;
  let errors = 0;
  let firstError = null;
  let next = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = windowMs ? windowCpu(measureFrom, end) : null;
  async function worker() {
    while (performance.now() < end) {
      const channelId = channelIds[next++ % channelIds.length];
      const t = performance.now();
      let good = false;
      try {
        const { rows } = await pool.query(HISTORY, [channelId, limit + 1]);
        good = rows.length === limit + 1;
        if (!good) firstError ??= `${rows.length} rows`;
      } catch (error) {
        firstError ??= error.message;
      }
      const done = performance.now();
      if (t >= measureFrom && done <= end) {
        if (good) {
          ok++;
          latency.record(done - t);
        } else errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.end();
  const s = latency.summary();
  const cpu = cpuWindow ? await cpuWindow : null;
  return { cpu, perSec: (ok / windowMs) * 1000, ok, errors, firstError, p50: s.p50, p99: s.p99, max: s.max };
});
