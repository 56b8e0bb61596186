/**
 * An open grid stays current: it polls the change feed, and asks the view for the rows of the
 * records the feed names. A change by one user reaches another user's grid this way.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChangesResponse } from '../../functions/contracts/record.ts';
import { View, ViewRows, ViewRowsOfIds } from '../../functions/contracts/views.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let writer: ApiClient;
let reader: ApiClient; // same tenant, another user with the grid open

beforeAll(async () => {
  cloud = await startTestCloud();
  writer = await cloud.userOf('grid-feed', ['administrator']);
  reader = await cloud.userOf('grid-feed', ['administrator']);
});
afterAll(() => cloud?.stop());

it("brings one user's changes into another user's open grid: the feed names them, the view's rows of those ids show them", async () => {
  const make = async (name: string) => (await writer.post('/api/companies', { name, industry: 'Shipping' })).json as { id: string; version: number };
  const [kept, renamed, trashed] = [await make('Kept'), await make('Renamed'), await make('Trashed')];
  const view = View.parse((await reader.post('/api/views/company', { name: 'Shipping', shared: false, columns: ['name'], filters: [{ field: 'industry', op: 'eq', value: 'Shipping' }], sort: [{ field: 'name' }] })).json);

  // The grid opens: its rows, then the feed's cursor from which it polls.
  const opened = ViewRows.parse((await reader.get(`/api/views/company/${view.id}/rows`)).json);
  expect(opened.rows.map((row) => row[2])).toEqual(['Kept', 'Renamed', 'Trashed']);
  let cursor = ChangesResponse.parse((await reader.get('/api/changes')).json).cursor;

  // Another user changes three records of the view.
  expect((await writer.patch(`/api/companies/${renamed.id}`, { version: 1, fields: { name: 'Also kept' } })).status).toBe(200);
  expect((await writer.delete(`/api/companies/${trashed.id}?version=1`)).status).toBe(204);
  const added = await make('Added');

  // The grid polls, page after page, until the feed names all three (the stream is asynchronous).
  const named = new Set<string>();
  await expect
    .poll(
      async () => {
        const page = ChangesResponse.parse((await reader.get(`/api/changes?after=${encodeURIComponent(cursor)}`)).json);
        for (const entry of page.items) named.add(entry.id);
        cursor = page.cursor;
        return [...named].sort();
      },
      { timeout: 20_000, interval: 100 },
    )
    .toEqual([renamed.id, trashed.id, added.id].sort());

  // ...and refreshes just those rows.
  const response = await reader.get(`/api/views/company/${view.id}/rows?ids=${[...named].join(',')}`);
  expect(response.status, response.text).toBe(200);
  const refreshed = ViewRowsOfIds.parse(response.json);
  expect(refreshed.rows).toEqual([
    [added.id, 1, 'Added'],
    [renamed.id, 2, 'Also kept'],
  ]);
  expect(refreshed.positions).toEqual([0, 1]);
  expect(refreshed.removed).toEqual([trashed.id]);
  expect(refreshed.total).toBe(3);
  // What the grid now shows is what a full read of the view shows.
  const full = ViewRows.parse((await reader.get(`/api/views/company/${view.id}/rows`)).json);
  expect(full.rows.map((row) => row[0])).toEqual([added.id, renamed.id, kept.id]);
});
