// What a newcomer does first: `npm start` with no configuration at all (embedded database, no
// Redis, no mail server: sign-in codes and invite links in the terminal), the server left idle
// for a minute, then two people in two browsers: sign up, create a workspace, invite, accept, chat.
// Whatever DATABASE_URL, REDIS_URL or SMTP_URL the environment has, this test runs without them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, launchBrowser, root, snap } from '../support/env.mjs';

const IDLE_MS = Number(process.env.E2E_IDLE_MS ?? 60_000);

let server;
let browser;
let url;
let log = '';
let dataDir;

async function startParley() {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'parley-npm-start-'));
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'JWT_SECRET', 'PUBLIC_URL', 'LOG_LEVEL', 'LOG_FORMAT']) delete env[name];
  // `npm start` runs a tree of processes (npm, scripts/start.mjs, npm, the api): a group of its own, ended together.
  server = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (chunk) => (log += chunk));
  server.stderr.on('data', (chunk) => (log += chunk));
  url = `http://localhost:${port}`;
  const deadline = Date.now() + 240_000; // builds first if the build is out of date
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`npm start did not become healthy:\n${log}`);
}

/** The newest line the server printed that names `email` and carries a match of `pattern`, waiting for it. */
async function fromTerminal(email, pattern, after = 0) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const lines = log.slice(after).split('\n').filter((line) => line.includes(email));
    for (const line of lines.reverse()) {
      const match = pattern.exec(line);
      if (match) return match[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`npm start printed nothing for ${email} matching ${pattern}:\n${log.slice(-4000)}`);
}

before(async () => {
  await startParley();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Signs a newcomer up through the page ("Continue with email"), with the code that `npm start` printed. */
async function signUp(page, email, displayName) {
  await page.getByLabel('Email').waitFor();
  const printed = log.length;
  if ((await page.getByLabel('Email').inputValue()) !== email) await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue with email' }).click();
  const code = await fromTerminal(email, /\b(\d{6,})\b/, printed);
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Create account' }).click();
}

const messages = (page) => page.locator('[role="log"] [data-testid="message"]');

test(`after npm start and ${IDLE_MS / 1000} s idle, two newcomers sign up, invite, accept and chat`, { timeout: IDLE_MS + 180_000 }, async () => {
  const health = await (await fetch(`${url}/health`)).json();
  assert.equal(health.services.database, 'up', JSON.stringify(health));

  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));

  const stamp = Date.now().toString(36);
  const anaEmail = `ana-${stamp}@example.com`;
  const brunoEmail = `bruno-${stamp}@example.com`;

  const contextA = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pageA = await contextA.newPage();
  await pageA.goto(url);
  await signUp(pageA, anaEmail, 'Ana Lima');
  await pageA.getByLabel('Workspace name').fill('Newcomers');
  await pageA.getByRole('button', { name: 'Create workspace' }).click();
  await pageA.getByRole('heading', { name: '# general' }).waitFor();
  await snap(pageA, 'npm-start-01-workspace');

  const printed = log.length;
  await pageA.getByRole('button', { name: 'Invite people' }).click();
  await pageA.getByLabel('Email address').fill(brunoEmail);
  await pageA.getByRole('button', { name: 'Send invite' }).click();
  await pageA.getByText(`Invite sent to ${brunoEmail}`).waitFor();
  await pageA.keyboard.press('Escape');
  const link = await fromTerminal(brunoEmail, /(http:\/\/\S+\/invite\/[\w-]+)/, printed);

  // Bruno has no account yet: the link takes him through sign-up and back to the invite.
  const contextB = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const pageB = await contextB.newPage();
  await pageB.goto(link.replace(/^http:\/\/[^/]+/, url));
  await pageB.getByText(`Ana Lima invited ${brunoEmail} to Newcomers on Parley.`).waitFor();
  await pageB.getByRole('button', { name: 'Continue with email' }).click();
  await signUp(pageB, brunoEmail, 'Bruno Costa');
  await pageB.getByRole('button', { name: 'Accept invite' }).click();
  await pageB.getByRole('heading', { name: '# general' }).waitFor();

  await pageA.getByLabel('Message', { exact: true }).fill('Welcome, Bruno!');
  await pageA.getByLabel('Message', { exact: true }).press('Enter');
  try {
    await messages(pageB).filter({ hasText: 'Welcome, Bruno!' }).waitFor({ timeout: 5000 });
  } catch (error) {
    await snap(pageA, 'npm-start-fail-a');
    await snap(pageB, 'npm-start-fail-b');
    throw error;
  }

  await pageB.getByLabel('Message', { exact: true }).fill('Thanks, Ana!');
  await pageB.getByLabel('Message', { exact: true }).press('Enter');
  await messages(pageA).filter({ hasText: 'Thanks, Ana!' }).waitFor({ timeout: 5000 });
  await snap(pageA, 'npm-start-02-chat-a');
  await snap(pageB, 'npm-start-03-chat-b');

  assert.doesNotMatch(log, /prepared statement .* already exists/);
  assert.doesNotMatch(log, /\bERROR\b/, 'npm start logged an error');
  await contextA.close();
  await contextB.close();
});
