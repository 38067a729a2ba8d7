// The world a browser test runs in: a real SMTP sink, a fresh database (PostgreSQL when
// DATABASE_URL is set, else the embedded one), Redis when REDIS_URL is set, the built api
// serving the built web app, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createDatabase, databaseName, dropDatabase } from '../../test-support/databases.cjs';
import { SmtpSink } from '../../test-support/smtp-sink.cjs';

export const root = join(import.meta.dirname, '..', '..');
export const artefacts = join(root, 'test-results', 'e2e');
const mainJs = join(root, 'dist/api/apps/api/src/main.js');
const webDir = join(root, 'dist/web/browser');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The SMTP sink shared with the api's tests (test-support/smtp-sink.cjs); a browser is slower, so waits last 10 s. */
export function startSmtpSink() {
  return SmtpSink.start({ timeoutMs: 10_000 });
}

/** Starts one api process from the build; `stop()` ends it, `start()` brings it back on the same port and data. */
export async function startApi({ smtpUrl, env = {} } = {}) {
  if (!existsSync(mainJs) || !existsSync(join(webDir, 'index.html'))) {
    throw new Error('Build first: npm run build (the browser tests run the built api and web app)');
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const serverUrl = process.env.DATABASE_URL || null;
  const database = serverUrl ? await createDatabase(serverUrl, databaseName('parley_e2e')) : null;
  const baseEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    WEB_DIR: webDir,
    SMTP_URL: smtpUrl ?? '',
    JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    LOG_LEVEL: 'warn',
    // Every browser test signs its people in from 127.0.0.1, some many times over; with Redis the
    // per email+address counts also outlive an api restart within a file.
    RATE_LIMIT_CODE_PER_EMAIL_ADDRESS: '100',
    RATE_LIMIT_VERIFY_PER_EMAIL_ADDRESS: '100',
    DATABASE_URL: database ?? '',
    REDIS_URL: process.env.REDIS_URL ?? '',
    ...env,
  };
  let child = null;
  let log = '';
  const api = {
    url: `http://127.0.0.1:${port}`,
    /** The api's own PostgreSQL database (for seeding in bulk), or null on the embedded database. */
    databaseUrl: database,
    get log() {
      return log;
    },
    async start() {
      child = spawn(process.execPath, [mainJs], { env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}:\n${log}`);
        try {
          const response = await fetch(`${api.url}/health`);
          if (response.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`api did not become healthy:\n${log}`);
    },
    /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async destroy() {
      await api.stop();
      if (database) await dropDatabase(serverUrl, database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await api.start();
  return api;
}

export async function launchBrowser() {
  mkdirSync(artefacts, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Everything one test file runs against: the SMTP sink, the api and Chromium. `stop()` ends
 * whatever of them started, so a file whose setup failed leaves nothing running.
 */
export async function startWorld({ env } = {}) {
  const world = {
    sink: null,
    api: null,
    browser: null,
    async stop() {
      await world.browser?.close();
      await world.api?.destroy();
      await world.sink?.stop();
    },
  };
  try {
    world.sink = await startSmtpSink();
    world.api = await startApi({ smtpUrl: world.sink.url, env });
    world.browser = await launchBrowser();
  } catch (error) {
    await world.stop();
    throw error;
  }
  return world;
}

/** Saves a screenshot as a test artefact under test-results/e2e/. */
export async function snap(page, name) {
  await page.screenshot({ path: join(artefacts, `${name}.png`), fullPage: false });
}
