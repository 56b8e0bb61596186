/**
 * 32 concurrent clients patching cells of 1,000 records (issue 4): each client PATCHes a random
 * record's field at the version it last saw; a 409 hands it the current record and it moves
 * on. Afterwards every accepted edit is checked against the records and their history: it
 * must be in the history at the version it was given, and the last one must be the record's
 * value (zero lost updates). Clients run in this process (fetch over HTTP to the gateway), so
 * the figures include their share of one event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECORDS = Number(process.env.RECORDS ?? 1000);
const CLIENTS = 32;
const SECONDS = Number(process.env.SECONDS ?? 15);

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { ApiClient, signIn } = await import('../test/support/cloud.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-patch-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
try {
  const { IdToken } = await signIn(cloud.url, cloud.identity.clientId, cloud.demoAdmin.email, cloud.demoAdmin.password!);
  const api = new ApiClient(cloud.url, IdToken);
  console.log(`seeding ${RECORDS} companies ...`);
  const versions = new Map<string, number>();
  for (let i = 0; i < RECORDS; i += 50) {
    const created = await Promise.all(Array.from({ length: Math.min(50, RECORDS - i) }, (_, j) => api.post('/api/companies', { name: `Patched ${i + j}` })));
    for (const { json } of created) versions.set(json.id, 1);
  }
  const ids = [...versions.keys()];
  /** Accepted edits: record id -> version -> the value written. */
  const accepted = new Map<string, Map<number, string>>(ids.map((id) => [id, new Map()]));
  const latencies: number[] = [];
  let conflicts = 0;
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  console.log(`${CLIENTS} clients patching for ${SECONDS} s ...`);
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const seen = new Map(versions);
      for (let n = 0; performance.now() < deadline; n++) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        const value = `client ${client} edit ${n}`;
        const t0 = performance.now();
        const response = await api.patch(`/api/companies/${id}`, { version: seen.get(id), fields: { industry: value } });
        latencies.push(performance.now() - t0);
        if (response.status === 200) {
          accepted.get(id)!.set(response.json.version, value);
          seen.set(id, response.json.version);
        } else if (response.status === 409) {
          conflicts++;
          seen.set(id, response.json.error.current.version);
        } else failures++;
      }
    }),
  );
  const ok = latencies.length - conflicts - failures;
  latencies.sort((a, b) => a - b);
  console.log('checking every accepted edit against the records and their history ...');
  let lost = 0;
  for (const id of ids) {
    const edits = accepted.get(id)!;
    if (edits.size === 0) continue;
    const [{ json: record }, { json: history }] = await Promise.all([api.get(`/api/companies/${id}`), api.get(`/api/companies/${id}/history`)]);
    const byVersion = new Map<number, { changes: Array<{ field: string; new: unknown }> }>(history.items.map((h: { version: number }) => [h.version, h]));
    for (const [version, value] of edits) {
      if (!byVersion.get(version)?.changes.some((c) => c.field === 'industry' && c.new === value)) lost++;
    }
    const last = Math.max(...edits.keys());
    if (record.version !== last || record.industry !== edits.get(last)) lost++;
  }
  console.log(
    JSON.stringify({
      clients: CLIENTS,
      records: RECORDS,
      seconds: SECONDS,
      patch_req_per_s: Math.round(latencies.length / SECONDS),
      accepted_per_s: Math.round(ok / SECONDS),
      conflicts_409: conflicts,
      other_failures: failures,
      p50_ms: Math.round(latencies[Math.floor(latencies.length * 0.5)]),
      p99_ms: Math.round(latencies[Math.floor(latencies.length * 0.99)]),
      lost_updates: lost,
    }),
  );
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
