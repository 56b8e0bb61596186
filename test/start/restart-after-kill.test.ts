/**
 * A supervisor that restarts Sheetflow at once after a crash: `kill -9` of the process group,
 * then a start on the same data folder while the dead process is still a zombie (its parent
 * has not reaped it yet, as a container's init or a busy supervisor may not). The new start
 * must run; a start while the first one lives must still refuse, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../../local/ensure-installed.mjs';
import { npmStart, run, startEnv, waitForOutput, type Started } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-restart-'));
const started: Started[] = [];
const env = startEnv(dataDir);

/** `npm start` as the child of `sh`, which then becomes `sleep` and never reaps it: once killed, it stays a zombie. */
function startUnreaped(): Started {
  const p = run('sh', ['-c', `setsid "${process.execPath}" local/start.mjs & echo "owner pid $!"; exec sleep 600`], { cwd: repoRoot, env });
  started.push(p);
  return p;
}

function start(): Started {
  const p = npmStart(env);
  started.push(p);
  return p;
}

/** The process's state letter from /proc (Z: dead, not yet reaped), or 'gone'. */
function stateOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return 'gone';
  }
}

afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts at once after kill -9 of the process group, and still refuses a second start while one runs', async () => {
  const owner = startUnreaped();
  const pid = Number((await waitForOutput(owner, /owner pid (\d+)/))[1]);
  await waitForOutput(owner, /running at/, 120_000);

  const second = start();
  expect(await second.exited, second.output()).toBe(2);
  expect(second.output()).toContain(`Sheetflow is already running on ${dataDir} (process ${pid})`);

  process.kill(-pid, 'SIGKILL');
  // Dead, and not reaped: the pid still answers signal 0.
  await expect.poll(() => stateOf(pid), { timeout: 10_000 }).toBe('Z');

  const restarted = start();
  const outcome = await Promise.race([waitForOutput(restarted, /running at/, 120_000).then(() => 'running'), restarted.exited.then((code) => `exited ${code}`)]);
  expect(outcome, restarted.output()).toBe('running');
  expect(stateOf(pid)).toBe('Z');

  restarted.child.kill('SIGTERM');
  expect(await restarted.exited, restarted.output()).toBe(0);
}, 300_000);
