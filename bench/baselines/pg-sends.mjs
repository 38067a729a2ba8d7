// Scenario 3 baseline: the same INSERT with the per-channel seq update, one row per
// transaction (autocommit), by a plain `pg` pool of Parley's size (10) driven by as many
// closed-loop workers as Parley has senders. Runs as its own process, like a load generator.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Recorder } from '../lib/stats.mjs';
import { childMain, payloadText, windowCpu } from '../lib/sio.mjs';

const INSERT = `WITH c AS (UPDATE channels SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id) SELECT $1, last_seq, $2, $3, $4 FROM c`;

// The one-message send statement MessagesService.send used before group commit (from
// apps/api/src/messages/messages.service.ts: membership check, thread check, the sender's read
// position, RETURNING the row), for the diagnostic "Parley's one-message send statement".
const MAY_POST = `
  EXISTS (SELECT 1 FROM channel_members cm
            JOIN workspace_members wm ON wm.workspace_id = c.workspace_id AND wm.user_id = cm.user_id AND wm.deactivated_at IS NULL
            JOIN workspaces w ON w.id = c.workspace_id AND w.deleted_at IS NULL
           WHERE cm.channel_id = c.id AND cm.user_id = $2)`;
const PARLEY_INSERT = `WITH c AS (
   UPDATE channels c SET last_seq = c.last_seq + 1
    WHERE c.id = $1 AND c.archived_at IS NULL AND ${MAY_POST}
      AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM messages t WHERE t.id = $5 AND t.channel_id = $1 AND t.thread_root_id IS NULL AND t.deleted_at IS NULL))
    RETURNING c.last_seq
 ), read AS (
   UPDATE channel_members SET last_read_seq = (SELECT last_seq FROM c)
    WHERE channel_id = $1 AND user_id = $2 AND EXISTS (SELECT 1 FROM c)
 )
 INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id, thread_root_id)
 SELECT $1, c.last_seq, $2, $3, $4, $5 FROM c
 RETURNING id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id`;

childMain(async ({ databaseUrl, senders, warmupMs, windowMs, poolSize, statement = 'baseline' }) => {
  const sql = statement === 'parley' ? PARLEY_INSERT : INSERT;
  const params = statement === 'parley' ? (a) => [...a, null] : (a) => a;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));
  const latency = new Recorder(1 << 16);
  let acked = 0;
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + windowMs;
  const cpuWindow = windowMs ? windowCpu(measureFrom, end) : null;
  async function loop({ channelId, userId }) {
    let n = 0;
    while (performance.now() < end) {
      const t = performance.now();
      let ok = true;
      try {
        await pool.query(sql, params([channelId, userId, payloadText(n++), randomUUID()]));
      } catch (error) {
        ok = false;
        firstError ??= error.message;
      }
      const done = performance.now();
      if (t >= measureFrom && done <= end) {
        if (ok) {
          acked++;
          latency.record(done - t);
        } else errors++;
      }
    }
  }
  await Promise.all(senders.map(loop));
  await pool.end();
  const s = latency.summary();
  const cpu = cpuWindow ? await cpuWindow : null;
  return {
    cpu,
    msgsPerSec: (acked / windowMs) * 1000,
    acked,
    errors,
    firstError,
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    concurrency: senders.length,
  };
});
