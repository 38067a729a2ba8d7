#!/usr/bin/env node
// Starts the built api the way the Docker image runs it: in a scratch folder holding only
// package.json, package-lock.json, `npm ci --omit=dev` and the built dist/, on the embedded
// database in a temporary DATA_DIR, and checks that /health answers 200. A module the api imports
// at run time that is not a declared production dependency (it once resolved to a dev-only copy
// of express) makes the start fail here instead of in a crash-looping container.
// Before that, every package the built api requires must be in package.json's dependencies (or
// optionalDependencies): one that only happens to be hoisted there by another package would start
// today and vanish with the next lockfile.
// Usage (after `npm run build`): node scripts/check-prod-start.mjs
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';

const root = join(import.meta.dirname, '..');
const main = 'dist/api/apps/api/src/main.js';
if (!existsSync(join(root, main))) {
  console.error(`${main} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]);
const builtins = new Set(builtinModules);
const undeclared = new Map();
const scan = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) scan(path);
    else if (entry.name.endsWith('.js')) {
      for (const [, specifier] of readFileSync(path, 'utf8').matchAll(
        /\b(?:require|import)\(\s*["']([^"'.\/][^"']*)["']\s*\)/g,
      )) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!declared.has(name) && !builtins.has(name) && !name.startsWith('node:'))
          undeclared.set(name, path.slice(root.length + 1));
      }
    }
  }
};
scan(join(root, 'dist/api'));
if (undeclared.size) {
  console.error('The built api requires packages that package.json does not declare as (optional) dependencies:');
  for (const [name, file] of undeclared) console.error(`  ${name} (in ${file})`);
  process.exit(1);
}

// The npm that wrote the lockfile (package.json's "packageManager"), through npx when another is installed.
const pinned = manifest.packageManager?.replace(/^npm@/, '');
const installed = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
const npm = pinned && pinned.split('.')[0] !== installed.split('.')[0] ? ['npx', '-y', `npm@${pinned}`] : ['npm'];

const scratch = mkdtempSync(join(tmpdir(), 'parley-prod-'));
// Node looks for node_modules in every parent folder: one above the scratch folder would hide a missing dependency.
for (let dir = dirname(scratch); dir !== parse(dir).root; dir = dirname(dir)) {
  if (existsSync(join(dir, 'node_modules')))
    throw new Error(`${join(dir, 'node_modules')} exists and would be used by the check`);
}
if (existsSync('/node_modules')) throw new Error('/node_modules exists and would be used by the check');

let child;
const cleanUp = () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
};
process.on('exit', cleanUp);

function fail(message, output = '') {
  console.error(`check-prod-start: ${message}${output ? `\n--- api output ---\n${output}` : ''}`);
  process.exit(1);
}

cpSync(join(root, 'package.json'), join(scratch, 'package.json'));
cpSync(join(root, 'package-lock.json'), join(scratch, 'package-lock.json'));
console.log(`> ${npm.join(' ')} ci --omit=dev (in ${scratch})`);
const install = spawnSync(npm[0], [...npm.slice(1), 'ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: scratch,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (install.status !== 0) fail(`npm ci --omit=dev failed (${install.status})`);
cpSync(join(root, 'dist'), join(scratch, 'dist'), { recursive: true });

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

// Only what the image sets: no DATABASE_URL or REDIS_URL from the calling shell.
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME ?? scratch,
  NODE_ENV: 'production',
  PORT: String(port),
  HOST: '127.0.0.1',
  DATA_DIR: join(scratch, 'data'),
  INSTANCE_ID: 'prod-check',
  LOG_LEVEL: 'warn',
};
let output = '';
child = spawn(process.execPath, [main], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));

const url = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 120_000;
let health;
while (Date.now() < deadline) {
  if (child.exitCode !== null) fail(`the api exited with ${child.exitCode}`, output);
  try {
    health = await fetch(`${url}/health`);
    if (health.ok) break;
  } catch {
    // not listening yet
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}
if (!health?.ok) fail(`/health did not answer 200 within 120 s (last: ${health?.status ?? 'no answer'})`, output);
const body = await health.json();
if (health.headers.get('x-parley-instance') !== 'prod-check') fail(`/health lacks X-Parley-Instance: prod-check`, output);
if (existsSync(join(scratch, 'dist/web/browser/index.html'))) {
  const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
  if (page.status !== 200 || !(await page.text()).includes('<app-root'))
    fail(`GET / answered ${page.status}, not the web app`, output);
}

const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
if (!stopped) fail('the api did not stop within 15 s of SIGTERM', output);
console.log(`The pruned production copy started on the embedded database and answered /health: ${JSON.stringify(body)}`);
