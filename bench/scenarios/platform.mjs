// 6. HTTP platform: the same app module on Fastify (@nestjs/platform-fastify) against Express,
// on the history route and the two sign-in routes, over keep-alive HTTP. Three servers run side by
// side on the run's database: Express as main.js starts it (createApp), and Express and Fastify on
// the same bare set-up (bench/lib/platform-main.cjs: createApp without its Express-only
// middleware), so the second comparison is platform against platform and the first is what a
// switch would gain over today's app. In the table the Parley column is Fastify, the Baseline column
// Express; the ratio is Fastify ÷ Express.
import { createHmac } from 'node:crypto';
import pg from 'pg';

/** What every verify sends; the codes are stored for it by SQL before each run (hashed as SignInCodesService does). */
const CODE = '424242';

/** The audit event each sign-in request leaves. */
const AUDIT_ACTION = { code: 'auth.code.request', verify: 'auth.sign_in' };

const ROUTES = [
  { route: 'history', title: 'History page (50)' },
  { route: 'code', title: 'POST /api/auth/code' },
  { route: 'verify', title: 'POST /api/auth/verify (refresh token in the body)' },
];

const EXPRESS = [
  { key: 'expressApp', label: 'Express (createApp, as main.js)' },
  { key: 'expressBare', label: 'Express (same bare set-up)' },
];

export default {
  id: 6,
  name: '6 HTTP platform',
  sizes: {
    quick: {
      platform: {
        channels: 100,
        perChannel: 1000,
        signInUsers: 5000,
        concurrency: 10,
        warmupRunMs: 1500,
        warmupMs: 300,
        windowMs: 2000,
        limit: 50,
      },
    },
    full: {
      platform: {
        channels: 100,
        perChannel: 10_000,
        signInUsers: 10_000,
        concurrency: 10,
        warmupRunMs: 3000,
        warmupMs: 1000,
        windowMs: 5000,
        limit: 50,
      },
    },
  },

  async seed(ctx, seeder) {
    const { channels, perChannel, signInUsers } = ctx.sizes.platform;
    const [reader] = await seeder.users(1, 'platform');
    const team = await seeder.team('platform', reader, [reader]);
    const channelIds = await seeder.channels(team.workspaceId, reader.id, 'platform', channels);
    await seeder.addChannelMembers(channelIds.map((id) => [id, reader.id]));
    await seeder.messages(channelIds, reader.id, perChannel);
    const emails = (await seeder.users(signInUsers, 'signin')).map((user) => user.email);
    ctx.log(`seeded ${(channels * perChannel).toLocaleString('en-US')} history messages and ${signInUsers} accounts to sign in`);
    return { reader, channelIds, emails };
  },

  async setup(ctx) {
    const pool = new pg.Pool({ connectionString: ctx.dbUrl, max: 2 });
    const servers = {
      pool,
      expressApp: await ctx.startParley('expressApp', { name: 'express-app' }),
      expressBare: await ctx.startParley('expressBare', { name: 'express-bare', platform: 'express' }),
      fastify: await ctx.startParley('fastify', { name: 'fastify', platform: 'fastify' }),
    };
    return servers;
  },

  measurements(ctx, data, servers) {
    const cfg = ctx.sizes.platform;
    let runs = 0;
    /**
     * One load run of `route` against `server`; verify first gets a fresh code for every email. The
     * sign-in routes must leave one audit event per request on every platform (the audit context
     * lives in AsyncLocalStorage, opened by a middleware, which Fastify runs differently), else the
     * platforms would not be doing the same work: `audited` counts them.
     */
    const load = async (server, route, { warmupMs = cfg.warmupMs, windowMs = cfg.windowMs } = {}) => {
      if (route === 'verify') await issueCodes(servers.pool, ctx.jwtSecret, data.emails);
      const action = AUDIT_ACTION[route];
      const before = action ? await auditCount(servers.pool, action) : 0;
      const result = await ctx.runLoad(
        'load/platform.mjs',
        {
          url: server.url,
          route,
          token: data.reader.token,
          items: route === 'history' ? data.channelIds : data.emails,
          code: CODE,
          tag: `${server.name}-${++runs}`,
          concurrency: cfg.concurrency,
          warmupMs,
          windowMs,
          limit: cfg.limit,
        },
        { timeoutMs: 120_000, servers: [server] },
      );
      if (!action) return result;
      const audited = (await auditCount(servers.pool, action)) - before;
      if (audited !== result.sent) ctx.log(`${server.name} ${route}: ${result.sent} requests but ${audited} audit events`);
      return { ...result, audited };
    };
    const measured = async (server, route, round) => {
      const result = await ctx.profiled([server], `platform-${route}-r${round}`, () => load(server, route));
      if (result.errors || result.firstError)
        ctx.log(`${server.name} ${route}: ${result.errors} errors, first: ${result.firstError}`);
      return result;
    };

    return ROUTES.flatMap(({ route, title }) =>
      EXPRESS.map(({ key, label }, index) => ({
        label: `6 ${route}: fastify vs ${servers[key].name}`,
        // The first comparison of a route warms every server up on it (code paths compiled, pools filled).
        setup: async () => {
          if (index > 0) return;
          for (const server of [servers.expressApp, servers.expressBare, servers.fastify])
            await load(server, route, { warmupMs: cfg.warmupRunMs, windowMs: 0 });
        },
        parley: (round) => measured(servers.fastify, route, round),
        baseline: (round) => measured(servers[key], route, round),
        report: (result) => {
          ctx.details[`platform-${route}-${key}`] = result;
          const scenario = '6 HTTP platform (Parley column: Fastify)';
          const against = `Fastify vs ${label}`;
          ctx.addCpu(`6 ${route}, ${against}`, 'measured window', result, (r) => r.cpu);
          ctx.addRow(scenario, `${title} per second, ${against}`, '/s', 'higher', result, (r) => r.perSec, { ratioAtLeast: 1.3 });
          ctx.addRow(scenario, `${title} p50`, 'ms', 'lower', result, (r) => r.p50);
          ctx.addRow(scenario, `${title} p99`, 'ms', 'lower', result, (r) => r.p99, { ratioAtMost: 1 });
          ctx.addRow(scenario, `${title} server CPU per request`, 'ms', 'lower', result, (r) =>
            r.cpu && r.perSec ? (r.cpu.servers[0] * 1000) / r.perSec : null,
          );
        },
      })),
    );
  },

  async teardown(ctx, servers) {
    await Promise.all([servers.expressApp?.stop(), servers.expressBare?.stop(), servers.fastify?.stop(), servers.pool?.end()]);
  },
};

async function auditCount(pool, action) {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1`, [action]);
  return rows[0].n;
}

/** One live code (CODE) for each email, its earlier ones used up, so every verify run does the same work. */
async function issueCodes(pool, jwtSecret, emails) {
  const hashes = emails.map((email) => createHmac('sha256', jwtSecret).update(`sign-in-code\0${email}\0${CODE}`).digest('hex'));
  await pool.query(`UPDATE sign_in_codes SET consumed_at = now() WHERE consumed_at IS NULL AND email = ANY($1::text[])`, [
    emails,
  ]);
  await pool.query(
    `INSERT INTO sign_in_codes (email, code_hash, expires_at) SELECT unnest($1::text[]), unnest($2::text[]), now() + interval '1 hour'`,
    [emails, hashes],
  );
}
