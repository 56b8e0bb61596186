/**
 * What resolving the caller's permissions costs every API request in a tenant of 300 users:
 * `GET /api/{plural}/{id}` of one company (one GetItem of its own) by a sales manager, through
 * the gateway, warm, one at a time (latency) and eight at a time (requests per second).
 *
 * Every request resolves its caller from the tenant's directory (functions/access/permissions.ts);
 * how much of that it has to read from the table per request is what this measures. The
 * directory is seeded straight into the table (users in ten teams); the reader is a real user
 * who signed in. USERS= and REQUESTS= scale it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USERS = Number(process.env.USERS ?? 300);
const REQUESTS = Number(process.env.REQUESTS ?? 1_000);
const CONCURRENCY = 8;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { apiAs } = await import('./support/api-as.ts');
const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
const { documentClient, tableName } = await import('../functions/store/table.ts');

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-access-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, unknown> = { users: USERS, requests: REQUESTS };
try {
  const tenant = cloud.demoAdmin.tenant;
  const tokenOf = async (email: string, password: string) => (await signIn(cloud.url, cloud.identity.clientId, email, password)).IdToken;
  const api = (token: string) => apiAs(cloud.url, token);
  const admin = api(await tokenOf(cloud.demoAdmin.email, cloud.demoAdmin.password!));
  const teams: Array<{ id: string }> = [];
  for (let i = 0; i < 10; i++) teams.push(await admin('POST', '/api/teams', { name: `Team ${i}`, supervisor: null }));

  // The reader: a sales manager (team scope) in the first team, registered by their first sign-in.
  const email = 'manager@bench.example';
  const password = 'bench-manager-password';
  await cloud.identity.createUser({ email, password, tenant, groups: ['sales-manager'] });
  const token = await tokenOf(email, password);
  const reader = api(token);
  const { sub } = await reader('GET', '/api/me');
  await admin('PATCH', `/api/users/${sub}`, { version: 1, fields: { teams: [teams[0].id] } });

  // The rest of the directory, as the administrator's invitations would have left it.
  const at = new Date().toISOString();
  const others = Array.from({ length: USERS - 2 }, (_, i) => ({
    pk: `T#${tenant}#USERS`,
    sk: `bench-user-${String(i).padStart(4, '0')}`,
    sub: `bench-user-${String(i).padStart(4, '0')}`,
    email: `user${i}@bench.example`,
    name: `Bench User ${i}`,
    role: i % 3 ? 'sales-representative' : 'service-agent',
    teams: [teams[i % teams.length].id],
    active: true,
    createdAt: at,
    version: 1,
  }));
  for (let i = 0; i < others.length; i += 25) {
    await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName()]: others.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  // The manager's own company, so the read is within their scope.
  const created = await admin('POST', '/api/companies', { name: 'Bench Company' });
  const company = await admin('PATCH', `/api/companies/${created.id}/owner`, { version: created.version, owner: sub });
  const listed = (await reader('GET', '/api/users')).items.length;
  if (listed !== USERS) throw new Error(`the directory has ${listed} users, not ${USERS}`);
  console.log(`tenant ${tenant}: ${listed} users in ${teams.length} teams`);

  const path = `/api/companies/${company.id}`;
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 50; i++) await once(); // warm-up: JIT, connections, the container's caches

  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) latencies.push(await once());
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];

  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) await once();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  figures = {
    ...figures,
    get_median_ms: Number(quantile(0.5).toFixed(2)),
    get_p95_ms: Number(quantile(0.95).toFixed(2)),
    [`requests_per_s_${CONCURRENCY}_in_flight`]: Math.round(REQUESTS / seconds),
  };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
