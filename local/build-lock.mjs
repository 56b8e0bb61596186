// One build of an output at a time across processes: two test files starting `npm start` at once,
// or a test run beside `npm start`, would otherwise both find the output stale and trample each
// other's files (one removes what the other is writing). The first builds; the others wait,
// then find the output current. Plain Node: `npm start` runs it before node_modules is trusted.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A lock older than this was left by a build that died; builds take well under it. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Runs `build` holding the lock `lockDir` (a folder: mkdir is atomic, exactly one process
 * creates it), unless `isCurrent()` says, once the lock is held, that another process built it.
 */
export async function buildOnce(lockDir, isCurrent, build) {
  if (isCurrent()) return;
  await holdingLock(lockDir, async () => {
    if (!isCurrent()) await build();
  });
}

/** Runs `work` holding the lock `lockDir`: while it runs, no build under that lock does. */
export async function holdingLock(lockDir, work) {
  const release = await acquire(lockDir);
  try {
    return await work();
  } finally {
    release();
  }
}

async function acquire(lockDir) {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}
