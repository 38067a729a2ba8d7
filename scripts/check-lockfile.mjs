#!/usr/bin/env node
// Checks that package-lock.json is complete for every platform people build Parley on.
//
// npm records a package's platform-specific optional dependencies (@swc/core-*, @rollup/rollup-*,
// lightningcss-*, @esbuild/*, ...) in the lockfile only when the lockfile was resolved without a
// node_modules that lacked them; a lockfile regenerated the wrong way silently drops them, and
// then `npm ci` on another platform installs no native binary at all. This check fails when:
//   - the lockfile's root entry does not match package.json (what `npm ci` calls "not in sync"),
//   - a package declares an optional dependency that has no entry in the lockfile,
//   - a package that ships native binaries for several operating systems has none for one of
//     linux-x64, linux-arm64, darwin-arm64, darwin-x64 or win32-x64 (glibc on Linux).
// Usage: node scripts/check-lockfile.mjs [path/to/package-lock.json]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const PLATFORMS = [
  { os: 'linux', cpu: 'x64' },
  { os: 'linux', cpu: 'arm64' },
  { os: 'darwin', cpu: 'arm64' },
  { os: 'darwin', cpu: 'x64' },
  { os: 'win32', cpu: 'x64' },
];

const lockPath = resolve(process.argv[2] ?? 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const manifest = JSON.parse(readFileSync(join(dirname(lockPath), 'package.json'), 'utf8'));
const packages = lock.packages ?? {};
const problems = [];

if (lock.lockfileVersion !== 3) problems.push(`lockfileVersion is ${lock.lockfileVersion}, expected 3 (npm 9 or later)`);

// The root entry must say what package.json says, field by field.
const root = packages[''] ?? {};
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
  const want = manifest[field] ?? {};
  const have = root[field] ?? {};
  for (const name of new Set([...Object.keys(want), ...Object.keys(have)])) {
    if (want[name] !== have[name]) {
      problems.push(`${field}.${name}: package.json has ${want[name] ?? '(nothing)'}, the lockfile ${have[name] ?? '(nothing)'}`);
    }
  }
}

/** The lockfile entry `name` resolves to when required from the package at `from`, the way Node looks it up. */
function resolveFrom(from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    base = base.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '');
  }
}

/** npm's os/cpu/libc lists: absent means any; `!x` excludes x. */
function allows(list, value) {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  return list.some((entry) => !entry.startsWith('!')) ? list.includes(value) : true;
}

const summary = [];
for (const [path, entry] of Object.entries(packages)) {
  const optional = entry.optionalDependencies ?? {};
  const native = [];
  for (const name of Object.keys(optional)) {
    const found = resolveFrom(path, name);
    if (!found) {
      problems.push(
        `${path || '(root)'} declares the optional dependency ${name}@${optional[name]}, which the lockfile does not list`,
      );
      continue;
    }
    const dep = packages[found];
    if (dep.os || dep.cpu) native.push(dep);
  }
  const systems = new Set(native.flatMap((dep) => (dep.os ?? []).filter((os) => !os.startsWith('!'))));
  // fsevents and the like exist for one operating system only: nothing to check for the others.
  if (systems.size < 2) continue;
  const missing = PLATFORMS.filter(
    (target) =>
      !native.some(
        (dep) => allows(dep.os, target.os) && allows(dep.cpu, target.cpu) && (target.os !== 'linux' || allows(dep.libc, 'glibc')),
      ),
  );
  for (const target of missing) problems.push(`${path}: no optional native package for ${target.os}-${target.cpu}`);
  summary.push(`${path.replace(/^.*node_modules\//, '')} (${native.length})`);
}

if (problems.length) {
  console.error(`${lockPath} is incomplete:\n  ${problems.join('\n  ')}`);
  console.error('Regenerate it with the npm in package.json\'s "packageManager": npx -y npm@10 install --package-lock-only');
  process.exit(1);
}
console.log(
  `${lockPath}: in sync with package.json; native packages for ${PLATFORMS.map((p) => `${p.os}-${p.cpu}`).join(', ')} ` +
    `listed for ${summary.length} packages: ${summary.join(', ')}`,
);
