#!/usr/bin/env node
// node bench/profile-summary.mjs <file.cpuprofile>… [--top=30] [--callers=name] [--depth=N]
// Self time of a CPU profile (from `npm run bench -- --profile`), by package and by function;
// with --callers=name, the call stacks (--depth=N frames up, default 5) that lead to the functions so named.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.split('=')[1] ?? 30);
const callersOf = process.argv.find((a) => a.startsWith('--callers='))?.split('=')[1] ?? null;
const depth = Number(process.argv.find((a) => a.startsWith('--depth='))?.split('=')[1] ?? 5);
if (!files.length) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile>… [--top=30]');
  process.exit(1);
}

function packageOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native / V8)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/api/apps/api/src/');
  if (dist >= 0) return `parley ${url.slice(dist + 18).split('/')[0]}`;
  if (url.includes('/api/libs/')) return 'parley contracts';
  return url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map();
  const byFunction = new Map();
  for (const [id, us] of self) {
    const { callFrame } = nodes.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const pkg = packageOf(callFrame.url, name);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const key = `${name}  ${callFrame.url ? `${callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/api\/apps\/api\/src\//, 'api/')}:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(2)} s sampled`);
  const busy = total - (byPackage.get('(idle)') ?? 0);
  console.log(`busy (not idle): ${(busy / 1e6).toFixed(2)} s`);
  console.log('\nBy package (self time, % of all samples):');
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${pkg}`);
  console.log('\nBy function:');
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${fn}`);
  if (callersOf) {
    const stacks = new Map();
    for (const [id, us] of self) {
      if ((nodes.get(id).callFrame.functionName || '(anonymous)') !== callersOf) continue;
      const frames = [];
      for (let p = parent.get(id); p !== undefined && frames.length < depth; p = parent.get(p)) {
        const cf = nodes.get(p).callFrame;
        frames.push(
          `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*node_modules\//, '').replace(/^.*\/api\/apps\/api\/src\//, 'api/')}:${cf.lineNumber + 1}`,
        );
      }
      const key = frames.join('  <  ');
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    console.log(`\nCallers of ${callersOf}:`);
    for (const [key, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${pct(us)}  ${key}`);
  }
}
