// Builds the SPA when frontend/build is missing or stale. Staleness is a content hash of the
// frontend sources and the contracts they import, not mtimes, which a fresh clone resets.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './ensure-installed.mjs';

const SOURCES = ['frontend', 'functions/contracts', 'package-lock.json'];
const SKIP = new Set(['build', '.svelte-kit', 'node_modules']);
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
  if (!quiet) console.log('[sheetflow] building the frontend ...');
  const hash = frontendSourceHash();
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'], {
    cwd: join(repoRoot, 'frontend'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`frontend build failed (exit ${result.status})`);
  writeFileSync(stampFile, hash);
}
