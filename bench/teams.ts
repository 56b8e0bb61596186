/**
 * The cost of permission checks on a 100,000-row grid listing (issue 6): the whole of one saved
 * view of contacts (`GET /api/views/contact/{id}/rows?offset=`, slices of 20,000) read by the
 * administrator (scope all: no check) and by two sales managers (team scope: every record's
 * owner looked up in the set of their teammates), in the same run, alternating, warm.
 *
 * Ten owners (sales representatives) own the records in turn. Manager "whole" leads a team of
 * all ten, so sees every row: the same rows and bytes as the administrator, and the difference
 * is the check alone (target: under 1.3x). Manager "fifth" leads a team of two owners, so sees
 * a fifth of the rows: what a scoped user meets in practice. RECORDS= scales it down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);
const OWNERS = 10;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { apiAs } = await import('./support/api-as.ts');
const { seedRecords, streamSettled } = await import('./support/seed-records.ts');
const { viewPrepared } = await import('./support/view-prepared.ts');

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-teams-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, unknown> = { rows: RECORDS };
try {
  const tenant = cloud.demoAdmin.tenant;
  const tokenOf = async (email: string, password: string) => (await signIn(cloud.url, cloud.identity.clientId, email, password)).IdToken;
  const api = (token: string) => apiAs(cloud.url, token);
  const adminToken = await tokenOf(cloud.demoAdmin.email, cloud.demoAdmin.password!);
  const admin = api(adminToken);
  const [whole, fifth] = [await admin('POST', '/api/teams', { name: 'Whole', supervisor: null }), await admin('POST', '/api/teams', { name: 'Fifth', supervisor: null })];

  /** A user of the demo tenant with a role, in the teams given (the administrator puts them there). */
  const user = async (name: string, role: 'sales-manager' | 'sales-representative', teams: string[]) => {
    const email = `${name}@bench.example`;
    const password = `bench-${name}-password`;
    await cloud.identity.createUser({ email, password, tenant, groups: [role] });
    const token = await tokenOf(email, password);
    const { sub } = await api(token)('GET', '/api/me');
    await admin('PATCH', `/api/users/${sub}`, { version: 1, fields: { teams } });
    return { sub, token };
  };
  const owners: Array<{ sub: string; token: string }> = [];
  for (let i = 0; i < OWNERS; i++) owners.push(await user(`rep${i}`, 'sales-representative', i < 2 ? [whole.id, fifth.id] : [whole.id]));
  const managers = { whole: await user('manager-whole', 'sales-manager', [whole.id]), fifth: await user('manager-fifth', 'sales-manager', [fifth.id]) };

  const started = performance.now();
  await seedRecords(tenant, 'CONTACT', RECORDS, (i) => ({ name: `Contact ${String(i).padStart(6, '0')}`, position: i % 3 ? 'Buyer' : 'Owner', emails: [`c${i}@bench.example`] }), (i) => owners[i % OWNERS].sub);
  console.log(`seeded ${RECORDS} contacts owned by ${OWNERS} representatives in ${Math.round(performance.now() - started)} ms`);
  await streamSettled(cloud);
  const view = await admin('POST', '/api/views/contact', { name: 'All contacts', shared: true, columns: ['name', 'position', 'emails', 'owner'], sort: [{ field: 'name' }] });

  // A type this large is prepared off the request path (202 until ready): wait, as a grid does.
  console.log(`view prepared for reading in ${Math.round(await viewPrepared(cloud.url, 'contact', view.id, adminToken))} ms`);

  const readers = { administrator: adminToken, manager_whole_team: managers.whole.token, manager_fifth_team: managers.fifth.token };
  type Reader = keyof typeof readers;
  const runs: Record<Reader, Array<{ ms: number; rows: number; bytes: number }>> = { administrator: [], manager_whole_team: [], manager_fifth_team: [] };
  // A first read each (the container loads its snapshot of the type once), then alternating runs.
  for (let run = -1; run < RUNS; run++) {
    for (const reader of Object.keys(readers) as Reader[]) {
      const result = await readWholeView(cloud.url, view.id, readers[reader]);
      console.log(`  ${run < 0 ? 'first' : `run ${run + 1}`} ${reader}: ${result.rows} rows, ${result.bytes} bytes, ${Math.round(result.ms)} ms`);
      if (run >= 0) runs[reader].push(result);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ms = (reader: Reader) => median(runs[reader].map((r) => r.ms));
  figures = {
    ...figures,
    administrator_whole_ms: Math.round(ms('administrator')),
    manager_whole_team_ms: Math.round(ms('manager_whole_team')),
    manager_fifth_team_ms: Math.round(ms('manager_fifth_team')),
    manager_whole_team_rows: runs.manager_whole_team[0].rows,
    manager_fifth_team_rows: runs.manager_fifth_team[0].rows,
    ratio_team_scope_same_rows_to_administrator: Number((ms('manager_whole_team') / ms('administrator')).toFixed(3)),
    ratio_team_scope_fifth_to_administrator: Number((ms('manager_fifth_team') / ms('administrator')).toFixed(3)),
    runs_ms: Object.fromEntries(Object.entries(runs).map(([reader, list]) => [reader, list.map((r) => Math.round(r.ms))])),
  };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));

/** Every row of the view, slice after slice, as the grid reads it. */
async function readWholeView(url: string, viewId: string, token: string): Promise<{ ms: number; rows: number; bytes: number }> {
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  for (let offset = 0, total = Infinity; offset < total; ) {
    const response = await fetch(`${url}/api/views/contact/${viewId}/rows?offset=${offset}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`view rows answered ${response.status}`);
    const text = await response.text();
    bytes += Buffer.byteLength(text);
    const slice = JSON.parse(text) as { rows: unknown[]; total: number };
    total = slice.total;
    rows += slice.rows.length;
    offset += slice.rows.length;
    if (slice.rows.length === 0) break;
  }
  return { ms: performance.now() - t0, rows, bytes };
}
