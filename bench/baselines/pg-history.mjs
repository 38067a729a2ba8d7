// Scenario 5a baseline: the raw history query (newest page, limit+1 rows for hasMore) by a
// plain `pg` pool of Parley's size, at the same concurrency as the HTTP load.
import pg from 'pg';
import { closedLoop } from '../lib/closed-loop.mjs';
import { childMain } from '../lib/sio.mjs';

const HISTORY = `SELECT id, channel_id, seq, sender_id, text, client_msg_id, created_at, edited_at, deleted_at, thread_root_id
  FROM messages WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2`;

childMain(async ({ databaseUrl, channelIds, concurrency, warmupMs, windowMs, limit, poolSize }) => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));
  const result = await closedLoop({
    channelIds,
    concurrency,
    warmupMs,
    windowMs,
    attempt: async (channelId) => {
      const { rows } = await pool.query(HISTORY, [channelId, limit + 1]);
      return rows.length === limit + 1 ? null : `${rows.length} rows`;
    },
  });
  await pool.end();
  return result;
});
