/**
 * Merging finds the records to move through the reverse-relation index, written in the same
 * transaction as each relation: a relation set a moment before the merge is moved, one removed
 * (or whose record went to the trash) is not, custom relation fields included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MergeResponse } from '../../functions/contracts/duplicates.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('merge-relations', ['administrator']);
});
afterAll(() => cloud?.stop());

async function created(plural: string, body: unknown) {
  const response = await user.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function patched(plural: string, id: string, version: number, fields: unknown) {
  const response = await user.patch(`/api/${plural}/${id}`, { version, fields });
  expect(response.status, response.text).toBe(200);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function merge(keepId: string, goneId: string) {
  const response = await user.post(`/api/companies/${keepId}/merge`, { otherId: goneId, version: 1, otherVersion: 1 });
  expect(response.status, response.text).toBe(200);
  return MergeResponse.parse(response.json);
}

describe('merge through the reverse-relation index', () => {
  it('moves relations set just before it, built-in and custom, single and multiple', async () => {
    const field = await user.post('/api/fields/deal', { label: 'Partners', type: 'relation', target: 'company', multiple: true });
    expect(field.status, field.text).toBe(201);
    const key = field.json.key as string;
    const keep = await created('companies', { name: 'Keep Ltd' });
    const gone = await created('companies', { name: 'Gone Ltd' });
    const deal = await created('deals', { name: 'Deal' });
    const contact = await created('contacts', { name: 'Contact' });
    // Set just now, and the merge right after: the index is read consistently, no lag.
    await patched('deals', deal.id, 1, { companyId: gone.id, [key]: [gone.id, keep.id] });
    await patched('contacts', contact.id, 1, { companyIds: [gone.id] });

    const merged = await merge(keep.id, gone.id);
    expect(merged.moved.map((m) => m.id).sort()).toEqual([deal.id, contact.id].sort());
    expect((await user.get(`/api/deals/${deal.id}`)).json).toMatchObject({ version: 3, companyId: keep.id, [key]: [keep.id] });
    expect((await user.get(`/api/contacts/${contact.id}`)).json).toMatchObject({ version: 3, companyIds: [keep.id] });
  });

  it('does not count a relation removed, changed to another record, or held by a trashed record', async () => {
    const keep = await created('companies', { name: 'Keep Two' });
    const gone = await created('companies', { name: 'Gone Two' });
    const elsewhere = await created('companies', { name: 'Elsewhere' });
    const removed = await created('contacts', { name: 'Removed', companyIds: [gone.id] });
    const changed = await created('activities', { name: 'Changed', kind: 'task', companyId: gone.id });
    const trashed = await created('deals', { name: 'Trashed', companyId: gone.id });
    const staying = await created('activities', { name: 'Staying', kind: 'call', companyId: gone.id });
    await patched('contacts', removed.id, 1, { companyIds: null });
    await patched('activities', changed.id, 1, { companyId: elsewhere.id });
    expect((await user.delete(`/api/deals/${trashed.id}?version=1`)).status).toBe(204);

    const merged = await merge(keep.id, gone.id);
    expect(merged.moved).toEqual([{ type: 'ACTIVITY', id: staying.id }]);
    expect((await user.get(`/api/contacts/${removed.id}`)).json.version).toBe(2);
    expect((await user.get(`/api/activities/${changed.id}`)).json).toMatchObject({ version: 2, companyId: elsewhere.id });
    // The restored deal is indexed again under what it names (the merged-away company), not under keep.
    expect((await user.post(`/api/deals/${trashed.id}/restore`, {})).status).toBe(200);
    const third = await created('companies', { name: 'Third' });
    const again = await user.post(`/api/companies/${third.id}/merge`, { otherId: keep.id, version: 1, otherVersion: 2 });
    expect(again.status, again.text).toBe(200);
    expect(MergeResponse.parse(again.json).moved.map((m) => m.id)).toEqual([staying.id]);
  });

  it('merges records whose index entries together exceed one transaction: the survivor first, then the trash', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `many${i}@merge-big.example`);
    const phones = Array.from({ length: 20 }, (_, i) => `+4930${String(2000000 + i)}`);
    const keep = await created('contacts', { name: 'Keep Big' });
    const gone = await created('contacts', { name: 'Gone Big', emails, phones });
    const response = await user.post(`/api/contacts/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(response.status, response.text).toBe(200);
    expect(MergeResponse.parse(response.json).record).toMatchObject({ version: 2, emails, phones });
    const found = await user.get(`/api/search?q=${encodeURIComponent('many19@merge-big')}`);
    expect(found.json.items.map((hit: { id: string }) => hit.id)).toEqual([keep.id]);
    expect((await user.get(`/api/contacts/${gone.id}`)).status).toBe(404);
    const again = await user.post(`/api/contacts/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(again.json).toMatchObject({ replayed: true, record: { version: 2 } });
  });
});
