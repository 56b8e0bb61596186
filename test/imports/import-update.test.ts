/**
 * Update mode: an exported file, edited in a spreadsheet and imported again, changes the records
 * it names (by Id, or without one by e-mail or domain), at the version the file was exported at:
 * a record changed since is reported as a conflict and keeps its new value, as the grid keeps a
 * concurrent edit. Each change leaves history by the importer, as a grid edit does; rows naming
 * no record are created; an unchanged row writes nothing; a retried stretch changes nothing twice.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { allRecords, importUploaded, postFile } from '../support/import-requests.ts';

let cloud: TestCloud;
let admin: ApiClient;
let colleague: ApiClient; // another administrator of the tenant, editing in the grid meanwhile
let marketing: ApiClient; // imports contacts, may not change them

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('update');
  colleague = await cloud.userOf('update');
  marketing = await cloud.userOf('update', ['marketing']);
});
afterAll(() => cloud?.stop());

const parse = (text: string) => Papa.parse<string[]>(text.trimEnd()).data;
const unparse = (rows: string[][]) => Papa.unparse(rows, { newline: '\r\n' }) + '\r\n';

async function created(plural: string, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const response = await admin.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

describe('an export, edited and imported in update mode', () => {
  it('changes the records it names at the version exported, reports what changed since as a conflict, creates new rows, with history', async () => {
    const ada = await created('contacts', { name: 'Ada', emails: ['ada@update.example'], position: 'Analyst' });
    const bob = await created('contacts', { name: 'Bob', emails: ['bob@update.example'], phones: ['+44 20 7946 0958'] });
    const cy = await created('contacts', { name: 'Cy', emails: ['cy@update.example'], position: 'Intern' });
    const dee = await created('contacts', { name: 'Dee', emails: ['dee@update.example'] });

    const exported = await admin.post('/api/views/contact/export.csv', { columns: ['name', 'emails', 'phones', 'position'] });
    expect(exported.status, exported.text).toBe(200);
    const [header, ...rows] = parse(exported.text);
    expect(header).toEqual(['Id', 'Version', 'Name', 'Emails', 'Phones', 'Position']);
    const row = (id: string) => rows.find((r) => r[0] === id)!;
    expect(row(ada.id).slice(0, 2)).toEqual([ada.id, '1']);

    // Edited in a spreadsheet: Ada promoted, Bob's phone emptied and a new address, Cy promoted,
    // Dee as she was, a new person at the end, and a row whose record is gone.
    row(ada.id)[5] = 'Head of analysis';
    row(bob.id)[3] = 'bob@new.example';
    row(bob.id)[4] = '';
    row(cy.id)[5] = 'Engineer';
    const gone = await created('contacts', { name: 'Gone' });
    expect((await admin.delete(`/api/contacts/${gone.id}?version=1`)).status).toBe(204);
    const edited = unparse([header, ...rows, ['', '', 'Eve', 'eve@update.example', '', 'New hire'], [gone.id, '1', 'Gone', '', '', 'Back?']]);
    // Meanwhile someone changes Cy in the grid.
    expect((await colleague.patch(`/api/contacts/${cy.id}`, { version: 1, fields: { position: 'Team lead' } })).status).toBe(200);

    const preview = ImportJob.parse((await postFile(admin, 'type=contacts&mode=update&dryRun=true', edited)).json);
    expect(preview).toMatchObject({ ok: 4, updated: 2, unchanged: 1, conflicts: 1, bad: 1 });
    expect((await allRecords(admin, 'contacts')).find((c) => c.id === ada.id)).toMatchObject({ position: 'Analyst', version: 1 });

    const response = await postFile(admin, 'type=contacts&mode=update', edited);
    expect(response.status, response.text).toBe(201);
    const job = ImportJob.parse(response.json);
    expect(job).toMatchObject({ status: 'done', settings: { mode: 'update' }, rowsRead: 6, ok: 4, updated: 2, unchanged: 1, conflicts: 1, bad: 1, duplicates: 0, ignoredColumns: [] });
    const cyLine = rows.indexOf(row(cy.id)) + 2;
    expect(job.errors).toEqual([
      { line: cyLine, imported: false, reason: 'the contact changed since this file was exported (it is at version 2, the file has 1): not overwritten; export it again and redo the change', cells: [expect.objectContaining({ column: 'Version' })] },
      { line: 7, imported: false, reason: `Id: "${gone.id}" is no contact you may change (deleted, or never one)`, cells: [expect.objectContaining({ column: 'Id' })] },
    ]);

    const contacts = new Map((await allRecords(admin, 'contacts')).map((c) => [c.id, c]));
    expect(contacts.get(ada.id)).toMatchObject({ position: 'Head of analysis', version: 2 });
    expect(contacts.get(bob.id)).toMatchObject({ emails: ['bob@new.example'], version: 2 });
    expect(contacts.get(bob.id)).not.toHaveProperty('phones');
    expect(contacts.get(cy.id)).toMatchObject({ position: 'Team lead', version: 2 });
    expect(contacts.get(dee.id)).toMatchObject({ version: 1 });
    expect([...contacts.values()].filter((c) => c.name === 'Eve')).toEqual([expect.objectContaining({ emails: ['eve@update.example'], position: 'New hire', version: 1 })]);

    // History as a grid edit leaves it: who, and each field's old and new value.
    const me = (await admin.get('/api/me')).json.sub;
    const history = (await admin.get(`/api/contacts/${bob.id}/history`)).json.items;
    expect(history.at(-1)).toMatchObject({ version: 2, action: 'updated', by: me, changes: [{ field: 'emails', old: ['bob@update.example'], new: ['bob@new.example'] }, { field: 'phones', old: ['+442079460958'], new: null }] });

    // The conflict is in the error file, to be exported again and redone.
    const errors = parse((await admin.get(`/api/imports/${job.id}/errors.csv`)).text);
    expect(errors[0]).toEqual([...header, 'Reason']);
    expect(errors.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([
      [cy.id, expect.stringMatching(/^Not imported \(changed since\): the contact changed since this file was exported/)],
      [gone.id, expect.stringMatching(/^Not imported: Id: /)],
    ]);

    // The same file again: what it says is there already; nothing is written, nothing overwritten.
    const again = ImportJob.parse((await postFile(admin, 'type=contacts&mode=update', edited)).json);
    expect(again).toMatchObject({ ok: 4, updated: 0, unchanged: 4, duplicates: 0, conflicts: 1, bad: 1 });
    expect((await allRecords(admin, 'contacts')).find((c) => c.id === ada.id)).toMatchObject({ version: 2 });
  });

  it('finds records by domain or e-mail when the file has no Id, through an upload too; several matches refuse the row', async () => {
    const acme = await created('companies', { name: 'Acme', domain: 'acme.example' });
    await created('companies', { name: 'Twin one', taxId: 'DE 111' });
    await created('companies', { name: 'Twin two', taxId: 'DE-111' });
    const file = unparse([
      ['Website', 'Name', 'Industry', 'Tax id'],
      ['https://www.acme.example/', 'Acme', 'Rockets', ''],
      ['', 'Twin', 'Twins', 'DE111'],
      ['newco.example', 'Newco', 'Software', ''],
    ]);
    const job = await importUploaded(admin, 'type=companies&mode=update', file);
    expect(job).toMatchObject({ status: 'done', ok: 2, updated: 1, bad: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ line: 3, imported: false, reason: '2 companies have DE111: add an Id column to say which to change' })]);
    const companies = new Map((await allRecords(admin, 'companies')).map((c) => [c.name, c]));
    expect(companies.get('Acme')).toMatchObject({ id: acme.id, industry: 'Rockets', version: 2 });
    expect(companies.get('Newco')).toMatchObject({ domain: 'newco.example', industry: 'Software' });
  });

  it('imported twice at once, changes each record once, and the other copy finds it done rather than in conflict', async () => {
    for (const name of ['Twice A', 'Twice B', 'Twice C']) await created('companies', { name, industry: 'Before' });
    const [header, ...rows] = parse((await admin.post('/api/views/company/export.csv', { columns: ['name', 'industry'], filters: [{ field: 'industry', op: 'eq', value: 'Before' }] })).text);
    expect(rows).toHaveLength(3);
    const edited = unparse([header, ...rows.map((row) => [...row.slice(0, 3), 'After'])]);
    const jobs = (await Promise.all([postFile(admin, 'type=companies&mode=update', edited), postFile(admin, 'type=companies&mode=update', edited)])).map((r) => ImportJob.parse(r.json));
    expect(jobs.map((j) => j.conflicts)).toEqual([0, 0]);
    expect(jobs[0].updated! + jobs[1].updated!).toBe(3);
    expect(jobs[0].unchanged! + jobs[1].unchanged!).toBe(3);
    const twice = (await allRecords(admin, 'companies')).filter((c) => c.name.startsWith('Twice '));
    expect(twice.map((c) => [c.industry, c.version])).toEqual([['After', 2], ['After', 2], ['After', 2]]);
  });

  it('refuses an update to a role that may not change the records, or the fields', async () => {
    const file = unparse([['Name', 'Email'], ['Someone', 'someone@update.example']]);
    const refused = await postFile(marketing, 'type=contacts&mode=update', file);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/may not update contact records/);
    // Creating is what the role may: the same file in create mode is imported.
    expect((await postFile(marketing, 'type=contacts', file)).status).toBe(201);

    // A role that may change contacts, but not their e-mails: a file with an e-mail column is refused, one without is taken.
    const role = await admin.post('/api/roles', { name: 'Updater', types: { contact: { actions: ['read', 'update', 'import'], scope: 'all', readOnlyFields: ['emails'] } } });
    expect(role.status, role.text).toBe(201);
    const sub = (await marketing.get('/api/me')).json.sub;
    const version = (await admin.get('/api/users')).json.items.find((user: { sub: string }) => user.sub === sub).version;
    expect((await admin.patch(`/api/users/${sub}`, { version, fields: { role: role.json.id } })).status).toBe(200);
    const readOnly = await postFile(marketing, 'type=contacts&mode=update', file);
    expect(readOnly.status).toBe(403);
    expect(readOnly.json.error.message).toMatch(/may read but not change emails of contact records/);
    const someone = (await allRecords(admin, 'contacts')).find((c) => c.name === 'Someone');
    const allowed = await postFile(marketing, 'type=contacts&mode=update', unparse([['Id', 'Position'], [someone.id, 'Buyer']]));
    expect(allowed.status, allowed.text).toBe(201);
    expect(allowed.json).toMatchObject({ updated: 1 });
  });
});

describe('an update cut short and resumed', () => {
  it('does not report its own changes as conflicts, nor make them twice', async () => {
    const { runImport } = await import('../../functions/imports/run-import.ts');
    const { newJob } = await import('../../functions/imports/import-job.ts');
    const { textSource } = await import('../../functions/imports/import-source.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const { DEFAULT_IMPORT_SETTINGS } = await import('../../functions/imports/import-settings.ts');
    const { systemActor } = await import('../../functions/access/actor.ts');
    const me = (await admin.get('/api/me')).json;
    const actor = systemActor(me.tenant, me.sub);
    const type = recordTypeNamed('lead')!;
    const lines = ['Name,Email', ...Array.from({ length: 120 }, (_, i) => `Lead ${i},lead${i}@resume.example`)];
    expect((await postFile(admin, 'type=leads', lines.join('\n'))).json).toMatchObject({ ok: 120 });
    const leads = (await allRecords(admin, 'leads')).filter((l) => l.email?.endsWith('@resume.example'));
    expect(leads).toHaveLength(120);
    const file = textSource(['Id,Version,Source', ...leads.map((lead) => `${lead.id},1,fair`)].join('\n'));
    const settings = { ...DEFAULT_IMPORT_SETTINGS, mode: 'update' as const };

    // A first stretch writes its first batch (100 rows: the import's own are 1,000) and dies
    // before its checkpoint is saved.
    const batchRows = 100;
    const job = newJob(actor, type.name, false, { id: '01JUPDATERESUMED0000000000', settings });
    const crashed = await runImport(actor, file, { type, job: structuredClone(job), settings, batchRows, shouldPause: () => true });
    expect(crashed).toMatchObject({ updated: 100, resumeAt: 101 });
    // Meanwhile someone changes one the first stretch wrote: the row differs from it now, and the
    // record is past the file's version, by the job's own change and then theirs.
    const changedAfter = leads[0];
    expect((await admin.patch(`/api/leads/${changedAfter.id}`, { version: 2, fields: { source: 'web' } })).status).toBe(200);
    // The retry goes on from the checkpoint before it: its own changes are no conflicts, and the
    // later change is not overwritten.
    const resumed = await runImport(actor, file, { type, job, settings, batchRows });
    expect(resumed).toMatchObject({ status: 'done', rowsRead: 120, ok: 120, conflicts: 0, bad: 0 });
    const after = (await allRecords(admin, 'leads')).filter((l) => l.email?.endsWith('@resume.example'));
    expect(after.filter((lead) => lead.id !== changedAfter.id).every((lead) => lead.source === 'fair' && lead.version === 2)).toBe(true);
    expect(after.find((lead) => lead.id === changedAfter.id)).toMatchObject({ source: 'web', version: 3 });
  });
});
