/**
 * Before any test file: `frontend/.svelte-kit/tsconfig.json` exists. frontend/tsconfig.json
 * extends it, and Vite reads it to transform every frontend file a test imports (the frontend
 * project's, and the node project's tests that drive frontend clients). On a clean clone only a
 * build or `svelte-kit sync` writes it; the first browser file builds lazily, while unit files
 * run beside it from the start, so without this every frontend file failed to load on CI's clean
 * checkout ("Failed to load tsconfig"). `svelte-kit sync` writes only what changed, so a later
 * sync (a build's, svelte-check's) never rewrites it under a running transform.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withFrontendLock } from '../local/frontend-build.mjs';

const root = join(import.meta.dirname, '..');
const frontend = join(root, 'frontend');

export default async function setup(): Promise<void> {
  const generated = join(frontend, '.svelte-kit', 'tsconfig.json');
  if (existsSync(generated)) return;
  await withFrontendLock(async () => {
    if (existsSync(generated)) return;
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', '@sveltejs/kit/svelte-kit.js'), 'sync'], { cwd: frontend });
  });
}
