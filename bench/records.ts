/**
 * Records at scale, on the embedded cloud in a temporary folder:
 *
 * - CSV import of IMPORT_ROWS contacts (name, e-mail, phone, position) through the domain entry
 *   point (runImport over a stream), in rows per second; and as a ratio to BatchWriteItem of
 *   the same items (each row's record, history and lookup items, built beforehand) written
 *   straight into the local table in the same run, with the same number of requests in flight.
 *
 * The other two record figures have benchmarks of their own: `records-view` (a
 * 100,000-row view: time to first byte, whole payload, bytes) and `records-patch` (32 clients
 * patching cells of 1,000 records: req/s, p99, lost updates).
 *
 * `IMPORT_ROWS=20000 npm run bench -- records` runs a smaller import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const IMPORT_ROWS = Number(process.env.IMPORT_ROWS ?? 100_000);
const IN_FLIGHT = 8;

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-records-'));
const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
try {
  // Imported only now: the functions read the endpoint the embedded cloud has just set.
  const { runImport } = await import('../functions/imports/run-import.ts');
  const { streamSource } = await import('../functions/imports/import-source.ts');
  const { recordTypeNamed } = await import('../functions/records/record-types.ts');
  const { creation } = await import('../functions/records/repository.ts');
  const { documentClient, tableName } = await import('../functions/store/table.ts');
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const contact = recordTypeNamed('contact')!;

  const row = (i: number) => ({ name: `Contact ${i}`, email: `contact${i}@example.com`, phone: `+4930${String(10_000_000 + i)}`, position: i % 3 === 0 ? 'Buyer' : '' });
  const csv = () =>
    Readable.from(
      (function* () {
        yield 'Name,Email,Phone,Position\n';
        for (let i = 0; i < IMPORT_ROWS; i++) {
          const r = row(i);
          yield `${r.name},${r.email},${r.phone},${r.position}\n`;
        }
      })(),
    );

  console.log(`import of ${IMPORT_ROWS} contacts from CSV ...`);
  const importStart = performance.now();
  let lastReport = importStart;
  const { systemActor } = await import('../functions/access/actor.ts');
  const job = await runImport(systemActor('bench-import', 'bench'), streamSource(csv), {
    type: contact,
    onProgress: (progress) => {
      if (performance.now() - lastReport < 5000) return;
      lastReport = performance.now();
      console.log(`  ${progress.rowsRead} rows, ${Math.round(progress.rowsRead / ((lastReport - importStart) / 1000))} rows/s`);
    },
  });
  const importSeconds = (performance.now() - importStart) / 1000;
  if (job.ok !== IMPORT_ROWS) throw new Error(`the import wrote ${job.ok} of ${IMPORT_ROWS} rows: ${JSON.stringify(job.errors.slice(0, 3))}`);
  const importRate = IMPORT_ROWS / importSeconds;
  console.log(`  ${Math.round(importRate)} rows/s (${importSeconds.toFixed(1)} s)`);

  console.log(`BatchWriteItem of the same items, ${IN_FLIGHT} requests in flight ...`);
  const at = new Date().toISOString();
  const requests: Array<Array<Record<string, unknown>>> = [[]];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const r = row(i);
    const fields = { name: r.name, emails: [r.email], phones: [r.phone], ...(r.position ? { position: r.position } : {}) };
    const items = creation({ tenant: 'bench-raw', sub: 'bench' }, contact, fields, at).items.map((item) => ('Put' in item && item.Put ? { PutRequest: { Item: item.Put.Item } } : undefined));
    for (const item of items) {
      if (requests.at(-1)!.length === 25) requests.push([]);
      requests.at(-1)!.push(item!);
    }
  }
  const rawStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < requests.length) {
        let pending: Record<string, Array<Record<string, unknown>>> | undefined = { [tableName()]: requests[next++] };
        while (pending && Object.keys(pending).length > 0) {
          const result = await documentClient.send(new BatchWriteCommand({ RequestItems: pending as never }));
          pending = result.UnprocessedItems as typeof pending;
        }
      }
    }),
  );
  const rawSeconds = (performance.now() - rawStart) / 1000;
  const rawRate = IMPORT_ROWS / rawSeconds;
  const items = requests.reduce((sum, r) => sum + r.length, 0);
  console.log(`  ${Math.round(rawRate)} rows/s (${items} items in ${requests.length} requests, ${rawSeconds.toFixed(1)} s)`);

  console.log(
    JSON.stringify({
      import_rows: IMPORT_ROWS,
      import_rows_per_s: Math.round(importRate),
      batch_write_rows_per_s: Math.round(rawRate),
      import_to_batch_write_ratio: Number((importRate / rawRate).toFixed(2)),
    }),
  );
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
