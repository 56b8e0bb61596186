/**
 * Start-up: seconds from `npm start` (node local/start.mjs) to the first 200 from the app, on an
 * installed and built tree, with a fresh data folder (first start) and again on the same folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../local/ensure-installed.mjs';
import { ensureFrontendBuilt } from '../local/frontend-build.mjs';
import { freePort, run } from '../test/support/processes.ts';

async function timeToFirst200(dataDir: string): Promise<number> {
  const port = await freePort();
  // Without the demo tenant's sample (local/demo-sample): nothing here depends on it.
  const env = { ...process.env, SHEETFLOW_DATA: dataDir, SHEETFLOW_SAMPLE: 'off', PORT: String(port), DYNAMODB_PORT: String(await freePort()), SFN_PORT: String(await freePort()) };
  const started = performance.now();
  const p = run(process.execPath, ['local/start.mjs'], { cwd: repoRoot, env });
  try {
    for (;;) {
      if (p.child.exitCode !== null) throw new Error(`npm start exited:\n${p.output()}`);
      const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.status === 200, () => false);
      if (ok) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    p.child.kill('SIGINT');
    await p.exited;
  }
}

await ensureFrontendBuilt();
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-startup-'));
try {
  const first = await timeToFirst200(dataDir);
  console.log(`first start (new data folder): ${first.toFixed(2)} s`);
  const again = await timeToFirst200(dataDir);
  console.log(`restart (existing data): ${again.toFixed(2)} s`);
  console.log(JSON.stringify({ first_start_s: +first.toFixed(2), restart_s: +again.toFixed(2) }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
