/** CSV import through the API (small files as the body) and through the streaming entry point (larger ones). */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('imports');
  other = await cloud.userOf('elsewhere');
});
afterAll(() => cloud?.stop());

const postCsv = (client: ApiClient, query: string, csv: string) => client.request('POST', `/api/imports?${query}`, csv, { 'content-type': 'text/csv' });

async function allIds(client: ApiClient, plural: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const page = (await client.get(`/api/${plural}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    ids.push(...page.items.map((r: { id: string }) => r.id));
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return ids;
}

describe('CSV import', () => {
  it('keeps good rows, leaves bad cells empty and says why in plain words, refuses rows it cannot write, skips duplicates, maps custom fields; a re-run creates nothing', async () => {
    expect((await user.post('/api/fields/contact', { label: 'Tier', type: 'single_select', options: ['gold', 'silver'] })).status).toBe(201);
    const existing = await user.post('/api/contacts', { name: 'Existing', emails: ['old@example.com'] });
    const csv = [
      'Name,Email,Phones,Position,Tier,Unused',
      'Ada,ada@example.com,+44 20 7946 0958,CTO,gold,x',
      'Bad Mail,not-an-email,,,,',
      'Bad Tier,tier@example.com,,,platinum,',
      'Short,row',
      ',nameless@example.com,,,,',
      'Again,OLD@example.com,,,,',
      'Ada twin,ADA@example.com,,,,',
      '"Quoted, Name",q@example.com,+1 415 555 2671; +44 20 7946 0000,"Head of ""Ops""",silver,',
      '',
    ].join('\r\n');
    const response = await postCsv(user, 'type=contacts', csv);
    expect(response.status, response.text).toBe(201);
    const job = ImportJob.parse(response.json);
    expect(job).toMatchObject({ status: 'done', dryRun: false, rowsRead: 8, ok: 4, partial: 2, bad: 2, duplicates: 2, ignoredColumns: ['Unused'] });
    expect(job.errors).toEqual([
      { line: 3, imported: true, reason: 'Email: "not-an-email" must be an e-mail address like name@example.com', cells: [{ column: 'Email', reason: 'Email: "not-an-email" must be an e-mail address like name@example.com' }] },
      { line: 4, imported: true, reason: 'Tier: "platinum" must be one of: gold, silver', cells: [{ column: 'Tier', reason: 'Tier: "platinum" must be one of: gold, silver' }] },
      { line: 5, imported: false, reason: 'has 2 cells, the header 6', cells: [{ column: '', reason: 'has 2 cells, the header 6' }] },
      { line: 6, imported: false, reason: 'Name: is required', cells: [{ column: 'Name', reason: 'Name: is required' }] },
    ]);
    expect(job.duplicateRows).toEqual([
      { line: 7, id: existing.json.id, match: 'emails old@example.com' },
      { line: 8, id: expect.any(String), match: 'emails ada@example.com' },
    ]);

    const contacts = (await user.get('/api/contacts?limit=1000')).json.items;
    expect(contacts).toHaveLength(5);
    expect(contacts).toContainEqual(expect.objectContaining({ name: 'Ada', emails: ['ada@example.com'], phones: ['+442079460958'], position: 'CTO', cf_tier: 'gold', version: 1 }));
    // The bad cells left empty, the rest of their rows imported.
    expect(contacts.find((c: { name: string }) => c.name === 'Bad Mail')).not.toHaveProperty('emails');
    expect(contacts.find((c: { name: string }) => c.name === 'Bad Tier')).toMatchObject({ emails: ['tier@example.com'] });
    expect(contacts.find((c: { name: string }) => c.name === 'Bad Tier')).not.toHaveProperty('cf_tier');
    const quoted = contacts.find((c: { name: string }) => c.name === 'Quoted, Name');
    expect(quoted).toMatchObject({ position: 'Head of "Ops"', phones: ['+14155552671', '+442079460000'], cf_tier: 'silver' });
    expect((await user.get(`/api/contacts/${quoted.id}/history`)).json.items.map((h: { action: string }) => h.action)).toEqual(['created']);
    // An imported contact is found as a duplicate like any other.
    const probe = await user.post('/api/contacts', { name: 'Probe', emails: ['q@example.com'] });
    expect((await user.get(`/api/contacts/${probe.json.id}/duplicates`)).json.items.map((i: { record: { id: string } }) => i.record.id)).toEqual([quoted.id]);

    const rerun = ImportJob.parse((await postCsv(user, 'type=contacts', csv)).json);
    expect(rerun).toMatchObject({ ok: 0, bad: 2, duplicates: 6 });
    expect(await allIds(user, 'contacts')).toHaveLength(6);

    const polled = await user.get(`/api/imports/${job.id}`);
    expect(polled.status).toBe(200);
    expect(ImportJob.parse(polled.json)).toMatchObject({ id: job.id, status: 'done', ok: 4 });
    expect((await other.get(`/api/imports/${job.id}`)).status).toBe(404);
  });

  it('dry run: shows the errors and what would be imported, writes no record', async () => {
    const before = (await allIds(user, 'companies')).length;
    const csv = 'name,domain,tax id\nDry One,dry-one.example,DE-1\nDry Two,not a domain,\nDry Three,dry-one.example,\n,dry-four.example,\n';
    const response = await postCsv(user, 'type=companies&dryRun=true', csv);
    expect(response.status, response.text).toBe(200);
    expect(ImportJob.parse(response.json)).toMatchObject({
      dryRun: true,
      status: 'done',
      ok: 2,
      partial: 1,
      bad: 1,
      duplicates: 1,
      errors: [
        { line: 3, imported: true, reason: 'domain: "not a domain" must be a domain like example.com' },
        { line: 5, imported: false, reason: 'name: is required' },
      ],
    });
    expect(await allIds(user, 'companies')).toHaveLength(before);
  });

  it('takes an explicit column mapping, and refuses mappings to unknown fields, missing required columns and unknown types', async () => {
    const csv = 'Full name,Mail\nMapped,mapped@example.com\n';
    const mapped = await postCsv(user, `type=contacts&mapping=${encodeURIComponent(JSON.stringify({ 'Full name': 'name', Mail: 'emails' }))}`, csv);
    expect(mapped.status, mapped.text).toBe(201);
    expect(mapped.json).toMatchObject({ ok: 1, bad: 0 });
    // A dry run previews how each column maps: by name, explicitly, or not at all.
    const preview = await postCsv(user, `type=contacts&dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ Mail: null }))}`, 'Name,Mail,Tag\nP,p@example.com,x\n');
    expect(preview.json.columns).toEqual([{ column: 'Name', field: 'name' }, { column: 'Mail', field: null }, { column: 'Tag', field: 'tags' }]);
    const unknown = await postCsv(user, `type=contacts&mapping=${encodeURIComponent(JSON.stringify({ Mail: 'nonsense' }))}`, csv);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues).toContainEqual({ path: 'mapping.Mail', message: 'is not a known field', value: 'nonsense' });
    const noName = await postCsv(user, 'type=contacts', 'Mail\nx@example.com\n');
    expect(noName.status).toBe(400);
    expect(noName.json.error.issues).toContainEqual({ path: 'mapping', message: 'has no column for the required field name' });
    expect((await postCsv(user, 'type=widgets', csv)).status).toBe(400);
    expect((await postCsv(user, 'type=contacts', '')).status).toBe(400);
  });

  it("writes rows of large records in transactions within DynamoDB's 4 MB, every row once", async () => {
    // Fourteen companies of ~190 KB each (a long text), each with a history item as large: ~5.3 MB,
    // which rows grouped by item count alone put in one transaction, refused by the table as a whole.
    const notes = await user.post('/api/fields/company', { label: 'Dossier', type: 'long_text' });
    expect(notes.status, notes.text).toBe(201);
    const names = Array.from({ length: 14 }, (_, i) => `Dossier ${String(i).padStart(2, '0')}`);
    const text = (i: number) => `${i}`.repeat(190_000).slice(0, 190_000);
    // A file of 2.7 MB: more than a request's body, so through the entry point an upload's import runs.
    const me = (await user.get('/api/me')).json;
    const { runImport } = await import('../../functions/imports/run-import.ts');
    const { streamSource } = await import('../../functions/imports/import-source.ts');
    const { systemActor } = await import('../../functions/access/actor.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const file = () => Readable.from(['Name,Dossier\n', ...names.map((name, i) => `${name},${text(i)}\n`)]);
    const job = await runImport(systemActor(me.tenant, me.sub), streamSource(file), { type: recordTypeNamed('company')! });
    expect(job).toMatchObject({ status: 'done', ok: 14, bad: 0 });
    const found: Array<Record<string, unknown>> = [];
    let cursor = '';
    do {
      const page = (await user.get(`/api/companies?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
      found.push(...page.items);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    const key = notes.json.key as string;
    expect(found.filter((company) => names.includes(company.name as string)).map((company) => [company.name, (company[key] as string).length]).sort()).toEqual(names.map((name) => [name, 190_000]));
  });

  it('streams a larger file through the domain entry point, reporting progress as it goes', async () => {
    const me = (await user.get('/api/me')).json;
    const { runImport } = await import('../../functions/imports/run-import.ts');
    const { streamSource } = await import('../../functions/imports/import-source.ts');
    const { systemActor } = await import('../../functions/access/actor.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    // Three batches and the last: batches of 100 rows (the import's own are 1,000), so the file
    // is small enough to be written three times here; the rows are streamed all the same.
    const ROWS = 300;
    const batchRows = 100;
    const file = () =>
      Readable.from(
        (function* () {
          yield 'name,emails,tags\n';
          for (let i = 1; i <= ROWS; i++) yield `Streamed ${i},streamed${i}@example.com,${i % 7 === 0 ? 'bulk;seven' : ''}\n`;
        })(),
      );
    const seen: number[] = [];
    const job = await runImport(systemActor(me.tenant, me.sub), streamSource(file), { type: recordTypeNamed('contact')!, batchRows, onProgress: (j) => seen.push(j.rowsRead) });
    expect(job).toMatchObject({ status: 'done', rowsRead: ROWS, ok: ROWS, bad: 0, duplicates: 0 });
    expect(seen).toEqual([100, 200, 300, 300]);
    const ids = await allIds(user, 'contacts');
    const again = await runImport(systemActor(me.tenant, me.sub), streamSource(file), { type: recordTypeNamed('contact')!, batchRows });
    expect(again).toMatchObject({ ok: 0, duplicates: ROWS });
    // The same, asking the table per batch, as for a type too large to read into memory.
    const asked = await runImport(systemActor(me.tenant, me.sub), streamSource(file), { type: recordTypeNamed('contact')!, batchRows, preloadLimit: 0 });
    expect(asked).toMatchObject({ ok: 0, duplicates: ROWS });
    expect(asked.duplicateRows[0].match).toBe('the same row, imported before');
    expect(await allIds(user, 'contacts')).toHaveLength(ids.length);
  });
});
