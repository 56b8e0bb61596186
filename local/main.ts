/** `npm start`: the embedded cloud on fixed ports, until Ctrl-C. */
import { resolve } from 'node:path';
import { startEmbeddedCloud } from './embedded-cloud.ts';
import { FILES_BUCKET } from '../infra/app-resources.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { repoRoot } from './ensure-installed.mjs';
import { loadSampleOnFirstStart, sampleWanted } from './demo-sample/first-start.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * The first SIGINT or SIGTERM, heard from before the cloud starts: a signal without a
 * listener takes its default action and kills the process where it stands (LevelDB open, a
 * write half done, exit by signal). Not from the banner on: whoever waits for the banner may
 * signal the moment it is written, before a listener added after it exists.
 * Later signals are ignored: the first one's stop is under way.
 */
function stopSignal(): { received: () => NodeJS.Signals | undefined; next: Promise<NodeJS.Signals> } {
  let received: NodeJS.Signals | undefined;
  const next = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        received ??= signal;
        resolve(received);
      });
    }
  });
  return { received: () => received, next };
}

async function main() {
  const stop = stopSignal();
  const dataDir = resolve(process.env.SHEETFLOW_DATA ?? resolve(repoRoot, '.data'));
  // A signal during the start is answered once it is done: the cloud's close needs it whole.
  const cloud = await startEmbeddedCloud({
    dataDir,
    httpPort: port('PORT', 3000),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    sfnPort: port('SFN_PORT', 8083),
    s3Port: port('S3_PORT', 8084),
    sesPort: port('SES_PORT', 8085),
  });
  void stop.next.then(async (signal) => {
    console.log(`\n[sheetflow] ${signal}: stopping ...`);
    try {
      await cloud.close();
    } catch (err) {
      console.error('[sheetflow] failed to stop cleanly:', err);
      process.exit(1);
    }
    console.log('[sheetflow] stopped.');
    process.exit(0);
  });
  // Stopped during the start: no banner for a cloud that is closing, and no sample loaded into it.
  if (stop.received()) return;
  const lines = [
    '',
    `  Sheetflow is running at ${cloud.url}`,
    '',
    `  DynamoDB        ${cloud.dynamoEndpoint}   (table "sheetflow")`,
    `  Step Functions  ${cloud.sfnEndpoint}`,
    `  S3              ${cloud.s3Endpoint}   (bucket "${FILES_BUCKET.name}")`,
    `  SES (e-mail)    ${cloud.mail.endpoint}   (messages sent: ${cloud.mail.dir})`,
    `  Data            ${dataDir}`,
    '',
    cloud.demoAdmin.password
      ? `  Sign in as ${cloud.demoAdmin.email} with password ${cloud.demoAdmin.password} (shown once; also saved in ${dataDir}/identity/demo-admin.txt)`
      : `  Sign in as ${cloud.demoAdmin.email} (password in ${dataDir}/identity/demo-admin.txt)`,
    '  Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));

  // After the banner: the app serves while the sample loads, and shows it as it comes.
  try {
    await loadSampleOnFirstStart({
      dataDir,
      url: cloud.url,
      clientId: cloud.identity.clientId,
      demoAdmin: cloud.demoAdmin,
      wanted: sampleWanted(process.argv, process.env),
      log: (line) => console.log(line),
    });
  } catch (err) {
    if (stop.received()) console.log('[sample] stopped midway; the next start goes on with it.');
    else console.error('[sample] failed (the app runs on; the next start tries again):', err);
  }
}

main().catch((err) => {
  if (err instanceof DataDirInUseError) {
    console.error(`[sheetflow] ${err.message}`);
    process.exit(2);
  }
  console.error('[sheetflow] failed to start:', err);
  process.exit(1);
});
