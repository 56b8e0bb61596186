// The browser tests (test/e2e), N runs in a row, stopping at the first failed run: a test that
// passes by chance fails here sooner or later. `npm run test:e2e -- --repeat 5` (default: once);
// names of files after it run only those (`npm run test:e2e -- --repeat 3 grid-pickers`); what
// follows `--` goes to vitest as is. vitest has no repeat of whole files (its `repeats` reruns a
// test inside one app, which is not a fresh start); each run here is a vitest of its own.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, repoRoot } from '../local/ensure-installed.mjs';

const args = process.argv.slice(2);
const dashDash = args.indexOf('--');
const own = dashDash < 0 ? args : args.slice(0, dashDash);
const passOn = dashDash < 0 ? [] : args.slice(dashDash + 1);

let repeat = 1;
const names = [];
for (let i = 0; i < own.length; i++) {
  if (own[i] === '--repeat') repeat = Number(own[++i]);
  else if (own[i].startsWith('--repeat=')) repeat = Number(own[i].slice('--repeat='.length));
  else names.push(own[i]);
}
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error('usage: npm run test:e2e -- [--repeat N] [file names...] [-- vitest options]');
  process.exit(2);
}

const dir = join(repoRoot, 'test', 'e2e');
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.test.ts'))
  .filter((file) => names.length === 0 || names.some((name) => file.includes(name)))
  .sort()
  .map((file) => join('test', 'e2e', file));
if (files.length === 0) {
  console.error(`no browser test file matches ${names.join(', ')}`);
  process.exit(2);
}

ensureInstalled();
const started = Date.now();
for (let run = 1; run <= repeat; run++) {
  console.log(`\n[e2e] run ${run} of ${repeat}: ${files.length} files`);
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'node', ...passOn, ...files], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`\n[e2e] run ${run} of ${repeat} failed (${runs(run - 1)} passed before it)`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\n[e2e] ${runs(repeat)} of ${files.length} files passed in ${Math.round((Date.now() - started) / 1000)} s`);

function runs(n) {
  return `${n} run${n === 1 ? '' : 's'}`;
}
