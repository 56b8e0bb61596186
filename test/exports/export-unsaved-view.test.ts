/**
 * Export of a view as the grid shows it, unsaved: POST /api/views/{type}/export.csv with the
 * view's columns, filters, order and quick search (zod-validated, 400 with the field's path),
 * and the rows the caller's role may read, nothing more.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;
let manager: ApiClient; // sales manager: deals of their team (they have none: their own)
let rep: ApiClient; // sales representative: may not export

/** name, stage, amount (EUR), owner. */
const DEALS: Array<[string, string, string]> = [
  ['Turbines', 'won', '1200.50'],
  ['Licences', 'proposal', '99.99'],
  ['Support', 'won', '300.00'],
  ['Cables', 'won', '0.01'],
  ['Émile audit', 'qualified', '5000.00'],
];

const rowsOf = (csv: string) => Papa.parse<string[]>(csv.trimEnd()).data;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('unsaved-export');
  manager = await cloud.userOf('unsaved-export', ['sales-manager']);
  rep = await cloud.userOf('unsaved-export', ['sales-representative']);
  for (const [name, stage, amount] of DEALS) {
    const created = await admin.post('/api/deals', { name, stage, amount: { amount, currency: 'EUR' } });
    expect(created.status, created.text).toBe(201);
  }
  expect((await manager.post('/api/deals', { name: 'Manager deal', stage: 'won', amount: { amount: '7.00', currency: 'EUR' } })).status).toBe(201);
});
afterAll(() => cloud?.stop());

describe('export of an unsaved view', () => {
  it('writes the view’s columns under their labels, its filters, its order and the quick search', async () => {
    const view = { columns: ['name', 'amount'], filters: [{ field: 'stage', op: 'eq', value: 'won' }], sort: [{ field: 'amount', direction: 'desc' }] };
    const response = await admin.post('/api/views/deal/export.csv', view);
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = rowsOf(response.text);
    expect(header).toEqual(['Id', 'Version', 'Name', 'Amount']);
    const won = [...DEALS.filter((d) => d[1] === 'won').map((d) => [d[0], d[2]]), ['Manager deal', '7.00']].sort((a, b) => Number(b[1]) - Number(a[1]));
    expect(rows.map((row) => row.slice(2))).toEqual(won.map(([name, amount]) => [name, `${amount} EUR`]));

    // The quick search: over the view's columns, case and accents ignored.
    const searched = await admin.post('/api/views/deal/export.csv', { columns: ['name', 'stage'], search: '  EMILE ' });
    // A stage written as the grid shows it, by its label.
    expect(rowsOf(searched.text).slice(1).map((row) => row.slice(2))).toEqual([['Émile audit', 'Qualified']]);
    // A search for what only a hidden column holds finds nothing.
    expect(rowsOf((await admin.post('/api/views/deal/export.csv', { columns: ['name'], search: 'qualified' })).text)).toHaveLength(1);
  });

  it('refuses a view that does not validate, saying where', async () => {
    const badOp = await admin.post('/api/views/deal/export.csv', { columns: ['name'], filters: [{ field: 'stage', op: 'like', value: 'x' }] });
    expect(badOp.status).toBe(400);
    expect(badOp.json.error.issues.map((issue: { path: string }) => issue.path)).toContain('filters.0.op');
    const unknown = await admin.post('/api/views/deal/export.csv', { columns: ['name', 'nope'] });
    expect(unknown.status, unknown.text).toBe(400);
    expect(JSON.stringify(unknown.json.error)).toContain('nope');
    const extra = await admin.post('/api/views/deal/export.csv', { columns: ['name'], ids: ['01J00000000000000000000000'] });
    expect(extra.status).toBe(400);
  });

  it('exports only what the role may read, and nothing for a role that may not export', async () => {
    const mine = await manager.post('/api/views/deal/export.csv', { columns: ['name'] });
    expect(mine.status, mine.text).toBe(200);
    expect(rowsOf(mine.text).slice(1).map((row) => row[2])).toEqual(['Manager deal']);
    const refused = await rep.post('/api/views/deal/export.csv', { columns: ['name'] });
    expect(refused.status).toBe(403);
  });
});
