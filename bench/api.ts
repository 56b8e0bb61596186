/**
 * The API's serving path end to end: the embedded cloud in a temporary folder, a signed-in user,
 * seeded companies, then autocannon at 32 connections against GET of one record and PATCH of
 * one field. Each PATCH changes a different record at the version last seen for it, so the
 * figures are of successful conditional writes; 409s (two writers meeting on one record) are
 * counted apart. autocannon runs in a child process so that it does not share the event loop
 * with the gateway and the functions it measures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

/** The part of autocannon's result this benchmark reads (autocannon ships no types). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<AutocannonResult>;

const RECORDS = 2000;
const CONNECTIONS = 32;
const SECONDS = 15;

interface Load {
  kind: 'GET' | 'PATCH';
  url: string;
  token: string;
  versions: Array<[string, number]>;
}

interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  conflicts: number;
  errors: number;
}

const LOAD_FLAG = '--load-generator';
if (process.argv.includes(LOAD_FLAG)) process.once('message', async (data: Load) => process.send!(await load(data), () => process.exit(0)));
else await main();

async function main() {
  const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-api-'));
  const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
  try {
    const token = await signIn(cloud.url, cloud.identity.clientId, cloud.demoAdmin.email, cloud.demoAdmin.password!);
    console.log(`seeding ${RECORDS} companies ...`);
    const versions = await seed(cloud.url, token);
    const run = async (kind: Load['kind']) => {
      console.log(`${kind} /api/companies/{id}: ${CONNECTIONS} connections, ${SECONDS} s ...`);
      const result = await inChildProcess({ kind, url: cloud.url, token, versions });
      console.log(`  ${kind}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, 409 ${result.conflicts}, other non-2xx ${result.non2xx - result.conflicts}`);
      return result;
    };
    const get = await run('GET');
    const patch = await run('PATCH');
    console.log(
      JSON.stringify({
        get_req_per_s: get.reqPerSec,
        get_p50_ms: get.p50,
        get_p99_ms: get.p99,
        get_non_2xx: get.non2xx,
        patch_req_per_s: patch.reqPerSec,
        patch_p50_ms: patch.p50,
        patch_p99_ms: patch.p99,
        patch_conflicts_409: patch.conflicts,
        patch_other_non_2xx: patch.non2xx - patch.conflicts,
        errors: get.errors + patch.errors,
        connections: CONNECTIONS,
        seconds_each: SECONDS,
        records: RECORDS,
      }),
    );
  } finally {
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function inChildProcess(data: Load): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [LOAD_FLAG], { execArgv: ['--import', 'tsx'] });
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(data);
  });
}

/** Runs in the child process: one autocannon run of GETs or PATCHes spread over all seeded records. */
async function load({ kind, url, token, versions: seeded }: Load): Promise<LoadResult> {
  const versions = new Map(seeded);
  const ids = [...versions.keys()];
  let next = 0;
  let conflicts = 0;
  const request =
    kind === 'GET'
      ? { method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/api/companies/${ids[next++ % ids.length]}` }) }
      : {
          method: 'PATCH',
          setupRequest: (req: any, context: any) => {
            const id = (context.id = ids[next++ % ids.length]);
            return { ...req, path: `/api/companies/${id}`, body: JSON.stringify({ version: versions.get(id), fields: { industry: `Industry ${next}` } }) };
          },
          onResponse: (status: number, body: string, context: any) => {
            if (status === 200) versions.set(context.id, JSON.parse(body).version);
            if (status === 409) {
              conflicts++;
              versions.set(context.id, JSON.parse(body).error.current.version);
            }
          },
        };
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [request],
  });
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, conflicts, errors: result.errors };
}

async function seed(url: string, token: string): Promise<Array<[string, number]>> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const versions: Array<[string, number]> = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (started < RECORDS) {
        const n = started++;
        const response = await fetch(`${url}/api/companies`, { method: 'POST', headers, body: JSON.stringify({ name: `Company ${n}`, industry: 'Seeded' }) });
        if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
        const company = (await response.json()) as { id: string; version: number };
        versions.push([company.id, company.version]);
      }
    }),
  );
  return versions;
}

async function signIn(url: string, clientId: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${await response.text()}`);
  return ((await response.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken;
}
