import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

/** Thrown when another Sheetflow process already owns the data folder. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`Sheetflow is already running on ${dataDir} (process ${pid}). Stop it first, or set SHEETFLOW_DATA to another folder.`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * One process owns a data folder: dynalite's LevelDB would otherwise be opened twice.
 *
 * The lock must die with its owner, kill -9 included, and at once: a supervisor restarts a
 * crashed process within milliseconds, while the dead one is a zombie until its parent reaps it
 * (a pid that still answers signal 0, so a pid file cannot tell it from a live owner). On Linux
 * the owner binds a Unix socket in the abstract namespace, named after the folder's real path;
 * the kernel closes a dying process's files before it becomes a zombie, which frees the name.
 * Chosen over flock(2), which would need a native addon (fs-ext) compiled by node-gyp on every
 * fresh clone, against Node's headers. The price: the abstract namespace is per network
 * namespace, so two containers sharing one data folder over a volume would not see each other
 * (LevelDB's own LOCK file still refuses the second). Elsewhere (macOS) the pid file alone
 * decides, as before. The pid file also names the owner in the refusal.
 */
export async function lockDataDir(dataDir: string): Promise<() => void | Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, 'sheetflow.pid');
  if (process.platform !== 'linux') return lockByPidFile(dataDir, pidFile);
  const server = createServer();
  try {
    await listen(server, `\0sheetflow-data-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 40)}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new DataDirInUseError(dataDir, ownerOf(pidFile));
  }
  // The socket only holds the name: it keeps no event loop alive and is never connected to.
  server.unref();
  // Replaced whole: a refused start reading it meanwhile sees the old pid or this one.
  writeFileAtomic(pidFile, String(process.pid), 0o644);
  // Resolves once the socket is closed, so that a start in this same process can lock again.
  return () => {
    removeOwnPidFile(pidFile);
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

const listen = (server: Server, path: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });

/** The pid the file names (0 when it names none: an owner that has not written it yet). */
function ownerOf(pidFile: string): number {
  try {
    return Number(readFileSync(pidFile, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function removeOwnPidFile(pidFile: string): void {
  try {
    if (ownerOf(pidFile) === process.pid) unlinkSync(pidFile);
  } catch {
    /* already gone */
  }
}

/** Without the abstract namespace: a pid file created exclusively, taken over when its owner does not answer signal 0. */
function lockByPidFile(dataDir: string, pidFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(pidFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => removeOwnPidFile(pidFile);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = ownerOf(pidFile);
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(dataDir, pid);
      unlinkSync(pidFile); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
