/** `npm start`: the embedded cloud on fixed ports, until Ctrl-C. */
import { resolve } from 'node:path';
import { startEmbeddedCloud } from './embedded-cloud.ts';
import { FILES_BUCKET } from '../infra/app-resources.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { repoRoot } from './ensure-installed.mjs';
import { loadSampleOnFirstStart, sampleWanted } from './demo-sample/first-start.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main() {
  const dataDir = resolve(process.env.SHEETFLOW_DATA ?? resolve(repoRoot, '.data'));
  const cloud = await startEmbeddedCloud({
    dataDir,
    httpPort: port('PORT', 3000),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    sfnPort: port('SFN_PORT', 8083),
    s3Port: port('S3_PORT', 8084),
    sesPort: port('SES_PORT', 8085),
  });
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[sheetflow] ${signal}: stopping ...`);
    await cloud.close();
    console.log('[sheetflow] stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

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
    if (stopping) console.log('[sample] stopped midway; the next start goes on with it.');
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
