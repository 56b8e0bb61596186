// Installs the project's dependencies when they are missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone with no other step. Plain Node: it runs
// before anything from node_modules can be loaded.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * The folder holding package.json, found by walking up: this module also runs from the bundled
 * server in node_modules/.cache (see server-bundle.mjs), not only from local/.
 */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(dir) {
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('node_modules')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export function dependenciesAreCurrent(root = repoRoot) {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(installed)) return false;
  return !existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
}

export function ensureInstalled(root = repoRoot) {
  if (dependenciesAreCurrent(root)) return;
  const args = existsSync(join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  console.log(`[sheetflow] installing dependencies (npm ${args[0]}) ...`);
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[sheetflow] npm ${args[0]} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

// Run as a script (`node local/ensure-installed.mjs`, npm test and bench). Bundled into the
// server (server-bundle.mjs), import.meta.url is the bundle's own file, which is the script when
// the bundle is run directly: that must not install anything.
if (import.meta.url.endsWith('/ensure-installed.mjs') && process.argv[1] === fileURLToPath(import.meta.url)) ensureInstalled();
