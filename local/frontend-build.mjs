// Builds the SPA when frontend/build is missing or stale. Staleness is a content hash of the
// frontend sources and the contracts they import, not mtimes, which a fresh clone resets.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './ensure-installed.mjs';
import { sourceHash } from './source-hash.mjs';

const SOURCES = ['frontend', 'functions/contracts', 'package-lock.json'];
export const buildDir = join(repoRoot, 'frontend', 'build');
const stampFile = join(buildDir, '.source-hash');

export const frontendSourceHash = () => sourceHash(SOURCES);

export function frontendBuildIsCurrent() {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === frontendSourceHash();
}

export async function ensureFrontendBuilt({ quiet = false } = {}) {
  if (frontendBuildIsCurrent()) return;
  // Two builds at once (a test run and `npm start`, say) would trample each other's
  // frontend/.svelte-kit: one builds, the other waits and then finds the build current.
  const release = await acquireBuildLock();
  try {
    if (frontendBuildIsCurrent()) return;
    if (!quiet) console.log('[sheetflow] building the frontend ...');
    const hash = frontendSourceHash();
    const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'], {
      cwd: join(repoRoot, 'frontend'),
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`frontend build failed (exit ${result.status})`);
    writeFileSync(stampFile, hash);
  } finally {
    release();
  }
}

const lockDir = join(repoRoot, 'frontend', '.svelte-kit-build.lock');
/** A lock older than this was left by a build that died; builds take well under it. */
const STALE_LOCK_MS = 5 * 60_000;

async function acquireBuildLock() {
  for (;;) {
    try {
      mkdirSync(lockDir); // atomic: exactly one process creates it
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}
