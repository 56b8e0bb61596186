// A content hash of source files, for deciding whether a build is stale. Content, not mtimes:
// a fresh clone gives every file a new mtime.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './ensure-installed.mjs';

/** Folders never part of a build's sources. */
const SKIP = new Set(['node_modules', 'build', '.svelte-kit', '.svelte-kit-build.lock']);
/** Tests beside the code do not change what is built. */
const TEST_FILE = /\.test\.ts$/;

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) return yield path;
  for (const entry of readdirSync(path).sort()) {
    if (SKIP.has(entry) || entry.startsWith('.')) continue;
    yield* files(join(path, entry));
  }
}

/** Hash of every file under `sources` (paths relative to the repository root). */
export function sourceHash(sources) {
  const hash = createHash('sha256');
  for (const source of sources) {
    for (const file of files(join(repoRoot, source))) {
      if (TEST_FILE.test(file)) continue;
      hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}
