/**
 * The frontend's types and the Svelte compiler's warnings (accessibility, state read once where it
 * can change, unused CSS...) in `.svelte` and `.ts` files: `svelte-check --fail-on-warnings` finds
 * none. A warning fails the suite as an error does, so the build stays silent (issue 14: the
 * first `npm start` printed ~100 lines of them). About 35 s on a quiet 2-core machine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { withFrontendLock } from '../../local/frontend-build.mjs';

const root = join(import.meta.dirname, '..', '..');
const frontend = join(root, 'frontend');
const run = promisify(execFile);

/** Runs a Node script of a package, in frontend/; its output, and whether it succeeded. */
async function node(script: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'node_modules', script), ...args], { cwd: frontend, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const { stdout = '', stderr = '', message } = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${message}\n${stdout}${stderr}` };
  }
}

it('svelte-check finds no error and no warning in the frontend', async () => {
  // frontend/tsconfig.json extends what `svelte-kit sync` writes; a build writes it too, so no
  // build (a browser test file's) may run meanwhile.
  const [sync, check] = await withFrontendLock(async () => {
    const sync = await node('@sveltejs/kit/svelte-kit.js', 'sync');
    return [sync, sync.ok ? await node('svelte-check/bin/svelte-check', '--fail-on-warnings', '--output', 'human') : undefined];
  });
  expect(sync.ok, sync.output).toBe(true);
  expect(check!.ok, check!.output).toBe(true);
}, 300_000);
