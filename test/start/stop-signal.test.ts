/**
 * SIGTERM (or Ctrl-C) stops `npm start` cleanly, exit 0, whenever it comes: a supervisor, or a
 * test, may signal while the start still works, or the moment the banner is written. A signal
 * the process does not listen for yet takes its default action and kills it where it stands
 * (LevelDB open, a write half done): exit by signal. The next start finds what the stopped one wrote.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { npmStart, startEnv, waitForOutput, type Started } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-stop-'));
const started: Started[] = [];

afterAll(() => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The pid the data folder's lock names (local/data-dir-lock.ts): its owner has begun to start. */
function owner(): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'sheetflow.pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

it('stops with exit 0 on a SIGTERM during its start, and the next start finds what it wrote', async () => {
  const env = startEnv(dataDir);
  const first = npmStart(env);
  started.push(first);
  // It owns the folder: its start has begun (the table, the engine, the functions are still ahead).
  await expect.poll(owner, { timeout: 120_000 }).toBe(first.child.pid);
  first.child.kill('SIGTERM');
  expect(await first.exited, first.output()).toBe(0);
  expect(first.output()).toContain('[sheetflow] stopped.');

  const again = npmStart(env);
  started.push(again);
  await waitForOutput(again, /running at/, 120_000);
  // The administrator the first start created is kept: this one has no new password to show.
  expect(again.output()).toMatch(/Sign in as \S+ \(password in /);
  again.child.kill('SIGTERM');
  expect(await again.exited, again.output()).toBe(0);
}, 300_000);
