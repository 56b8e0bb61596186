/**
 * CSV export speaks names, as the grid does: user columns (owner, custom `user` fields) as the
 * user's label (a name two users share with the e-mail beside it), relation columns as the
 * related records' names (`A; B`), `Hidden record` for a record out of the caller's scope; the
 * quick search of an export matches those names, not the ids behind them. Inline and through the
 * bucket, for a type, a saved view and an unsaved one.
 */
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportLink } from '../../functions/contracts/exports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;
let manager: ApiClient; // sales manager without a team: sees their own records only
const subs: Record<string, string> = {};
const ids: Record<string, string> = {};

const rowsOf = (csv: string) => Papa.parse<string[]>(csv.trimEnd()).data;
/** The rows of a CSV by their first cell (the id), as label → cell. */
function byId(csv: string): Map<string, Record<string, string>> {
  const [header, ...rows] = rowsOf(csv);
  return new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((label, i) => [label, row[i]]))]));
}

async function created(client: ApiClient, path: string, body: unknown): Promise<string> {
  const response = await client.post(path, body);
  expect(response.status, response.text).toBe(201);
  return response.json.id ?? response.json.sub;
}

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('export-names');
  manager = await cloud.userOf('export-names', ['sales-manager']);
  for (const [key, email, name] of [
    ['ann1', 'ann1@export-names.example.com', 'Ann Lee'],
    ['ann2', 'ann2@export-names.example.com', 'Ann Lee'],
    ['emile', 'emile@export-names.example.com', 'Émile Zola'],
  ]) subs[key] = await created(admin, '/api/users', { email, name, role: 'sales-representative' });
  expect((await admin.post('/api/fields/contact', { label: 'Account manager', type: 'user' })).status).toBe(201);
  ids.acme = await created(admin, '/api/companies', { name: 'Acme' });
  ids.globex = await created(admin, '/api/companies', { name: 'Globex' });
  ids.own = await created(manager, '/api/companies', { name: 'Manager Co' });
  ids.zed = await created(admin, '/api/contacts', { name: 'Zed', companyIds: [ids.acme, ids.globex], cf_account_manager: subs.ann1 });
  ids.yan = await created(admin, '/api/contacts', { name: 'Yan', companyIds: [ids.own], cf_account_manager: subs.emile });
  // The manager's contact links a company they may not see (an administrator linked it: the manager may not).
  ids.mia = await created(admin, '/api/contacts', { name: 'Mia', companyIds: [ids.acme, ids.own] });
  const managerSub = (await manager.get('/api/me')).json.sub;
  expect((await admin.patch(`/api/contacts/${ids.mia}/owner`, { version: 1, owner: managerSub })).status).toBe(200);
});
afterAll(() => cloud?.stop());
afterEach(() => {
  delete process.env.EXPORT_INLINE_BYTES;
});

const VIEW = { columns: ['name', 'companyIds', 'cf_account_manager', 'owner'], sort: [{ field: 'name', direction: 'asc' }] };

describe('CSV export with names', () => {
  it('writes users by label and related records by name, for a type and for an unsaved view', async () => {
    const typeExport = await admin.get('/api/contacts/export.csv');
    expect(typeExport.status, typeExport.text).toBe(200);
    const contacts = byId(typeExport.text);
    expect(contacts.get(ids.zed)).toMatchObject({ Name: 'Zed', Companies: 'Acme; Globex', 'Account manager': 'Ann Lee <ann1@export-names.example.com>' });
    expect(contacts.get(ids.yan)).toMatchObject({ Companies: 'Manager Co', 'Account manager': 'Émile Zola' });
    expect(typeExport.text).not.toContain(ids.acme);
    expect(typeExport.text).not.toContain(subs.ann1);

    const viewExport = await admin.post('/api/views/contact/export.csv', VIEW);
    expect(viewExport.status, viewExport.text).toBe(200);
    const [header, ...rows] = rowsOf(viewExport.text);
    expect(header).toEqual(['Id', 'Version', 'Name', 'Companies', 'Account manager', 'Owner']);
    // The admin has no name: their label is their e-mail; the manager's likewise.
    const [adminEmail, managerEmail] = ['user1@export-names.example.com', 'user2@export-names.example.com'];
    expect(rows.map((row) => row.slice(2))).toEqual([
      ['Mia', 'Acme; Manager Co', '', managerEmail],
      ['Yan', 'Manager Co', 'Émile Zola', adminEmail],
      ['Zed', 'Acme; Globex', 'Ann Lee <ann1@export-names.example.com>', adminEmail],
    ]);
  });

  it('shows a record out of the caller’s scope as Hidden record, never its name', async () => {
    const mine = await manager.post('/api/views/contact/export.csv', VIEW);
    expect(mine.status, mine.text).toBe(200);
    expect(rowsOf(mine.text).slice(1).map((row) => row.slice(2, 4))).toEqual([['Mia', 'Hidden record; Manager Co']]);
    expect(mine.text).not.toContain('Acme');
    expect(byId((await manager.get('/api/contacts/export.csv')).text).get(ids.mia)).toMatchObject({ Companies: 'Hidden record; Manager Co' });
  });

  it('searches what the cells show: user and record names, not the ids behind them, and nothing hidden', async () => {
    const search = async (client: ApiClient, text: string) => rowsOf((await client.post('/api/views/contact/export.csv', { ...VIEW, search: text })).text).slice(1).map((row) => row[2]);
    expect(await search(admin, 'ann lee')).toEqual(['Zed']);
    expect(await search(admin, 'EMILE')).toEqual(['Yan']);
    expect(await search(admin, 'globex')).toEqual(['Zed']);
    expect(await search(admin, 'manager co')).toEqual(['Mia', 'Yan']);
    expect(await search(admin, subs.ann1)).toEqual([]);
    expect(await search(admin, ids.globex)).toEqual([]);
    // The manager's cell shows Hidden record, not Acme: a search for Acme finds nothing of theirs.
    expect(await search(manager, 'acme')).toEqual([]);
    expect(await search(manager, 'hidden')).toEqual(['Mia']);
  });

  it('writes names through the bucket too, for a saved view', async () => {
    const view = await admin.post('/api/views/contact', { name: 'People', ...VIEW });
    expect(view.status, view.text).toBe(201);
    const path = `/api/views/contact/${view.json.id}/export.csv`;
    const inline = await admin.get(path);
    expect(inline.status, inline.text).toBe(200);
    expect(byId(inline.text).get(ids.zed)).toMatchObject({ Companies: 'Acme; Globex', 'Account manager': 'Ann Lee <ann1@export-names.example.com>' });
    process.env.EXPORT_INLINE_BYTES = '0';
    const linked = await admin.get(path);
    expect(linked.status, linked.text).toBe(200);
    const download = await fetch(ExportLink.parse(linked.json).url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(inline.text);
  });
});
