/**
 * The demo tenant's sample (local/demo-sample): seconds to load it into a new data folder, as a
 * first `npm start` does after its banner, step by step; the figure the first start adds. Also the
 * process's CPU seconds, which a machine busy with other work stretches less than the wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCloud } from '../local/embedded-cloud.ts';
import { loadSampleOnFirstStart } from '../local/demo-sample/first-start.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-sample-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
try {
  const steps: Record<string, number> = {};
  const started = performance.now();
  // The embedded cloud is this one process: its CPU time is what a quiet machine would wait.
  const cpu = process.cpuUsage();
  await loadSampleOnFirstStart({
    dataDir,
    url: cloud.url,
    clientId: cloud.identity.clientId,
    demoAdmin: cloud.demoAdmin,
    wanted: true,
    log: (line) => {
      console.log(line);
      const step = /^\[sample\] (\w+): \d+ \(([\d.]+) s\)$/.exec(line);
      if (step) steps[`${step[1]}_s`] = Number(step[2]);
    },
  });
  const { user, system } = process.cpuUsage(cpu);
  console.log(JSON.stringify({ load_s: +((performance.now() - started) / 1000).toFixed(1), cpu_s: +((user + system) / 1e6).toFixed(1), ...steps }));
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
