/**
 * SIGTERM (or Ctrl-C) stops `npm start` cleanly, exit 0, whenever it comes: a supervisor, or a
 * test, may signal while the start still works, or the moment the banner is written. A signal
 * the process does not listen for yet takes its default action and kills it where it stands
 * (LevelDB open, a write half done): exit by signal. (npm-start.test.ts stops one after its banner
 * and finds every record at the next start.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { npmStart, startEnv, type Started } from '../support/processes.ts';

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

it('stops with exit 0 on a SIGTERM during its start, once it has closed all it opened', async () => {
  const stopped = npmStart(startEnv(dataDir));
  started.push(stopped);
  // It owns the folder: its start has begun (the table, the engine, the functions are still ahead).
  await expect.poll(owner, { timeout: 120_000 }).toBe(stopped.child.pid);
  stopped.child.kill('SIGTERM');
  expect(await stopped.exited, stopped.output()).toBe(0);
  expect(stopped.output()).toContain('[sheetflow] stopped.');
  // The lock is let go last, after LevelDB is closed: the whole close ran.
  expect(owner()).toBeUndefined();
}, 300_000);
