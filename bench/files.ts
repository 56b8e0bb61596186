/**
 * The files bucket path (issue 4: CSV import and export of any size), end to end through the
 * embedded cloud: a contacts CSV of ROWS rows (default 20,000) uploaded with a presigned PUT,
 * imported by the csv-import workflow while the job is polled, then the type exported twice:
 * inline (the CSV as the answer) and through the bucket (the inline limit set to 0: written to
 * the bucket as a multipart upload, answered with a link, downloaded).
 *
 * Figures: upload MB/s, import rows/s (start to `done`, stretches included), export times and
 * the exported size. The import's rate is the domain's (see bench/records.ts); what this adds
 * is the cost of the upload and of the workflow around it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROWS = Number(process.env.ROWS ?? 20_000);

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-files-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, number> = {};
try {
  const admin = cloud.demoAdmin;
  const { IdToken: token } = await signIn(cloud.url, cloud.identity.clientId, admin.email, admin.password!);
  const api = async (method: string, path: string, body?: unknown) => {
    const headers = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await fetch(`${cloud.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };

  const lines = ['Name,Email,Phones,Position'];
  for (let i = 1; i <= ROWS; i++) lines.push(`Contact ${i},contact${i}@example.com,+1 415 555 ${String(i % 10_000).padStart(4, '0')},Buyer ${i % 13}`);
  const csv = lines.join('\r\n') + '\r\n';
  const bytes = Buffer.byteLength(csv);

  const target = await (await api('POST', '/api/imports/uploads', { type: 'contacts', fileName: 'contacts.csv', size: bytes })).json();
  let started = performance.now();
  const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: csv });
  if (put.status !== 200) throw new Error(`upload answered ${put.status}`);
  const uploadMs = performance.now() - started;
  console.log(`uploaded ${bytes} bytes in ${Math.round(uploadMs)} ms`);

  started = performance.now();
  await api('POST', `/api/imports?type=contacts&upload=${target.upload}`);
  let job;
  do {
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await (await api('GET', `/api/imports/${target.upload}`)).json();
    console.log(`import: ${job.rowsRead} rows read, ${job.ok} ok`);
  } while (job.status === 'running');
  const importMs = performance.now() - started;
  if (job.status !== 'done' || job.ok !== ROWS) throw new Error(`import ended ${job.status} with ${job.ok} of ${ROWS}: ${job.failure ?? ''}`);

  started = performance.now();
  const inline = await (await api('GET', '/api/contacts/export.csv')).text();
  const inlineMs = performance.now() - started;

  process.env.EXPORT_INLINE_BYTES = '0';
  started = performance.now();
  const link = await (await api('GET', '/api/contacts/export.csv')).json();
  const linkMs = performance.now() - started;
  const download = Buffer.from(await (await fetch(link.url)).arrayBuffer());
  const bucketMs = performance.now() - started;
  delete process.env.EXPORT_INLINE_BYTES;
  if (!download.equals(Buffer.from(inline))) throw new Error('the export through the bucket differs from the inline one');

  figures = {
    rows: ROWS,
    upload_bytes: bytes,
    upload_mb_per_s: Math.round((bytes / 1024 / 1024 / (uploadMs / 1000)) * 10) / 10,
    import_rows_per_s: Math.round(ROWS / (importMs / 1000)),
    import_s: Math.round(importMs / 100) / 10,
    export_bytes: download.length,
    export_inline_ms: Math.round(inlineMs),
    export_to_bucket_link_ms: Math.round(linkMs),
    export_to_bucket_downloaded_ms: Math.round(bucketMs),
  };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
