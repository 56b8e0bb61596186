/**
 * Files as people have them: saved by Excel on Windows (Windows-1252), as "Unicode text"
 * (UTF-16), with a byte-order mark, separated by tabs, semicolons or pipes; and an export
 * imported again, whose formula guard must come off. Each is read alike from the request body
 * and from an upload (the same row-reading code).
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { allRecords, importUploaded, postFile } from '../support/import-requests.ts';

let cloud: TestCloud;
let user: ApiClient;
let copy: ApiClient; // another tenant, for the round trip

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('files');
  copy = await cloud.userOf('files-copy');
});
afterAll(() => cloud?.stop());

const utf16 = (text: string, order: 'le' | 'be') => {
  const bytes = Buffer.from(text, 'utf16le');
  if (order === 'be') for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]);
};

const names = (records: Array<{ name: string }>) => records.map((r) => r.name).sort();

describe('encodings', () => {
  it('reads Windows-1252 (Latin-1), UTF-16LE/BE and UTF-8 with a byte-order mark, from the body and from an upload', async () => {
    const text = (tag: string) => `Name;Industry\r\nMüller ${tag} GmbH;Bäckerei\r\nDupré ${tag} SARL;Café € crème\r\n`;
    const files: Record<string, (tag: string) => Buffer> = {
      cp1252: (tag) => Buffer.from(text(tag).replace('€', '\x80'), 'latin1'),
      utf16le: (tag) => utf16(text(tag), 'le'),
      utf16be: (tag) => utf16(text(tag), 'be'),
      bom: (tag) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text(tag))]),
    };
    for (const [tag, bytes] of Object.entries(files)) {
      const direct = await postFile(user, 'type=companies', bytes(tag));
      expect(direct.status, direct.text).toBe(201);
      expect(direct.json, tag).toMatchObject({ ok: 2, bad: 0, ignoredColumns: [] });
      const uploaded = await importUploaded(user, 'type=companies', bytes(`${tag} up`));
      expect(uploaded, tag).toMatchObject({ status: 'done', ok: 2, bad: 0 });
    }
    const companies = await allRecords(user, 'companies');
    for (const tag of Object.keys(files)) {
      for (const suffix of [tag, `${tag} up`]) {
        expect(companies).toContainEqual(expect.objectContaining({ name: `Müller ${suffix} GmbH`, industry: 'Bäckerei' }));
        expect(companies).toContainEqual(expect.objectContaining({ name: `Dupré ${suffix} SARL`, industry: 'Café € crème' }));
      }
    }
  });

  it('refuses a workbook and a file that mixes encodings, saying what to do', async () => {
    const workbook = await postFile(user, 'type=companies', Buffer.from('PK\x03\x04\x14\x00\x06\x00\x08\x00', 'latin1'));
    expect(workbook.status).toBe(400);
    expect(workbook.json.error.issues).toEqual([{ path: 'file', message: expect.stringMatching(/^is a workbook \(\.xlsx\).*save it as CSV/) }]);

    const utf8 = Buffer.from(`Name\r\nJürgen\r\n${'Filler\r\n'.repeat(10_000)}`);
    const mixed = await postFile(user, 'type=companies&dryRun=true', Buffer.concat([utf8, Buffer.from('Müller\r\n', 'latin1')]));
    expect(mixed.status).toBe(400);
    expect(mixed.json.error.issues).toEqual([{ path: 'file', message: 'is not UTF-8 throughout (line 10,003 is not): save it again as "CSV UTF-8" and import that' }]);
    const job = await importUploaded(user, 'type=companies&dryRun=true', Buffer.concat([utf8, Buffer.from('Müller\r\n', 'latin1')]));
    expect(job).toMatchObject({ status: 'failed', failure: 'The file is not UTF-8 throughout (line 10,003 is not): save it again as "CSV UTF-8" and import that' });
  });

  it('refuses a body sent as text that the gateway could not read as UTF-8, rather than storing it broken', async () => {
    const response = await postFile(user, 'type=companies&dryRun=true', Buffer.from('Name\r\nMüller\r\n', 'latin1'), 'text/csv');
    expect(response.status).toBe(400);
    expect(response.json.error.issues).toEqual([{ path: 'body', message: expect.stringMatching(/not UTF-8.*application\/octet-stream/) }]);
  });
});

describe('delimiters', () => {
  it('reads two-column files separated by tab, semicolon or pipe, from the body and from an upload', async () => {
    for (const [tag, delimiter] of [['tab', '\t'], ['semicolon', ';'], ['pipe', '|'], ['comma', ',']]) {
      const file = `Name${delimiter}Domain\r\n${tag} one${delimiter}${tag}-one.example\r\n${tag} two${delimiter}${tag}-two.example\r\n`;
      const direct = await postFile(user, 'type=companies', file);
      expect(direct.status, direct.text).toBe(201);
      expect(direct.json, tag).toMatchObject({ ok: 2, bad: 0, columns: [{ column: 'Name', field: 'name' }, { column: 'Domain', field: 'domain' }] });
      const uploaded = await importUploaded(user, 'type=companies', file.replaceAll(' one', ' three').replaceAll(' two', ' four').replaceAll('-one', '-three').replaceAll('-two', '-four'));
      expect(uploaded, tag).toMatchObject({ status: 'done', ok: 2, bad: 0 });
    }
    const companies = await allRecords(user, 'companies');
    expect(companies).toContainEqual(expect.objectContaining({ name: 'tab one', domain: 'tab-one.example' }));
    expect(companies).toContainEqual(expect.objectContaining({ name: 'pipe four', domain: 'pipe-four.example' }));
  });
});

describe('an export imported again', () => {
  it('takes off the formula guard the export added, and only that', async () => {
    const values = ['=1+1', '@SUM(A1)', '-cmd', "'=already quoted", "'just an apostrophe", "''", '+ plus words', '=HYPERLINK("http://x")'];
    for (const [i, industry] of values.entries()) expect((await user.post('/api/companies', { name: `Formula ${i}`, industry })).status).toBe(201);
    const exported = await user.get('/api/companies/export.csv');
    const [header, ...rows] = Papa.parse<string[]>(exported.text.trimEnd()).data;
    const industryOf = (name: string) => rows.find((row) => row[header.indexOf('Name')] === name)![header.indexOf('Industry')];
    // In the file every formula start is guarded, so a spreadsheet opening it runs nothing.
    expect(values.map((_, i) => industryOf(`Formula ${i}`))).toEqual(["'=1+1", "'@SUM(A1)", "'-cmd", "''=already quoted", "'just an apostrophe", "''", "'+ plus words", `'=HYPERLINK("http://x")`]);

    const reimport = await postFile(copy, 'type=companies', exported.text);
    expect(reimport.status, reimport.text).toBe(201);
    const copied = (await allRecords(copy, 'companies')).filter((c) => c.name.startsWith('Formula '));
    expect(names(copied)).toEqual(values.map((_, i) => `Formula ${i}`));
    for (const [i, industry] of values.entries()) expect(copied.find((c) => c.name === `Formula ${i}`).industry, industry).toBe(industry);
  });
});
