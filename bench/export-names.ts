/**
 * What names cost an export (functions/views/shown-names.ts): RECORDS contacts (default 100,000)
 * each linking two of 1,000 companies and owned by a user, written straight into the table
 * (bench/support/seed-records.ts), then `POST /api/views/contact/export.csv` of the same rows
 * with plain columns (name, emails, position) and with named ones (name, emails, companies as
 * names, owner as a label), and a quick search matching a company's name (what the cells show)
 * against one matching a contact's name. Each export through the bucket as a client gets it
 * (link, then download), best of RUNS, after the view's type is prepared (bench/support/view-prepared.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const COMPANIES = 1_000;
const RUNS = 2;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { signIn } = await import('../test/support/cloud.ts');
const { seedRecords, streamSettled } = await import('./support/seed-records.ts');
const { viewPrepared } = await import('./support/view-prepared.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-export-names-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
let figures: Record<string, number> = {};
try {
  const admin = cloud.demoAdmin;
  const tenant = admin.tenant;
  const { IdToken: token } = await signIn(cloud.url, cloud.identity.clientId, admin.email, admin.password!);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  const owner = ((await (await api('GET', '/api/users')).json()).items as Array<{ sub: string; email: string }>).find((user) => user.email === admin.email)!.sub;

  let started = performance.now();
  await seedRecords(tenant, 'COMPANY', COMPANIES, (i) => ({ name: `Company ${String(i).padStart(4, '0')}` }), () => owner);
  const companies = ((await (await api('GET', `/api/companies?limit=${COMPANIES}`)).json()).items as Array<{ id: string }>).map((company) => company.id);
  await seedRecords(tenant, 'CONTACT', RECORDS, (i) => ({
    name: `Contact ${String(i).padStart(6, '0')}`,
    position: i % 3 ? 'Buyer' : 'Manager',
    emails: [`c${i}@example.com`],
    companyIds: [companies[i % COMPANIES], companies[(i * 7 + 1) % COMPANIES]],
  }), () => owner);
  console.log(`seeded ${COMPANIES} companies and ${RECORDS} contacts in ${Math.round(performance.now() - started)} ms`);
  await streamSettled(cloud);
  const view = await (await api('POST', '/api/views/contact', { name: 'All contacts', columns: ['name'] })).json();
  console.log(`view prepared after ${Math.round(await viewPrepared(cloud.url, 'contact', view.id, token))} ms`);

  /** One export as a client gets it: the link (or the CSV itself), then the file; best of RUNS. */
  const exportOf = async (label: string, body: unknown) => {
    let best = { ms: Infinity, rows: 0, bytes: 0 };
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      const response = await api('POST', '/api/views/contact/export.csv', body);
      const csv = response.headers.get('content-type')?.startsWith('text/csv') ? await response.text() : await (await fetch((await response.json()).url)).text();
      const ms = performance.now() - started;
      const rows = csv.split('\r\n').length - 2;
      console.log(`${label}: ${rows} rows, ${Buffer.byteLength(csv)} bytes in ${Math.round(ms)} ms`);
      if (ms < best.ms) best = { ms, rows, bytes: Buffer.byteLength(csv) };
    }
    return best;
  };
  const plain = await exportOf('plain columns', { columns: ['name', 'emails', 'position'], sort: [{ field: 'name' }] });
  const named = await exportOf('named columns', { columns: ['name', 'emails', 'companyIds', 'owner'], sort: [{ field: 'name' }] });
  if (named.rows !== RECORDS || plain.rows !== RECORDS) throw new Error(`the exports had ${plain.rows} and ${named.rows} rows, not ${RECORDS}`);
  // Company 0042 is linked by contacts 42, 1042, ... and by those with (7i + 1) % 1000 = 42.
  const byCompany = await exportOf('search by a company name', { columns: ['name', 'emails', 'companyIds', 'owner'], sort: [{ field: 'name' }], search: 'company 0042' });
  const byContact = await exportOf('search by a contact name', { columns: ['name', 'emails', 'companyIds', 'owner'], sort: [{ field: 'name' }], search: 'contact 00004' });
  if (byCompany.rows === 0 || byContact.rows === 0) throw new Error('a search found nothing');

  figures = {
    rows: RECORDS,
    export_plain_ms: Math.round(plain.ms),
    export_plain_bytes: plain.bytes,
    export_named_ms: Math.round(named.ms),
    export_named_bytes: named.bytes,
    named_over_plain_ratio: Math.round((named.ms / plain.ms) * 100) / 100,
    search_company_name_ms: Math.round(byCompany.ms),
    search_company_name_rows: byCompany.rows,
    search_contact_name_ms: Math.round(byContact.ms),
    search_contact_name_rows: byContact.rows,
  };
} finally {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
