/**
 * An import reads back the names an export writes: a user cell names an active user by id,
 * e-mail, name or `Name <e-mail>`; a relation cell names records of the target type by id or by
 * exact name (case and accents aside) if exactly one is in the importer's scope. A name that
 * matches none or several is a row error naming the column and why. A round trip (export, then
 * import into an empty tenant) gives the same relations.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob, ImportUpload } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let source: ApiClient; // the tenant exported from
let target: ApiClient; // an empty tenant imported into
let manager: ApiClient; // sales manager of the source tenant without a team: sees their own records only
const subs: Record<string, string> = {};
const ids: Record<string, string> = {};

const postCsv = (client: ApiClient, plural: string, csv: string) => client.request('POST', `/api/imports?type=${plural}`, csv, { 'content-type': 'text/csv' });

async function created(client: ApiClient, path: string, body: unknown): Promise<string> {
  const response = await client.post(path, body);
  expect(response.status, response.text).toBe(201);
  return response.json.id ?? response.json.sub;
}

async function all(client: ApiClient, plural: string): Promise<Array<Record<string, any>>> {
  const response = await client.get(`/api/${plural}?limit=1000`);
  expect(response.status, response.text).toBe(200);
  return response.json.items;
}

/** Each contact's name → the names of its companies (sorted) and its account manager's e-mail. */
async function relationsOf(client: ApiClient): Promise<Record<string, { companies: string[]; manager: string | undefined }>> {
  const companies = new Map((await all(client, 'companies')).map((company) => [company.id, company.name]));
  const users = new Map(((await client.get('/api/users')).json.items as Array<{ sub: string; email: string }>).map((user) => [user.sub, user.email]));
  return Object.fromEntries(
    (await all(client, 'contacts')).map((contact) => [
      contact.name,
      { companies: (contact.companyIds ?? []).map((id: string) => companies.get(id)).sort(), manager: users.get(contact.cf_account_manager)?.replace(/@.*/, '') },
    ]),
  );
}

beforeAll(async () => {
  cloud = await startTestCloud();
  source = await cloud.userOf('names-source');
  manager = await cloud.userOf('names-source', ['sales-manager']);
  target = await cloud.userOf('names-target');
  for (const [client, tenant] of [
    [source, 'names-source'],
    [target, 'names-target'],
  ] as const) {
    // The same people in both tenants (other e-mails: an e-mail is one account).
    subs[`bob@${tenant}`] = await created(client, '/api/users', { email: `bob@${tenant}.example.com`, name: 'Bob Stone', role: 'sales-representative' });
    subs[`ines@${tenant}`] = await created(client, '/api/users', { email: `ines@${tenant}.example.com`, name: 'Inès Roy', role: 'sales-representative' });
    expect((await client.post('/api/fields/contact', { label: 'Account manager', type: 'user' })).status).toBe(201);
  }
  // Two users share a name in the source tenant only.
  subs.ann1 = await created(source, '/api/users', { email: 'ann1@names-source.example.com', name: 'Ann Lee', role: 'sales-representative' });
  subs.ann2 = await created(source, '/api/users', { email: 'ann2@names-source.example.com', name: 'Ann Lee', role: 'sales-representative' });
  ids.acme = await created(source, '/api/companies', { name: 'Acme' });
  ids.globex = await created(source, '/api/companies', { name: 'Globex' });
  ids.emile = await created(source, '/api/companies', { name: 'Émile & Fils' });
  ids.dup1 = await created(source, '/api/companies', { name: 'Twin' });
  ids.dup2 = await created(source, '/api/companies', { name: 'twin' });
  ids.own = await created(manager, '/api/companies', { name: 'Manager Co' });
  await created(source, '/api/contacts', { name: 'Zed', companyIds: [ids.acme, ids.globex], cf_account_manager: subs['bob@names-source'] });
  await created(source, '/api/contacts', { name: 'Yan', companyIds: [ids.emile], cf_account_manager: subs['ines@names-source'] });
  await created(source, '/api/contacts', { name: 'Xia' });
});
afterAll(() => cloud?.stop());

