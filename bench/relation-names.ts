/**
 * What reading a relation column by name costs the grid (frontend/README "People and related
 * records by name"): COMPANIES companies (default 20,000, each one a distinct id of the column)
 * written straight into the table, then every name asked for as the page does it before a view
 * sorts or searches by the column (`POST /api/companies/names`, MAX_NAME_IDS_PER_POST ids a
 * request, three at a time: display-names `loadNames`), against the GET the grid uses for cells
 * on screen (MAX_NAME_IDS a request, three at a time). What the view then does with the names is
 * `applyView`'s work over text (bench/views).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMPANIES = Number(process.env.COMPANIES ?? 20_000);
/** Requests in flight at once, as display-names' NAME_REQUESTS. */
const IN_FLIGHT = 3;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { seedRecords, streamSettled } = await import('./support/seed-records.ts');
const { MAX_NAME_IDS, MAX_NAME_IDS_PER_POST } = await import('../functions/contracts/record-names.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-relation-names-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, number> = {};
try {
  const admin = cloud.demoAdmin;
  const { IdToken: token } = await signIn(cloud.url, cloud.identity.clientId, admin.email, admin.password!);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await seedRecords(admin.tenant, 'COMPANY', COMPANIES, (i) => ({ name: `Company ${String(i).padStart(6, '0')}` }));
  await streamSettled(cloud);
  const ids: string[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await (await fetch(`${cloud.url}/api/companies?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { headers })).json();
    ids.push(...page.items.map((item: { id: string }) => item.id));
    if (!(cursor = page.nextCursor)) break;
  }

  /** Every id named in requests of `size`, IN_FLIGHT at a time; the names found. */
  const nameAll = async (size: number, ask: (batch: string[]) => Promise<Response>) => {
    const batches = Array.from({ length: Math.ceil(ids.length / size) }, (_, n) => ids.slice(n * size, (n + 1) * size));
    const names = new Map<string, string>();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          const response = await ask(batch);
          if (response.status !== 200) throw new Error(`names answered ${response.status}: ${await response.text()}`);
          for (const item of (await response.json()).items) names.set(item.id, item.name);
        }
      }),
    );
    return { ms: performance.now() - started, names };
  };
  const post = await nameAll(MAX_NAME_IDS_PER_POST, (batch) => fetch(`${cloud.url}/api/companies/names`, { method: 'POST', headers, body: JSON.stringify({ ids: batch }) }));
  const get = await nameAll(MAX_NAME_IDS, (batch) => fetch(`${cloud.url}/api/companies/names?ids=${batch.join(',')}`, { headers }));
  if (post.names.size !== ids.length || get.names.size !== ids.length) throw new Error(`named ${post.names.size} / ${get.names.size} of ${ids.length}`);
  console.log(`${ids.length} names: POST ${Math.round(post.ms)} ms (${Math.ceil(ids.length / MAX_NAME_IDS_PER_POST)} requests), GET ${Math.round(get.ms)} ms (${Math.ceil(ids.length / MAX_NAME_IDS)} requests)`);

  figures = {
    companies: ids.length,
    names_post_ms: Math.round(post.ms),
    names_get_ms: Math.round(get.ms),
  };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
