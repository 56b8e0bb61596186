// Builds the SPA when frontend/build is missing or stale. Staleness is a content hash of the
// frontend sources and the contracts they import, not mtimes, which a fresh clone resets.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './ensure-installed.mjs';

const SOURCES = ['frontend', 'functions/contracts', 'package-lock.json'];
const SKIP = new Set(['build', '.svelte-kit', '.svelte-kit-build.lock', 'node_modules']);
export const buildDir = join(repoRoot, 'frontend', 'build');
const stampFile = join(buildDir, '.source-hash');

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) return yield path;
  for (const entry of readdirSync(path).sort()) {
    if (SKIP.has(entry)) continue;
    yield* files(join(path, entry));
  }
}

export function frontendSourceHash() {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    for (const file of files(join(repoRoot, source))) {
      // Tests beside the code do not change what is built.
      if (/\.test\.ts$/.test(file)) continue;
      hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

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
