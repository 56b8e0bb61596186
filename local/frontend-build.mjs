// Builds the SPA when frontend/build is missing or stale. Staleness is a content hash of the
// frontend sources and the contracts they import, not mtimes, which a fresh clone resets.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { repoRoot } from './ensure-installed.mjs';
import { sourceHash } from './source-hash.mjs';
import { buildOnce, holdingLock } from './build-lock.mjs';

const SOURCES = ['frontend', 'functions/contracts', 'package-lock.json'];
export const buildDir = join(repoRoot, 'frontend', 'build');
const stampFile = join(buildDir, '.source-hash');

export const frontendSourceHash = () => sourceHash(SOURCES);

export function frontendBuildIsCurrent() {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === frontendSourceHash();
}

export async function ensureFrontendBuilt({ quiet = false } = {}) {
  // Two builds at once (a test run and `npm start`, say) would trample each other's
  // frontend/.svelte-kit: one builds, the other waits and then finds the build current.
  await buildOnce(lockDir, frontendBuildIsCurrent, async () => {
    if (!quiet) console.log('[sheetflow] building the frontend ...');
    const hash = frontendSourceHash();
    // Not spawnSync: a test worker waiting for the build keeps its event loop (vitest's messages).
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'], {
      cwd: join(repoRoot, 'frontend'),
      stdio: 'inherit',
    });
    const [status] = await once(child, 'exit');
    if (status !== 0) throw new Error(`frontend build failed (exit ${status})`);
    writeFileSync(stampFile, hash);
  });
}

/**
 * Runs `work` while no frontend build runs or starts: for what writes frontend/.svelte-kit as a
 * build does (`svelte-kit sync`, then svelte-check reading what it wrote).
 */
export const withFrontendLock = (work) => holdingLock(lockDir, work);

const lockDir = join(repoRoot, 'frontend', '.svelte-kit-build.lock');
