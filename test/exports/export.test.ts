/** CSV export of a record type through the API: labels as header, custom fields, spreadsheet-safe cells, the grid's order, and a round trip through the import. */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('exports');
  other = await cloud.userOf('elsewhere');
});
afterAll(() => cloud?.stop());

describe('CSV export', () => {
  it("writes the grid's labels, custom fields and values as typed in the grid's order (by name), quotes what needs it, and imports again as it is", async () => {
    expect((await user.post('/api/fields/company', { label: 'Annual Revenue', type: 'money' })).status).toBe(201);
    const acme = (await user.post('/api/companies', { name: 'Acme, "the" company', domain: 'acme.com', phones: ['+44 20 7946 0958', '+1 415 555 2671'], size: 12, cf_annual_revenue: { amount: '1200.5', currency: 'EUR' } })).json;
    const evil = (await user.post('/api/companies', { name: '=HYPERLINK("http://x")', industry: '-cmd' })).json;
    const trashed = (await user.post('/api/companies', { name: 'Trashed' })).json;
    expect((await user.delete(`/api/companies/${trashed.id}?version=1`)).status).toBe(204);

    const response = await user.get('/api/companies/export.csv');
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.text).toContain('\r\n');
    const [header, ...rows] = Papa.parse<string[]>(response.text.trimEnd()).data;
    expect(header).toEqual(['Id', 'Version', 'Name', 'Domain', 'Tax ID', 'Industry', 'Size', 'Address', 'Phones', 'Emails', 'Tags', 'Annual Revenue', 'Updated']);
    // As the grid opens the type: by name (`=` before `A`), not in the order they were made.
    expect(rows.map((r) => r[0])).toEqual([evil.id, acme.id]);
    const row = (id: string) => Object.fromEntries(header.map((label, i) => [label, rows.find((r) => r[0] === id)![i]]));
    expect(row(acme.id)).toMatchObject({ Name: 'Acme, "the" company', Domain: 'acme.com', Phones: '+442079460958; +14155552671', Size: '12', 'Annual Revenue': '1200.50 EUR', 'Tax ID': '' });
    expect(row(evil.id)).toMatchObject({ Name: `'=HYPERLINK("http://x")`, Industry: "'-cmd" });

    expect(Papa.parse<string[]>((await other.get('/api/companies/export.csv')).text.trimEnd()).data).toHaveLength(1);
    expect((await other.post('/api/fields/company', { label: 'Annual Revenue', type: 'money' })).status).toBe(201);
    const reimport = await other.request('POST', '/api/imports?type=companies', response.text, { 'content-type': 'text/csv' });
    expect(reimport.status, reimport.text).toBe(201);
    expect(reimport.json).toMatchObject({ ok: 2, bad: 0, ignoredColumns: ['Id', 'Version', 'Updated'] });
    const copied = (await other.get('/api/companies')).json.items;
    expect(copied).toContainEqual(expect.objectContaining({ name: 'Acme, "the" company', phones: ['+442079460958', '+14155552671'], size: 12, cf_annual_revenue: { amount: '1200.50', currency: 'EUR' } }));
  });

  it('exports a saved view: its columns under their labels, its filter and its order', async () => {
    for (const [name, size] of [['View B', 20], ['View A', 10], ['View C', 5]] as const) expect((await user.post('/api/companies', { name, size, industry: 'Views' })).status).toBe(201);
    const view = await user.post('/api/views/company', { name: 'Big ones', columns: ['name', 'size', 'cf_annual_revenue'], filters: [{ field: 'industry', op: 'eq', value: 'Views' }, { field: 'size', op: 'gte', value: 10 }], sort: [{ field: 'name' }] });
    expect(view.status, view.text).toBe(201);
    const response = await user.get(`/api/views/company/${view.json.id}/export.csv`);
    expect(response.status, response.text).toBe(200);
    const [header, ...rows] = Papa.parse<string[]>(response.text.trimEnd()).data;
    expect(header).toEqual(['Id', 'Version', 'Name', 'Size', 'Annual Revenue']);
    expect(rows.map((row) => row.slice(2))).toEqual([
      ['View A', '10', ''],
      ['View B', '20', ''],
    ]);
    expect((await other.get(`/api/views/company/${view.json.id}/export.csv`)).status).toBe(404);
  });
});
