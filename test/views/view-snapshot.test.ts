/**
 * A view's rows come from a snapshot of the type kept in the API function between requests
 * (functions/views/type-snapshot.ts). These tests change records between reads of one view and
 * check that the very next read shows every change, that tenants never share a snapshot, that
 * writers racing a read lose nothing, and that a warm snapshot equals a cold one and a fresh
 * listing of the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { View, ViewRows, ViewRowsOfIds } from '../../functions/contracts/views.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let alice: ApiClient;
let eve: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  alice = await cloud.userOf('snapshot', ['administrator']);
  eve = await cloud.userOf('snapshot-other', ['administrator']);
});
afterAll(() => cloud?.stop());

async function created(client: ApiClient, fields: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const response = await client.post('/api/contacts', fields);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

async function saveView(client: ApiClient, body: Record<string, unknown>): Promise<View> {
  const response = await client.post('/api/views/contact', body);
  expect(response.status, response.text).toBe(201);
  return View.parse(response.json);
}

async function rows(client: ApiClient, viewId: string, query = ''): Promise<ViewRows> {
  const response = await client.get(`/api/views/contact/${viewId}/rows${query}`);
  expect(response.status, response.text).toBe(200);
  return ViewRows.parse(response.json);
}

/** Every row of the view, slice after slice of `limit`. */
async function allRows(client: ApiClient, viewId: string, limit = 20_000): Promise<unknown[][]> {
  const all: unknown[][] = [];
  for (let offset = 0, total = Infinity; offset < total; ) {
    const slice = await rows(client, viewId, `?offset=${offset}&limit=${limit}`);
    all.push(...slice.rows);
    total = slice.total;
    offset += limit;
  }
  return all;
}

