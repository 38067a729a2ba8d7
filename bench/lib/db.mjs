// Database set-up for a run: a fresh database, users with live sessions and minted tokens,
// workspaces made through the api (so roles and #general are real), members and channels by SQL.
import pg from 'pg';
import * as shared from '../../test-support/databases.cjs';
import { signAccessToken } from './jwt.mjs';

export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the admin server. */
export function databaseUrl(name) {
  return shared.databaseUrl(ADMIN_URL, name);
}

export function adminQuery(sql, params) {
  return shared.serverQuery(ADMIN_URL, sql, params);
}

/** One statement in database `name`, on a connection of its own. */
export function databaseQuery(name, sql, params) {
  return shared.serverQuery(databaseUrl(name), sql, params);
}

/** The run's own database (shared with the tests: test-support/databases.cjs); only parley_bench_… names. */
export async function createDatabase(name) {
  if (!/^parley_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to create database ${name}`);
  await shared.createDatabase(ADMIN_URL, name);
}

export async function dropDatabase(name) {
  if (!/^parley_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop database ${name}`);
  await shared.dropDatabase(ADMIN_URL, name);
}

export class Seeder {
  constructor(url, jwtSecret) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    this.jwtSecret = jwtSecret;
    this.apiUrl = null;
    this.userCount = 0;
  }

  query(sql, params) {
    return this.pool.query(sql, params);
  }

  /** `count` users, each with one live session and an access token. */
  async users(count, label) {
    const first = this.userCount + 1;
    this.userCount += count;
    const { rows } = await this.query(
      `WITH u AS (
         INSERT INTO users (email, display_name)
         SELECT 'bench-' || $3 || '-' || lpad(i::text, 6, '0') || '@bench.invalid', 'Bench ' || $3 || ' ' || i FROM generate_series($1::int, $2::int) i
         RETURNING id, email)
       , s AS (
         INSERT INTO sessions (user_id, user_agent, ip, last_used_at, expires_at)
         SELECT id, 'parley-bench', '127.0.0.1', now(), now() + interval '1 day' FROM u
         RETURNING id AS sid, user_id)
       SELECT u.id, s.sid, u.email FROM u JOIN s ON s.user_id = u.id ORDER BY u.email`,
      [first, first + count - 1, label],
    );
    return rows.map((row) => ({
      id: row.id,
      sid: row.sid,
      email: row.email,
      token: signAccessToken(this.jwtSecret, row.id, row.sid),
    }));
  }

  async api(method, path, token, body) {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /**
   * A workspace created by `owner` through the api (roles, #general), with `members` added as
   * Members by SQL, all of them in #general; `channels` maps extra public channel names to
   * the users in them. Returns { workspaceId, generalId, channels: { name: id } }.
   */
  async team(name, owner, members, channels = {}) {
    const workspace = await this.api('POST', '/api/workspaces', owner.token, { name });
    const workspaceId = workspace.id;
    const others = members.filter((m) => m.id !== owner.id).map((m) => m.id);
    const { rows: roles } = await this.query(`SELECT id FROM roles WHERE workspace_id = $1 AND built_in = 'member'`, [
      workspaceId,
    ]);
    await this.query(`INSERT INTO workspace_members (workspace_id, user_id, role_id) SELECT $1, unnest($2::uuid[]), $3`, [
      workspaceId,
      others,
      roles[0].id,
    ]);
    const { rows: general } = await this.query(`SELECT id FROM channels WHERE workspace_id = $1 AND name = 'general'`, [
      workspaceId,
    ]);
    const generalId = general[0].id;
    await this.query(`INSERT INTO channel_members (channel_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [
      generalId,
      others,
    ]);
    const ids = {};
    for (const [channelName, users] of Object.entries(channels)) {
      const { rows } = await this.query(
        `INSERT INTO channels (workspace_id, type, name, created_by) VALUES ($1, 'public', $2, $3) RETURNING id`,
        [workspaceId, channelName, owner.id],
      );
      ids[channelName] = rows[0].id;
      await this.query(`INSERT INTO channel_members (channel_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [
        rows[0].id,
        users.map((u) => u.id),
      ]);
    }
    return { workspaceId, generalId, channels: ids };
  }

  /** Many public channels at once: names `${prefix}-${i}`; returns their ids in order. */
  async channels(workspaceId, createdBy, prefix, count) {
    const { rows } = await this.query(
      `INSERT INTO channels (workspace_id, type, name, created_by)
       SELECT $1, 'public', $2 || '-' || lpad(i::text, 6, '0'), $3 FROM generate_series(1, $4::int) i
       RETURNING id, name`,
      [workspaceId, prefix, createdBy, count],
    );
    return rows.sort((a, b) => a.name.localeCompare(b.name)).map((row) => row.id);
  }

  async addChannelMembers(pairs) {
    if (!pairs.length) return;
    await this.query(
      `INSERT INTO channel_members (channel_id, user_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  /**
   * `perChannel` messages in each channel (seq 1..perChannel) with ≈200-byte texts, in one
   * INSERT … SELECT generate_series statement; then channels.last_seq is brought up to date.
   */
  async messages(channelIds, senderId, perChannel) {
    await this.query(
      `INSERT INTO messages (channel_id, seq, sender_id, text, client_msg_id, created_at)
       SELECT c.id, g, $2, 'history message ' || g || ' ' || repeat('x', 180), gen_random_uuid(),
              now() - make_interval(secs => ($3::int - g))
         FROM unnest($1::uuid[]) AS c(id) CROSS JOIN generate_series(1, $3::int) g`,
      [channelIds, senderId, perChannel],
    );
    await this.query(`UPDATE channels SET last_seq = $2 WHERE id = ANY($1::uuid[])`, [channelIds, perChannel]);
    await this.query(`ANALYZE messages`);
    await this.query(`ANALYZE channels`);
  }

  /**
   * A burst of `perChannel` edits in each channel: the newest `perChannel` messages each get a
   * new text, a version and a change row (change_seq 1..perChannel, the rows the api writes for
   * an edit), in three INSERT/UPDATE … SELECT statements; channels.last_change_seq follows.
   */
  async edits(channelIds, actorId, perChannel) {
    await this.query(
      `INSERT INTO message_versions (message_id, text, written_at, replaced_at)
       SELECT m.id, m.text, m.created_at, now() FROM messages m JOIN channels c ON c.id = m.channel_id
        WHERE m.channel_id = ANY($1::uuid[]) AND m.seq > c.last_seq - $2::int`,
      [channelIds, perChannel],
    );
    await this.query(
      `UPDATE messages m SET text = 'edited ' || m.seq || ' ' || repeat('y', 180), edited_at = now()
         FROM channels c WHERE c.id = m.channel_id AND m.channel_id = ANY($1::uuid[]) AND m.seq > c.last_seq - $2::int`,
      [channelIds, perChannel],
    );
    await this.query(
      `INSERT INTO message_changes (channel_id, change_seq, message_id, kind, actor_id)
       SELECT m.channel_id, m.seq - (c.last_seq - $2::int), m.id, 'edited', $3
         FROM messages m JOIN channels c ON c.id = m.channel_id
        WHERE m.channel_id = ANY($1::uuid[]) AND m.seq > c.last_seq - $2::int`,
      [channelIds, perChannel, actorId],
    );
    await this.query(`UPDATE channels SET last_change_seq = $2 WHERE id = ANY($1::uuid[])`, [channelIds, perChannel]);
    await this.query(`ANALYZE message_changes`);
  }

  async close() {
    await this.pool.end();
  }
}
