/**
 * A build that several processes find stale at once (test files starting `npm start` side by side,
 * `npm test` beside `npm start`) is made once: the first builds, the others wait for its lock and
 * then find the output current. Without the lock each would build, removing what another wrote.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../../local/ensure-installed.mjs';
import { run, type Started } from '../support/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetflow-build-lock-'));
const started: Started[] = [];
afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A process that asks for the build: it says `stale` once it has found the output missing, and its
 * build (if it gets to build) waits for `go` before writing the output, so that every process has
 * found it stale before any build ends.
 */
const builder = `
import { existsSync, writeFileSync } from 'node:fs';
import { buildOnce } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'local', 'build-lock.mjs')).href)};
const [output, lock, go] = process.argv.slice(1);
let checked = false;
const isCurrent = () => {
  const current = existsSync(output);
  if (!checked) console.log(current ? 'current' : 'stale');
  checked = true;
  return current;
};
await buildOnce(lock, isCurrent, async () => {
  while (!existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 20));
  console.log('built');
  writeFileSync(output, 'done');
});
`;

it('builds once when four processes find the output stale at once', async () => {
  const output = join(dir, 'output');
  const go = join(dir, 'go');
  const processes = Array.from({ length: 4 }, () => run(process.execPath, ['--input-type=module', '-e', builder, output, join(dir, 'output.lock'), go], { cwd: repoRoot, env: process.env }));
  started.push(...processes);
  await expect.poll(() => processes.filter((p) => p.output().includes('stale')).length).toBe(4);
  writeFileSync(go, '');
  expect(await Promise.all(processes.map((p) => p.exited))).toEqual([0, 0, 0, 0]);
  expect(processes.map((p) => p.output()).join('').match(/built/g)).toHaveLength(1);
  expect(existsSync(join(dir, 'output.lock'))).toBe(false);
});