describe('import of names', () => {
  it('gives the same relations after an export and an import into an empty tenant', async () => {
    const companies = await source.get('/api/companies/export.csv');
    expect(companies.status, companies.text).toBe(200);
    // The twins' names are ambiguous to an import by name; they are not part of the round trip.
    const withoutTwins = companies.text.split('\r\n').filter((line) => !/,[Tt]win,/.test(line)).join('\r\n');
    expect((await postCsv(target, 'companies', withoutTwins)).json).toMatchObject({ ok: 4, bad: 0 });
    const contacts = await source.get('/api/contacts/export.csv');
    expect(contacts.text).toContain(',Acme; Globex,,Bob Stone,');
    const imported = await postCsv(target, 'contacts', contacts.text);
    expect(imported.status, imported.text).toBe(201);
    expect(imported.json).toMatchObject({ ok: 3, bad: 0, errors: [] });

    const before = await relationsOf(source);
    expect(before.Zed).toEqual({ companies: ['Acme', 'Globex'], manager: 'bob' });
    expect(await relationsOf(target)).toEqual(before);
  });

  it('reads users by id, e-mail, name or label, records by id or name in any case and accents, and leaves out what is unknown or ambiguous, saying why', async () => {
    const csv = [
      'Name,Company Ids,Account manager',
      `By id,${ids.acme},${subs.ann1}`,
      'By name,ACME; emile & fils,ann2@names-source.example.com',
      'By label,Globex,Ann Lee <ann2@names-source.example.com>',
      'Plain name,,bob stone',
      'Two twins,Twin,',
      'Nobody,Initech,',
      'Two Anns,,Ann Lee',
      'Ghost,,Casper',
      'Both wrong,Initech,Ann Lee',
    ].join('\r\n');
    const response = await postCsv(source, 'contacts', csv);
    expect(response.status, response.text).toBe(201);
    const job = ImportJob.parse(response.json);
    // Every row is imported; the cells naming nobody, or several, are left empty.
    expect(job).toMatchObject({ ok: 9, partial: 5, bad: 0, missing: [{ field: 'companyIds', column: 'Company Ids', type: 'companies', count: 1, names: ['Initech'] }] });
    const initech = 'Company Ids: no company named "Initech": the link is left out (the import can create the companies it does not find)';
    const anns = 'Account manager: 2 users are named "Ann Lee": type their e-mail';
    expect(job.errors.map(({ line, imported, reason }) => ({ line, imported, reason }))).toEqual([
      { line: 6, imported: true, reason: 'Company Ids: 2 companies are named "Twin"' },
      { line: 7, imported: true, reason: initech },
      { line: 8, imported: true, reason: anns },
      { line: 9, imported: true, reason: 'Account manager: no user of this workspace is named "Casper" or has that e-mail' },
      { line: 10, imported: true, reason: `${anns}; ${initech}` },
    ]);
    const contacts = new Map((await all(source, 'contacts')).map((contact) => [contact.name, contact]));
    expect(contacts.get('By id')).toMatchObject({ companyIds: [ids.acme], cf_account_manager: subs.ann1 });
    expect(contacts.get('By name')).toMatchObject({ companyIds: [ids.acme, ids.emile], cf_account_manager: subs.ann2 });
    expect(contacts.get('By label')).toMatchObject({ companyIds: [ids.globex], cf_account_manager: subs.ann2 });
    expect(contacts.get('Plain name')).toMatchObject({ cf_account_manager: subs['bob@names-source'] });
  });

  it('matches only records in the importer’s scope, as the body and through an upload', async () => {
    const hidden = 'Company Ids: no company named "Acme": the link is left out (the import can create the companies it does not find)';
    const csv = ['Name,Company Ids', 'Sees own,Manager Co', 'Sees not,Acme', `By hidden id,${ids.acme}`].join('\r\n') + '\r\n';
    const direct = await postCsv(manager, 'contacts', csv);
    expect(direct.status, direct.text).toBe(201);
    // A hidden company is not linked by its id either: left out as an id that does not exist (records/relations.ts).
    const byHiddenId = { line: 4, imported: true, reason: `Company Ids: no company ${ids.acme} exists in this tenant` };
    expect(direct.json).toMatchObject({ ok: 3, partial: 2, bad: 0, errors: [{ line: 3, imported: true, reason: hidden }, byHiddenId] });
    expect((await all(manager, 'contacts')).find((contact) => contact.name === 'By hidden id')).not.toHaveProperty('companyIds');

    // The imports function acts for the job's creator: their scope too.
    const uploaded = ['Name,Company Ids', 'Uploaded, sees own,Manager Co', 'Uploaded, sees not,Acme', `Uploaded, by hidden id,${ids.acme}`].map((line) => line.replace(/^([^,]+, [^,]+)/, '"$1"')).join('\r\n') + '\r\n';
    const upload = await manager.post('/api/imports/uploads', { type: 'contacts', fileName: 'scoped.csv', size: Buffer.byteLength(uploaded) });
    expect(upload.status, upload.text).toBe(201);
    const { upload: id, url, headers } = ImportUpload.parse(upload.json);
    expect((await fetch(url, { method: 'PUT', headers, body: uploaded })).status).toBe(200);
    const started = await manager.request('POST', `/api/imports?type=contacts&upload=${id}`);
    expect(started.status, started.text).toBe(202);
    let job: ImportJob;
    await expect
      .poll(async () => (job = ImportJob.parse((await manager.get(`/api/imports/${id}`)).json)).status, { timeout: 60_000, interval: 250 })
      .not.toBe('running');
    expect(job!).toMatchObject({ status: 'done', ok: 3, partial: 2, bad: 0, errors: [{ line: 3, imported: true, reason: hidden }, byHiddenId] });
    const contacts = new Map((await all(manager, 'contacts')).map((contact) => [contact.name, contact]));
    expect(contacts.get('Uploaded, sees own')?.companyIds).toHaveLength(1);
    expect(contacts.get('Uploaded, sees not')).not.toHaveProperty('companyIds');
    expect(contacts.get('Uploaded, by hidden id')).not.toHaveProperty('companyIds');
  });
});
