/**
 * What reading pasted names back costs (frontend/README "People and related records by name"):
 * COMPANIES companies (default 20,000) written straight into the table, then a paste's worth of
 * names (MAX_LOOKUP_NAMES, half of them existing, half not) looked up as the grid does before
 * writing (`POST /api/companies/ids-by-name`): the first lookup (the type's snapshot prepared, or
 * loaded, and its name index built), again (index kept), and after one company was renamed (in case only,
 * still found: a new snapshot generation, so the index is built again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMPANIES = Number(process.env.COMPANIES ?? 20_000);

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { seedRecords, streamSettled } = await import('./support/seed-records.ts');
const { MAX_LOOKUP_NAMES } = await import('../functions/contracts/record-names.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-paste-names-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, number> = {};
try {
  const admin = cloud.demoAdmin;
  const { IdToken: token } = await signIn(cloud.url, cloud.identity.clientId, admin.email, admin.password!);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const nameOf = (i: number) => `Company ${String(i).padStart(6, '0')}`;
  await seedRecords(admin.tenant, 'COMPANY', COMPANIES, (i) => ({ name: nameOf(i) }));
  await streamSettled(cloud);
  // Spread over the type, every other one unknown, in another case than stored.
  const names = Array.from({ length: MAX_LOOKUP_NAMES }, (_, n) => (n % 2 ? `Nobody ${n}` : nameOf(Math.floor((n * COMPANIES) / MAX_LOOKUP_NAMES)).toUpperCase()));

  const lookUp = async () => {
    const started = performance.now();
    let response: Response;
    // A type past INLINE_RECORDS without a stored snapshot is prepared first (503), as the grid waits.
    while ((response = await fetch(`${cloud.url}/api/companies/ids-by-name`, { method: 'POST', headers, body: JSON.stringify({ names }) })).status === 503) await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (response.status !== 200) throw new Error(`ids-by-name answered ${response.status}: ${await response.text()}`);
    const { items } = await response.json();
    const found = items.filter((item: { records: unknown[] }) => item.records.length === 1).length;
    if (found !== MAX_LOOKUP_NAMES / 2) throw new Error(`found ${found} of ${MAX_LOOKUP_NAMES / 2}`);
    return performance.now() - started;
  };
  const first = await lookUp();
  const kept = Math.min(await lookUp(), await lookUp(), await lookUp());
  const { items } = await (await fetch(`${cloud.url}/api/companies?limit=1`, { headers })).json();
  const renamed = await fetch(`${cloud.url}/api/companies/${items[0].id}`, { method: 'PATCH', headers, body: JSON.stringify({ version: items[0].version, fields: { name: items[0].name.toLowerCase() } }) });
  if (renamed.status !== 200) throw new Error(`rename answered ${renamed.status}`);
  const afterChange = await lookUp();
  console.log(`${COMPANIES} companies, ${MAX_LOOKUP_NAMES} names: first ${Math.round(first)} ms, index kept ${Math.round(kept)} ms, after a rename ${Math.round(afterChange)} ms`);
  figures = { companies: COMPANIES, names: MAX_LOOKUP_NAMES, first_lookup_ms: Math.round(first), kept_index_lookup_ms: Math.round(kept), after_rename_lookup_ms: Math.round(afterChange) };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
