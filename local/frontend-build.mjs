// Builds the SPA when frontend/build is missing or stale. Staleness is a content hash of the
// frontend sources and the contracts they import, not mtimes, which a fresh clone resets.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './ensure-installed.mjs';
import { sourceHash } from './source-hash.mjs';
import { buildOnce } from './build-lock.mjs';

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
  await buildOnce(lockDir, frontendBuildIsCurrent, () => {
    if (!quiet) console.log('[sheetflow] building the frontend ...');
    const hash = frontendSourceHash();
    const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'], {
      cwd: join(repoRoot, 'frontend'),
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`frontend build failed (exit ${result.status})`);
    writeFileSync(stampFile, hash);
  });
}

const lockDir = join(repoRoot, 'frontend', '.svelte-kit-build.lock');