/** The tenant's live contacts as the plain listing (gsi1, no snapshot) gives them: id → [version, name]. */
async function listing(client: ApiClient): Promise<Map<string, [number, string]>> {
  const found = new Map<string, [number, string]>();
  let cursor = '';
  do {
    const response = await client.get(`/api/contacts?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status, response.text).toBe(200);
    for (const record of response.json.items) found.set(record.id, [record.version, record.name]);
    cursor = response.json.nextCursor ?? '';
  } while (cursor);
  return found;
}

describe('a view read from the type snapshot', () => {
  it('shows a creation, a change, a trashing and a restore on the very next read', async () => {
    const view = await saveView(alice, { name: 'Buyers', columns: ['name', 'position'], filters: [{ field: 'position', op: 'eq', value: 'Buyer' }], sort: [{ field: 'name' }] });
    const a = await created(alice, { name: 'Anna', position: 'Buyer' });
    const c = await created(alice, { name: 'Carl', position: 'Buyer' });
    await created(alice, { name: 'Otto', position: 'Owner' });
    const names = async () => (await rows(alice, view.id)).rows.map((row) => row.slice(1));
    expect(await names()).toEqual([[1, 'Anna', 'Buyer'], [1, 'Carl', 'Buyer']]);

    const b = await created(alice, { name: 'Bert', position: 'Buyer' });
    expect(await names()).toEqual([[1, 'Anna', 'Buyer'], [1, 'Bert', 'Buyer'], [1, 'Carl', 'Buyer']]);

    // A change moves a row (sort), and another takes one out of the filter.
    expect((await alice.patch(`/api/contacts/${a.id}`, { version: 1, fields: { name: 'Zora' } })).status).toBe(200);
    expect((await alice.patch(`/api/contacts/${c.id}`, { version: 1, fields: { position: 'Owner' } })).status).toBe(200);
    expect(await names()).toEqual([[1, 'Bert', 'Buyer'], [2, 'Zora', 'Buyer']]);

    expect((await alice.delete(`/api/contacts/${b.id}?version=1`)).status).toBe(204);
    expect(await names()).toEqual([[2, 'Zora', 'Buyer']]);

    expect((await alice.post(`/api/contacts/${b.id}/restore`, {})).status).toBe(200);
    expect(await names()).toEqual([[3, 'Bert', 'Buyer'], [2, 'Zora', 'Buyer']]);
  });

  it('never shows one tenant the records of another, for the same type and view', async () => {
    const body = { name: 'All', columns: ['name'], sort: [{ field: 'name' }] };
    const [mine, theirs] = [await saveView(alice, body), await saveView(eve, body)];
    const before = (await rows(alice, mine.id)).rows.map((row) => row[0]);
    const foreign = await created(eve, { name: 'Foreign' });
    expect((await rows(eve, theirs.id)).rows.map((row) => row.slice(2))).toEqual([['Foreign']]);
    const after = (await rows(alice, mine.id)).rows.map((row) => row[0]);
    expect(after).toEqual(before);
    expect(after).not.toContain(foreign.id);
  });

  it('loses nothing to writers racing its reads', async () => {
    const view = await saveView(alice, { name: 'Race', columns: ['name', 'position'], filters: [{ field: 'position', op: 'eq', value: 'Racer' }], sort: [{ field: 'name', direction: 'desc' }] });
    const seeded = await Promise.all(Array.from({ length: 8 }, (_, i) => created(alice, { name: `Racer ${i}`, position: 'Racer' })));
    let reading = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (reading) reads.push((await rows(alice, view.id)).total);
    })();
    // 12 creations and a rename of each seeded record, all at once, while reads go on.
    const writes = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => created(alice, { name: `Racer new ${String(i).padStart(2, '0')}`, position: 'Racer' })),
      ...seeded.map(async ({ id }, i) => {
        const response = await alice.patch(`/api/contacts/${id}`, { version: 1, fields: { name: `Racer renamed ${i}` } });
        expect(response.status, response.text).toBe(200);
        return response.json as { id: string; version: number };
      }),
    ]);
    reading = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    const final = await rows(alice, view.id);
    const expected = new Map(writes.map((w) => [w.id, w.version]));
    expect(new Map(final.rows.map((row) => [row[0] as string, row[1] as number]))).toEqual(expected);
    expect(final.rows.every((row) => String(row[2]).startsWith('Racer new') || String(row[2]).startsWith('Racer renamed'))).toBe(true);
    // Sorted by name, descending, as a fresh sort would.
    const names = final.rows.map((row) => String(row[2]));
    expect(names).toEqual([...names].sort().reverse());
  });

  it('sees a change committed well after it was stamped (a slow writer), within the margin', async () => {
    const view = await saveView(alice, { name: 'Late', columns: ['name'], filters: [{ field: 'position', op: 'eq', value: 'Late' }] });
    expect((await rows(alice, view.id)).total).toBe(0);
    // Written through the domain as the API would, but stamped 20 s ago: the write took that long.
    const { commit } = await import('../../functions/records/repository.ts');
    const { planCreation } = await import('../../functions/records/records.ts');
    const { recordSchemaFor } = await import('../../functions/records/record-schema.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const actor = (await import('../../functions/access/actor.ts')).systemActor('snapshot', 'slow-writer');
    const schema = await recordSchemaFor(actor.tenant, recordTypeNamed('contact')!);
    await commit(actor, [await planCreation(actor, schema, { name: 'Late one', position: 'Late' }, new Date(Date.now() - 20_000).toISOString())]);
    expect((await rows(alice, view.id)).rows.map((row) => row[2])).toEqual(['Late one']);
  });

  it('answers the rows of some records: in view order, with their places, and which are not rows', async () => {
    const view = await saveView(alice, { name: 'By ids', columns: ['name'], filters: [{ field: 'position', op: 'eq', value: 'Picked' }], sort: [{ field: 'name' }] });
    const [p1, p2, p3] = [await created(alice, { name: 'P1', position: 'Picked' }), await created(alice, { name: 'P2', position: 'Picked' }), await created(alice, { name: 'P3', position: 'Picked' })];
    const other = await created(alice, { name: 'Not picked', position: 'Other' });
    await alice.delete(`/api/contacts/${p2.id}?version=1`);
    const unknown = '01J00000000000000000000000';
    const response = await alice.get(`/api/views/contact/${view.id}/rows?ids=${[p3.id, p2.id, other.id, unknown, p1.id].join(',')}`);
    expect(response.status, response.text).toBe(200);
    const answer = ViewRowsOfIds.parse(response.json);
    expect(answer.rows).toEqual([[p1.id, 1, 'P1'], [p3.id, 1, 'P3']]);
    expect(answer.positions).toEqual([0, 1]);
    expect(answer.total).toBe(2);
    expect(answer.removed.sort()).toEqual([p2.id, other.id, unknown].sort());

    // The same for an unsaved view, ids in the body.
    const unsaved = await alice.post('/api/views/contact/rows', { columns: ['name'], sort: [{ field: 'name', direction: 'desc' }], filters: view.filters, ids: [p1.id, p3.id] });
    expect(unsaved.status, unsaved.text).toBe(200);
    expect(ViewRowsOfIds.parse(unsaved.json)).toMatchObject({ rows: [[p3.id, 1, 'P3'], [p1.id, 1, 'P1']], positions: [0, 1], removed: [] });
  });

  it('refuses malformed ids, too many, and ids with a slice, naming the field', async () => {
    const view = await saveView(alice, { name: 'Refusals', columns: ['name'] });
    const cases: Array<[string, string]> = [
      [`/api/views/contact/${view.id}/rows?ids=nope`, 'query.ids.0'],
      [`/api/views/contact/${view.id}/rows?ids=${Array.from({ length: 301 }, () => '01J00000000000000000000000').join(',')}`, 'query.ids'],
      [`/api/views/contact/${view.id}/rows?ids=01J00000000000000000000000&offset=1`, 'query.ids'],
    ];
    for (const [path, field] of cases) {
      const response = await alice.get(path);
      expect(response.status, path).toBe(400);
      expect(ApiErrorBody.parse(response.json).error.issues?.map((issue) => issue.path)).toContain(field);
    }
    const body = await alice.post('/api/views/contact/rows?offset=1', { columns: ['name'], ids: ['01J00000000000000000000000'] });
    expect(body.status).toBe(400);
    expect(ApiErrorBody.parse(body.json).error.issues?.map((issue) => issue.path)).toContain('ids');
  });

  it('is the same warm as cold, and the same as a fresh listing of the table', async () => {
    const view = await saveView(alice, { name: 'Everyone', columns: ['name'], sort: [{ field: 'name' }] });
    // Otto was in the type's first read (and in the snapshot stored then); he leaves now.
    const [ottoId, [ottoVersion]] = [...(await listing(alice))].find(([, [, name]]) => name === 'Otto')!;
    expect((await alice.delete(`/api/contacts/${ottoId}?version=${ottoVersion}`)).status).toBe(204);
    const warm = await allRows(alice, view.id, 7);
    expect(warm.map((row) => row[0])).not.toContain(ottoId);
    const fresh = await listing(alice);
    expect(new Map(warm.map((row) => [row[0] as string, [row[1], row[2]]]))).toEqual(fresh);

    // A cold container: this test's own instance of the domain modules (the cloud's API function
    // is another bundle, with its own snapshots) has none yet and loads the type from the table.
    const { viewRows } = await import('../../functions/views/view-rows.ts');
    const { recordSchemaFor } = await import('../../functions/records/record-schema.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const schema = await recordSchemaFor('snapshot', recordTypeNamed('contact')!);
    // It starts from the snapshot the cloud's function stored at its first read, which many
    // changes since (creations, changes, trashings, restores) have made stale.
    const { readStoredSnapshot } = await import('../../functions/views/stored-snapshot.ts');
    const stored = await readStoredSnapshot('snapshot', 'CONTACT');
    expect(stored && stored.records.length).toBeLessThan(warm.length);
    expect(stored!.records.map((record) => record.id)).toContain(ottoId);
    const cold = await viewRows((await import('../../functions/access/actor.ts')).systemActor('snapshot', 'test'), schema, view);
    expect(cold.rows).toEqual(warm);
    // The API's answer, joined from rows kept as JSON, is exactly the rows serialised afresh.
    const answer = (await alice.get(`/api/views/contact/${view.id}/rows`)).text;
    expect(answer).toBe(JSON.stringify(cold));
  });
});
