/**
 * Before any test file: `frontend/.svelte-kit/tsconfig.json` exists. frontend/tsconfig.json
 * extends it, and Vite reads it to transform every frontend file a test imports (the frontend
 * project's, and the node project's tests that drive frontend clients). On a clean clone only a
 * build or `svelte-kit sync` writes it; the first browser file builds lazily, while unit files
 * run beside it from the start, so without this every frontend file failed to load on CI's clean
 * checkout ("Failed to load tsconfig"). `svelte-kit sync` writes only what changed, so a later
 * sync (a build's, svelte-check's) never rewrites it under a running transform.
 *
 * And a directory for the run (`inject('runDir')`), removed when it ends: for what a test cannot
 * remove itself (the CDK assemblies of test/support/synth-stack.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { promisify } from 'node:util';
import { withFrontendLock } from '../local/frontend-build.mjs';

const root = join(import.meta.dirname, '..');
const frontend = join(root, 'frontend');

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory of this run's, removed when it ends: for what a test cannot remove itself (test/support/synth-stack.ts). */
    runDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const runDir = mkdtempSync(join(tmpdir(), 'sheetflow-run-'));
  project.provide('runDir', runDir);
  const teardown = () => rmSync(runDir, { recursive: true, force: true });
  const generated = join(frontend, '.svelte-kit', 'tsconfig.json');
  if (existsSync(generated)) return teardown;
  await withFrontendLock(async () => {
    if (existsSync(generated)) return;
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', '@sveltejs/kit/svelte-kit.js'), 'sync'], { cwd: frontend });
  });
  return teardown;
}
