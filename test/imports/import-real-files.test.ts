/**
 * Files as a new team brings them (issue 13): companies and contacts exported from other tools
 * and spreadsheets, with national phone numbers of several countries read by the tenant's
 * default country or the import's, websites with paths, numbers with thousands separators in
 * English, German and French, words where numbers should be, headers of their own ("Website",
 * "Job title", "Mobile"), first and last names in columns of their own, and companies that do
 * not exist yet. A bad cell never refuses its row: the row is imported without it, the report
 * says which cell and why in plain words, and the error file gives the rows back to fix and send
 * again. The tenant's settings and the remembered mappings are read through the API, as the
 * dialog reads them.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { allRecords, importUploaded, postFile } from '../support/import-requests.ts';

let cloud: TestCloud;
let admin: ApiClient; // tenant `real`, default country US
let rep: ApiClient; // a sales representative of the same tenant: may not import
let manager: ApiClient; // a sales manager of the same tenant, without a team: imports, sees their own records
let marketing: ApiClient; // imports contacts, may neither change them nor create companies
let plain: ApiClient; // tenant `plain`, no default country

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('real');
  rep = await cloud.userOf('real', ['sales-representative']);
  manager = await cloud.userOf('real', ['sales-manager']);
  marketing = await cloud.userOf('real', ['marketing']);
  plain = await cloud.userOf('plain');
});
afterAll(() => cloud?.stop());

const csv = (rows: string[][], delimiter = ',') => Papa.unparse(rows, { delimiter, newline: '\r\n' }) + '\r\n';
const job = async (client: ApiClient, query: string, file: string | Buffer) => {
  const response = await postFile(client, query, file);
  expect(response.status, response.text).toBe(query.includes('dryRun=true') ? 200 : 201);
  return ImportJob.parse(response.json);
};
const byName = async (client: ApiClient, plural: string) => new Map((await allRecords(client, plural)).map((record) => [record.name, record]));
const reasons = (job: ImportJob) => Object.fromEntries(job.errors.map((error) => [error.line, error.reason]));

describe('the tenant’s default country', () => {
  it('is set by an administrator, read by anyone, at the version seen', async () => {
    expect((await admin.get('/api/settings')).json).toEqual({ defaultCountry: null, version: 0 });
    const bad = await admin.patch('/api/settings', { version: 0, fields: { defaultCountry: 'XX' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toEqual([expect.objectContaining({ path: 'fields.defaultCountry', message: 'must be a two-letter country code like DE or US' })]);
    expect((await rep.patch('/api/settings', { version: 0, fields: { defaultCountry: 'US' } })).status).toBe(403);
    const saved = await admin.patch('/api/settings', { version: 0, fields: { defaultCountry: 'us' } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ defaultCountry: 'US', version: 1 });
    // Saved from an older page: refused with what is there now.
    const stale = await admin.patch('/api/settings', { version: 0, fields: { defaultCountry: 'DE' } });
    expect(stale.status).toBe(409);
    expect(stale.json.error.current).toMatchObject({ defaultCountry: 'US', version: 1 });
    expect((await rep.get('/api/settings')).json).toMatchObject({ defaultCountry: 'US', version: 1 });
    expect((await admin.get('/api/audit')).json.items).toContainEqual(expect.objectContaining({ action: 'settings.change', details: { defaultCountry: 'US' } }));
  });
});

describe('companies from other people’s files', () => {
  let usJob: ImportJob;

  it('reads a US file: national numbers by the default country, websites as domains, thousands, and leaves words out, saying why', async () => {
    const file = csv([
      ['Company name', 'Website', 'Phone number', 'Employees', 'Industry'],
      ['Acme Corp', 'https://www.acme.com/about', '(415) 555-0134', '1,200', 'Manufacturing'],
      ['Globex', 'http://globex.example/en/home?ref=x', '0044 20 7946 0958', 'approx 40', 'Energy'],
      ['Initech', 'initech.example', '+49 30 1234567', '12', 'Software'],
      ['Hooli', 'www.hooli.example/', '555-0134', '3,400,000', 'Search'],
    ]);
    usJob = await job(admin, 'type=companies', file);
    expect(usJob.columns).toEqual([
      { column: 'Company name', field: 'name' },
      { column: 'Website', field: 'domain' },
      { column: 'Phone number', field: 'phones' },
      { column: 'Employees', field: 'size' },
      { column: 'Industry', field: 'industry' },
    ]);
    expect(usJob).toMatchObject({ status: 'done', settings: { mode: 'create', country: 'US', locale: 'en-US' }, rowsRead: 4, ok: 4, partial: 2, bad: 0, errorFileRows: 2 });
    expect(reasons(usJob)).toEqual({
      3: 'Employees: "approx 40" is not a number as this file writes them (like 1,234.5)',
      5: 'Phone number: "555-0134" is not a phone number in United States (numbers without a country code are read as US)',
    });
    expect(usJob.errors.every((error) => error.imported)).toBe(true);
    const companies = await byName(admin, 'companies');
    expect(companies.get('Acme Corp')).toMatchObject({ domain: 'acme.com', phones: ['+14155550134'], size: 1200 });
    expect(companies.get('Globex')).toMatchObject({ domain: 'globex.example', phones: ['+442079460958'], industry: 'Energy' });
    expect(companies.get('Globex')).not.toHaveProperty('size');
    expect(companies.get('Initech')).toMatchObject({ domain: 'initech.example', phones: ['+49301234567'], size: 12 });
    expect(companies.get('Hooli')).toMatchObject({ domain: 'hooli.example', size: 3_400_000 });
    expect(companies.get('Hooli')).not.toHaveProperty('phones');
  });

  it('reads German, French and British files in their own country and number format, through an upload too', async () => {
    const german = csv(
      [
        ['Firmenname', 'Website', 'Telefon', 'Employees'],
        ['Müller GmbH', 'https://www.mueller.example/kontakt', '030 1234567', '1.200'],
        ['Schmidt AG', 'schmidt.example', '089 12345678', '1,5'],
      ],
      ';',
    );
    const mapping = encodeURIComponent(JSON.stringify({ Firmenname: 'name', Telefon: 'phones' }));
    const de = await job(admin, `type=companies&country=DE&locale=de-DE&mapping=${mapping}`, Buffer.from(german, 'latin1'));
    expect(de).toMatchObject({ settings: { country: 'DE', locale: 'de-DE' }, ok: 2, partial: 1 });
    expect(reasons(de)).toEqual({ 3: 'Employees: "1,5" is not a whole number' });

    const french = csv([
      ['Nom', 'Site web', 'Téléphone', 'Employees'],
      ['Dupont SA', 'https://dupont.example/fr/', '01 23 45 67 89', '1 200'],
    ]);
    const fr = await importUploaded(admin, `type=companies&country=FR&locale=fr-FR&mapping=${encodeURIComponent(JSON.stringify({ Nom: 'name', 'Site web': 'domain', Téléphone: 'phones' }))}`, french);
    expect(fr).toMatchObject({ status: 'done', ok: 1, partial: 0 });

    const british = csv([
      ['Name', 'Website', 'Phone', 'Employees'],
      ['Tesco Example plc', 'http://www.tesco-example.co.uk/', '020 7946 0958', '2,500'],
    ]);
    expect(await job(admin, 'type=companies&country=GB', british)).toMatchObject({ settings: { country: 'GB', locale: 'en-GB' }, ok: 1, partial: 0 });

    const companies = await byName(admin, 'companies');
    expect(companies.get('Müller GmbH')).toMatchObject({ domain: 'mueller.example', phones: ['+49301234567'], size: 1200 });
    expect(companies.get('Schmidt AG')).toMatchObject({ domain: 'schmidt.example', phones: ['+498912345678'] });
    expect(companies.get('Dupont SA')).toMatchObject({ domain: 'dupont.example', phones: ['+33123456789'], size: 1200 });
    expect(companies.get('Tesco Example plc')).toMatchObject({ domain: 'tesco-example.co.uk', phones: ['+442079460958'], size: 2500 });
  });

  it('without a default country, refuses national numbers in words that say what to do, and imports the rest', async () => {
    const file = csv([
      ['Name', 'Phone', 'Website'],
      ['Nowhere Inc', '(415) 555-0134', 'nowhere.example'],
      ['Somewhere Ltd', '+44 20 7946 0958', 'somewhere.example'],
    ]);
    const done = await job(plain, 'type=companies', file);
    expect(done).toMatchObject({ settings: { mode: 'create', locale: 'en' }, ok: 2, partial: 1 });
    expect(done.settings).not.toHaveProperty('country');
    expect(reasons(done)).toEqual({ 2: 'Phone: "(415) 555-0134" has no country code: write it like +49 30 1234567, or choose the country of numbers without one for the import' });
  });

  it('gives the rows back in an error file with their cells, their record and why; fixed, they update those records', async () => {
    const response = await admin.get(`/api/imports/${usJob.id}/errors.csv`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = Papa.parse<string[]>(response.text.trimEnd()).data;
    const companies = await byName(admin, 'companies');
    expect(header).toEqual(['Id', 'Company name', 'Website', 'Phone number', 'Employees', 'Industry', 'Reason']);
    expect(rows).toEqual([
      [companies.get('Globex').id, 'Globex', 'http://globex.example/en/home?ref=x', '0044 20 7946 0958', 'approx 40', 'Energy', 'Imported, these cells left empty: Employees: "approx 40" is not a number as this file writes them (like 1,234.5)'],
      [companies.get('Hooli').id, 'Hooli', 'www.hooli.example/', '555-0134', '3,400,000', 'Search', 'Imported, these cells left empty: Phone number: "555-0134" is not a phone number in United States (numbers without a country code are read as US)'],
    ]);
    // Only whoever imported the file (or an administrator) reads its rows.
    expect((await manager.get(`/api/imports/${usJob.id}/errors.csv`)).status).toBe(404);
    expect((await rep.get(`/api/imports/${usJob.id}/errors.csv`)).status).toBe(403);

    // Fixed in a spreadsheet and sent again as an update: the same records, no new ones.
    rows[0][4] = '40';
    rows[1][3] = '(650) 555-0199';
    const fixed = await job(admin, 'type=companies&mode=update', csv([header, ...rows]));
    expect(fixed).toMatchObject({ ok: 2, updated: 2, partial: 0, bad: 0, ignoredColumns: ['Reason'] });
    const after = await byName(admin, 'companies');
    expect(after.size).toBe(companies.size);
    expect(after.get('Globex')).toMatchObject({ size: 40, version: 2 });
    expect(after.get('Hooli')).toMatchObject({ phones: ['+16505550199'], version: 2 });
  });
});

describe('the error file’s limit', () => {
  it('keeps rows up to its limit, and says how many it kept; the job counts and lists them all', async () => {
    process.env.IMPORT_ERROR_FILE_ROWS = '3';
    try {
      const file = (rows: number, tag: string) => csv([['Name', 'Employees'], ...Array.from({ length: rows }, (_, i) => [`Limit ${tag} ${i}`, `about ${i}`])]);
      const atLimit = await job(admin, 'type=companies', file(3, 'at'));
      expect(atLimit).toMatchObject({ ok: 3, partial: 3, errorFileRows: 3 });
      const over = await job(admin, 'type=companies', file(4, 'over'));
      expect(over).toMatchObject({ ok: 4, partial: 4, errorFileRows: 3 });
      expect(over.errors).toHaveLength(4);
      const rowsOf = async (id: string) => Papa.parse<string[]>((await admin.get(`/api/imports/${id}/errors.csv`)).text.trimEnd()).data.slice(1).map((row) => row[1]);
      expect(await rowsOf(atLimit.id)).toEqual(['Limit at 0', 'Limit at 1', 'Limit at 2']);
      expect(await rowsOf(over.id)).toEqual(['Limit over 0', 'Limit over 1', 'Limit over 2']);
    } finally {
      delete process.env.IMPORT_ERROR_FILE_ROWS;
    }
  });
});

describe('contacts from other people’s files', () => {
  it('matches headers people use, joins first and last names, and reads mobile and phone columns into one list', async () => {
    const file = csv([
      ['First name', 'Last name', 'E-mail address', 'Phone', 'Mobile', 'Job title'],
      ['Ada', 'Lovelace', 'ada@analytical.example', '(415) 555-0100', '(415) 555-0101', 'Countess'],
      ['', 'Hopper', 'grace@navy.example', '', '', 'Rear Admiral'],
      ['', '', 'nobody@example.com', '', '', 'Nobody'],
    ]);
    const done = await job(admin, 'type=contacts', file);
    expect(done.columns).toEqual([
      { column: 'First name', field: 'name:first' },
      { column: 'Last name', field: 'name:last' },
      { column: 'E-mail address', field: 'emails' },
      { column: 'Phone', field: 'phones' },
      { column: 'Mobile', field: 'phones' },
      { column: 'Job title', field: 'position' },
    ]);
    expect(done).toMatchObject({ ok: 2, bad: 1 });
    expect(reasons(done)).toEqual({ 4: 'Name: is required' });
    const contacts = await byName(admin, 'contacts');
    expect(contacts.get('Ada Lovelace')).toMatchObject({ emails: ['ada@analytical.example'], phones: ['+14155550100', '+14155550101'], position: 'Countess' });
    expect(contacts.get('Hopper')).toMatchObject({ emails: ['grace@navy.example'], position: 'Rear Admiral' });
  });

  it('keeps first and last names apart where the type has fields for them, and joins them for the name', async () => {
    for (const label of ['First name', 'Last name']) expect((await admin.post('/api/fields/lead', { label, type: 'text' })).status).toBe(201);
    const done = await job(admin, 'type=leads', csv([['First name', 'Last name', 'Email'], ['Alan', 'Turing', 'alan@bletchley.example']]));
    expect(done).toMatchObject({ ok: 1, columns: [{ column: 'First name', field: 'cf_first_name' }, { column: 'Last name', field: 'cf_last_name' }, { column: 'Email', field: 'email' }] });
    expect((await byName(admin, 'leads')).get('Alan Turing')).toMatchObject({ cf_first_name: 'Alan', cf_last_name: 'Turing', email: 'alan@bletchley.example' });
  });

  it('names the companies it does not find; imports without the link, or creates each missing company once', async () => {
    const file = (suffix: string, ...more: string[][]) =>
      csv([
        ['Name', 'Email', 'Company'],
        [`Known ${suffix}`, `known-${suffix}@example.com`, 'vandelay industries'],
        [`Missing ${suffix}`, `missing-${suffix}@example.com`, `Initrode ${suffix}`],
        [`Missing too ${suffix}`, `missing-too-${suffix}@example.com`, `INITRODE ${suffix}; Vandelay Industries`],
        ...more,
      ]);
    const acme = (await admin.post('/api/companies', { name: 'Vandelay Industries' })).json.id;

    const preview = await job(admin, 'type=contacts&dryRun=true', file('a'));
    expect(preview).toMatchObject({ ok: 3, partial: 2, missing: [{ field: 'companyIds', column: 'Company', type: 'companies', count: 1, names: ['Initrode a'] }] });
    const withoutLink = await job(admin, 'type=contacts', file('a'));
    expect(withoutLink).toMatchObject({ ok: 3, partial: 2 });
    expect(reasons(withoutLink)[3]).toBe('Company: no company named "Initrode a": the link is left out (the import can create the companies it does not find)');
    let contacts = await byName(admin, 'contacts');
    expect(contacts.get('Known a').companyIds).toEqual([acme]);
    expect(contacts.get('Missing a')).not.toHaveProperty('companyIds');
    expect(contacts.get('Missing too a').companyIds).toEqual([acme]);
    expect((await byName(admin, 'companies')).has('Initrode a')).toBe(false);

    // A dry run counts what it would create, and creates nothing.
    expect(await job(admin, 'type=contacts&dryRun=true&createMissing=true', file('b'))).toMatchObject({ ok: 3, partial: 0, createdRelated: { companies: 1 } });
    expect((await byName(admin, 'companies')).has('Initrode b')).toBe(false);
    const created = await job(admin, 'type=contacts&createMissing=true', file('b'));
    expect(created).toMatchObject({ ok: 3, partial: 0, createdRelated: { companies: 1 } });
    const initrode = (await allRecords(admin, 'companies')).filter((c) => c.name.toLowerCase() === 'initrode b');
    expect(initrode).toHaveLength(1);
    contacts = await byName(admin, 'contacts');
    expect(contacts.get('Missing b').companyIds).toEqual([initrode[0].id]);
    expect(contacts.get('Missing too b').companyIds).toEqual([acme, initrode[0].id]);
    // Again: the company is found by its name now, the rows are there already.
    expect(await job(admin, 'type=contacts&createMissing=true', file('b'))).toMatchObject({ ok: 0, duplicates: 3 });
    expect((await allRecords(admin, 'companies')).filter((c) => c.name.toLowerCase() === 'initrode b')).toHaveLength(1);

    // The same file twice at once: each row and each missing company is created once.
    const [one, two] = await Promise.all([job(admin, 'type=contacts&createMissing=true', file('d')), job(admin, 'type=contacts&createMissing=true', file('d'))]);
    expect(one.ok + two.ok).toBe(3);
    expect(one.duplicates + two.duplicates).toBe(3);
    expect((await allRecords(admin, 'companies')).filter((c) => c.name.toLowerCase() === 'initrode d')).toHaveLength(1);
    expect((await allRecords(admin, 'contacts')).filter((c) => c.name.endsWith(' d'))).toHaveLength(3);

    // Someone who may not see the administrator's records, with the same file and a row more: the
    // rows imported before are hidden duplicates; the missing company is theirs, made for them
    // (they may link only what they see), and nothing tells them of the administrator's.
    const theirs = await job(manager, 'type=contacts&createMissing=true', file('d', ['Missing again d', 'missing-again-d@example.com', 'Initrode d']));
    expect(theirs).toMatchObject({ ok: 1, duplicates: 3, bad: 0 });
    expect(theirs.duplicateRows.map((row) => row.hidden)).toEqual([true, true, true]);
    const ownInitrode = (await allRecords(manager, 'companies')).filter((c) => c.name.toLowerCase() === 'initrode d');
    expect(ownInitrode).toHaveLength(1);
    expect((await byName(manager, 'contacts')).get('Missing again d').companyIds).toEqual([ownInitrode[0].id]);
    expect((await allRecords(admin, 'companies')).filter((c) => c.name.toLowerCase() === 'initrode d')).toHaveLength(2);

    // Whoever may not create companies may not ask for them to be created.
    const refused = await postFile(marketing, 'type=contacts&createMissing=true', file('c'));
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/may not create company records/);
  });
});

describe('deals from other people’s files', () => {
  it('reads a stage by its label, a probability as a percent; leaves out a stage of no pipeline (the deal starts in the first)', async () => {
    const done = await job(admin, 'type=deals', csv([
      ['Name', 'Stage', 'Probability'],
      ['Stage by label', 'Won', '25%'],
      ['Stage by key', 'qualified', '12,5 %'],
      ['No such stage', 'Signed', 'approx 40%'],
    ]));
    expect(done).toMatchObject({ ok: 3, partial: 1, bad: 0 });
    expect(reasons(done)).toEqual({ 4: 'Probability: "approx 40%" must be a percent from 0 to 100, like 25%; Stage: must be one of New, Qualified, Proposal, Negotiation, Won, Lost' });
    const deals = await byName(admin, 'deals');
    expect(deals.get('Stage by label')).toMatchObject({ stage: 'won', probability: 25 });
    expect(deals.get('Stage by key')).toMatchObject({ stage: 'qualified', probability: 12.5 });
    expect(deals.get('No such stage')).toMatchObject({ stage: 'new' });
    expect(deals.get('No such stage')).not.toHaveProperty('probability');

    // An update naming the stage a deal is in by its label changes nothing, at any version.
    const update = csv([
      ['Id', 'Version', 'Name', 'Stage', 'Probability'],
      [deals.get('Stage by label').id, '1', 'Stage by label', 'WON', '25 %'],
      [deals.get('Stage by key').id, '1', 'Stage by key', 'Proposal', '12.5'],
    ]);
    expect(await job(admin, 'type=deals&mode=update', update)).toMatchObject({ ok: 2, updated: 1, unchanged: 1, conflicts: 0 });
    let after = await byName(admin, 'deals');
    expect(after.get('Stage by label')).toMatchObject({ stage: 'won', version: 1 });
    expect(after.get('Stage by key')).toMatchObject({ stage: 'proposal', probability: 12.5, version: 2 });
    // Again, the file at version 1 of a deal now at 2: what it says is there, so no conflict.
    expect(await job(admin, 'type=deals&mode=update', update)).toMatchObject({ ok: 2, updated: 0, unchanged: 2, conflicts: 0 });
    after = await byName(admin, 'deals');
    expect([after.get('Stage by label').version, after.get('Stage by key').version]).toEqual([1, 2]);
  });
});

describe('remembered mappings', () => {
  it('keeps what a user mapped their columns to, per type, for their next file', async () => {
    expect((await manager.get('/api/imports/mappings/contact')).json).toEqual({ mapping: {} });
    const mapping = encodeURIComponent(JSON.stringify({ Nachname: 'name', Handy: 'phones', Notiz: null }));
    const done = await job(manager, `type=contacts&country=DE&locale=de-DE&mapping=${mapping}`, csv([['Nachname', 'Handy', 'Notiz'], ['Kowalski', '0171 1234567', 'x']]));
    expect(done).toMatchObject({ ok: 1 });
    expect((await manager.get('/api/imports/mappings/contact')).json).toEqual({ mapping: { Nachname: 'name', Handy: 'phones', Notiz: null }, country: 'DE', locale: 'de-DE' });
    // A dry run remembers nothing; a later choice for a column wins.
    await job(manager, `type=contacts&dryRun=true&mapping=${encodeURIComponent(JSON.stringify({ Nachname: 'name', Handy: null }))}`, csv([['Nachname', 'Handy'], ['X', '1']]));
    await job(manager, `type=contacts&mapping=${encodeURIComponent(JSON.stringify({ Nachname: 'name', Notiz: 'position' }))}`, csv([['Nachname', 'Notiz'], ['Nowak', 'Chef']]));
    expect((await manager.get('/api/imports/mappings/contact')).json).toEqual({ mapping: { Nachname: 'name', Handy: 'phones', Notiz: 'position' }, country: 'DE', locale: 'de-DE' });
    // Another user, another type: nothing.
    expect((await admin.get('/api/imports/mappings/contact')).json).toEqual({ mapping: {} });
    expect((await manager.get('/api/imports/mappings/company')).json).toEqual({ mapping: {} });
  });
});
