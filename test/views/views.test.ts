/** Grid views: saved per user or shared; every row of a view, filtered, sorted, grouped, in compact rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { View, ViewList, ViewRows } from '../../functions/contracts/views.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let alice: ApiClient;
let bob: ApiClient; // same tenant
let eve: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  alice = await cloud.userOf('viewing');
  bob = await cloud.userOf('viewing');
  eve = await cloud.userOf('viewing-other');
  const deals = [
    { name: 'Alpha', stage: 'won', probability: 100, amount: { amount: '900', currency: 'EUR' } },
    { name: 'beta', stage: 'proposal', probability: 20, amount: { amount: '1500', currency: 'EUR' } },
    { name: 'Gamma', stage: 'proposal', probability: 60, amount: { amount: '80', currency: 'EUR' } },
    { name: 'Delta', stage: 'lost', lossReason: 'price', probability: 0 },
    { name: 'Épsilon', stage: 'proposal', probability: 40, tags: ['vip'] },
  ];
  for (const deal of deals) expect((await alice.post('/api/deals', deal)).status).toBe(201);
  const trashed = (await alice.post('/api/deals', { name: 'Trashed', stage: 'proposal' })).json;
  await alice.delete(`/api/deals/${trashed.id}?version=1`);
  await eve.post('/api/deals', { name: 'Foreign', stage: 'proposal' });
});
afterAll(() => cloud?.stop());

async function save(client: ApiClient, body: Record<string, unknown>) {
  const response = await client.post('/api/views/deal', body);
  expect(response.status, response.text).toBe(201);
  return View.parse(response.json);
}

async function rows(client: ApiClient, id: string) {
  const response = await client.get(`/api/views/deal/${id}/rows`);
  expect(response.status, response.text).toBe(200);
  return ViewRows.parse(response.json);
}

describe('views', () => {
  it('answers every row of a view: filtered, sorted, only its columns', async () => {
    const view = await save(alice, { name: 'Open by amount', columns: ['name', 'amount'], filters: [{ field: 'stage', op: 'eq', value: 'PROPOSAL' }], sort: [{ field: 'amount', direction: 'desc' }] });
    const result = await rows(alice, view.id);
    expect(result.columns).toEqual(['name', 'amount']);
    // Money sorts by amount; records without one come last; the trashed and the foreign never come.
    expect(result.rows.map((row) => row.slice(2))).toEqual([
      ['beta', { amount: '1500.00', currency: 'EUR' }],
      ['Gamma', { amount: '80.00', currency: 'EUR' }],
      ['Épsilon', null],
    ]);
    expect(result.rows.every((row) => typeof row[0] === 'string' && row[1] === 1)).toBe(true);
    expect([result.total, result.offset]).toEqual([3, 0]);

    const slice = ViewRows.parse((await alice.get(`/api/views/deal/${view.id}/rows?offset=1&limit=1`)).json);
    expect([slice.total, slice.offset, slice.rows.map((row) => row[2])]).toEqual([3, 1, ['Gamma']]);
    expect((await alice.get(`/api/views/deal/${view.id}/rows?limit=20001`)).status).toBe(400);
  });

  it('groups rows, and filters by range, text and list', async () => {
    const view = await save(alice, { name: 'By stage', columns: ['name'], groupBy: 'stage', sort: [{ field: 'name' }] });
    const result = await rows(alice, view.id);
    expect(result.groups).toEqual([
      { value: 'lost', count: 1 },
      { value: 'proposal', count: 3 },
      { value: 'won', count: 1 },
    ]);
    expect(result.rows.map((row) => row[2])).toEqual(['Delta', 'beta', 'Épsilon', 'Gamma', 'Alpha']);

    const adHoc = async (body: Record<string, unknown>) => {
      const response = await alice.post('/api/views/deal/rows', { columns: ['name'], sort: [{ field: 'name' }], ...body });
      expect(response.status, response.text).toBe(200);
      return ViewRows.parse(response.json).rows.map((row) => row[2]);
    };
    expect(await adHoc({ filters: [{ field: 'probability', op: 'gte', value: 40 }, { field: 'probability', op: 'lt', value: 100 }] })).toEqual(['Épsilon', 'Gamma']);
    expect(await adHoc({ filters: [{ field: 'name', op: 'startsWith', value: 'eps' }] })).toEqual(['Épsilon']);
    expect(await adHoc({ filters: [{ field: 'stage', op: 'in', value: ['won', 'lost'] }] })).toEqual(['Alpha', 'Delta']);
    expect(await adHoc({ filters: [{ field: 'tags', op: 'eq', value: 'vip' }] })).toEqual(['Épsilon']);
    expect(await adHoc({ filters: [{ field: 'amount', op: 'empty' }] })).toEqual(['Delta', 'Épsilon']);
  });

  it('a private view is its owner\'s, a shared one everyone\'s to read and its owner\'s to change', async () => {
    const mine = await save(alice, { name: 'Private', columns: ['name'] });
    const shared = await save(alice, { name: 'Team', columns: ['name'], shared: true });
    const bobSees = ViewList.parse((await bob.get('/api/views/deal')).json).items.map((v) => v.id);
    expect(bobSees).toContain(shared.id);
    expect(bobSees).not.toContain(mine.id);
    expect((await bob.get(`/api/views/deal/${mine.id}/rows`)).status).toBe(404);
    expect((await bob.get(`/api/views/deal/${shared.id}/rows`)).status).toBe(200);
    expect((await bob.patch(`/api/views/deal/${shared.id}`, { version: 1, fields: { name: 'Taken' } })).status).toBe(404);
    expect(ViewList.parse((await eve.get('/api/views/deal')).json).items).toEqual([]);
    expect((await eve.get(`/api/views/deal/${shared.id}/rows`)).status).toBe(404);

    const renamed = await alice.patch(`/api/views/deal/${shared.id}`, { version: 1, fields: { name: 'Team pipeline' } });
    expect(renamed.json).toMatchObject({ name: 'Team pipeline', version: 2 });
    expect((await alice.patch(`/api/views/deal/${shared.id}`, { version: 1, fields: { name: 'Stale' } })).status).toBe(409);
    expect((await alice.delete(`/api/views/deal/${shared.id}?version=2`)).status).toBe(204);
    expect((await bob.get(`/api/views/deal/${shared.id}/rows`)).status).toBe(404);
  });

  it('refuses fields the type does not have, by path', async () => {
    const response = await alice.post('/api/views/deal', { name: 'Bad', columns: ['name', 'colour'], sort: [{ field: 'size' }] });
    expect(response.status).toBe(400);
    expect(ApiErrorBody.parse(response.json).error.issues?.map((i) => i.path)).toEqual(['columns.1', 'sort.0.field']);
    const adHoc = await alice.post('/api/views/deal/rows', { columns: ['name'], filters: [{ field: '__proto__', op: 'empty' }], groupBy: 'constructor' });
    expect(adHoc.status).toBe(400);
    expect(ApiErrorBody.parse(adHoc.json).error.issues?.map((i) => i.path)).toEqual(['filters.0.field', 'groupBy']);
  });
});
