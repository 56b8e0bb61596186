/** POST /api/trash/restore: many records back from the trash, each at its trashed version, a result per record, the role's delete right per type, no double restore on retry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestoreResponse, TrashResponse, type TrashItem } from '../../functions/contracts/trash.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('restore');
});
afterAll(() => cloud?.stop());

async function trash(user: ApiClient, items: TrashItem[]) {
  const response = await user.post('/api/trash', { items });
  expect(response.status, response.text).toBe(200);
  return TrashResponse.parse(response.json).results.map((result, i) => {
    expect(result.status, items[i].id).toBe('ok');
    return { ...items[i], version: result.status === 'ok' ? result.version : 0 };
  });
}

async function restore(user: ApiClient, items: TrashItem[], idempotencyKey?: string) {
  const response = await user.post('/api/trash/restore', { items, idempotencyKey });
  expect(response.status, response.text).toBe(200);
  const { results, records } = RestoreResponse.parse(response.json);
  // Each result with the record it refers to (the answer holds each once).
  return results.map((result, i) => {
    const record = records[items[i].id];
    if (result.status === 'ok') return { status: result.status, record };
    return result.status === 'conflict' || result.status === 'notInTrash' ? { ...result, current: record } : result;
  });
}

const create = async (plural: string, fields: Record<string, unknown>, user = admin) => {
  const response = await user.post(`/api/${plural}`, fields);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number };
};
const listed = async (path: string, user = admin) => ((await user.get(path)).json.items as Array<{ id: string }>).map((r) => r.id);
const actions = async (plural: string, id: string) => HistoryResponse.parse((await admin.get(`/api/${plural}/${id}/history`)).json).items.map((h) => h.action);

describe('restoring many records from the trash', () => {
  it('brings back records of several types at their trashed versions, and answers per record', async () => {
    const company = await create('companies', { name: 'Back Co' });
    const contact = await create('contacts', { name: 'Back Contact', companyIds: [company.id] });
    const deal = await create('deals', { name: 'Back Deal', companyId: company.id });
    const changed = await create('companies', { name: 'Changed Co' });
    const live = await create('companies', { name: 'Live Co' });
    const trashed = await trash(admin, [
      { type: 'company', id: company.id, version: 1 },
      { type: 'contact', id: contact.id, version: 1 },
      { type: 'deal', id: deal.id, version: 1 },
      { type: 'company', id: changed.id, version: 1 },
    ]);
    const results = await restore(admin, [
      ...trashed.slice(0, 3),
      // Not the trashed version (1 was the live one): the trashed record is not overwritten.
      { type: 'company', id: changed.id, version: 1 },
      { type: 'company', id: live.id, version: 1 },
      { type: 'company', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 2 },
      { type: 'planet', id: company.id, version: 2 },
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'conflict', 'notInTrash', 'notFound', 'notFound']);
    expect(results[0]).toEqual({ status: 'ok', record: expect.objectContaining({ id: company.id, version: 3, name: 'Back Co' }) });
    expect(results[2]).toEqual({ status: 'ok', record: expect.objectContaining({ id: deal.id, version: 3, name: 'Back Deal', companyId: company.id }) });
    expect((results[2] as { record: Record<string, unknown> }).record.deletedAt).toBeUndefined();
    expect(results[3]).toMatchObject({ status: 'conflict', current: { id: changed.id, version: 2 } });
    expect(results[4]).toMatchObject({ status: 'notInTrash', current: { id: live.id, version: 1, name: 'Live Co' } });

    expect(await listed('/api/companies?limit=1000')).toContain(company.id);
    expect(await listed('/api/contacts?limit=1000')).toContain(contact.id);
    expect(await listed('/api/deals?limit=1000')).toContain(deal.id);
    expect(await listed('/api/companies/trash')).toEqual([changed.id]);
    expect(await actions('deals', deal.id)).toEqual(['created', 'deleted', 'restored']);
    // The relation came back with the record: the company's contacts are found by it again.
    const related = await admin.post('/api/views/contact/rows', { columns: ['name'], filters: [{ field: 'companyIds', op: 'eq', value: company.id }] });
    expect(related.status, related.text).toBe(200);
    expect((related.json.rows as unknown[][]).map((row) => row[0])).toEqual([contact.id]);
  });

  it('answers a retry with the same idempotency key as the first try, and never restores twice', async () => {
    const [a, b] = [await create('companies', { name: 'Retry A' }), await create('companies', { name: 'Retry B' })];
    const items = await trash(admin, [
      { type: 'company', id: a.id, version: 1 },
      { type: 'company', id: b.id, version: 1 },
    ]);
    const first = await restore(admin, items, 'restore-retry-0001');
    expect(first.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(await restore(admin, items, 'restore-retry-0001')).toEqual(first);
    // Without the key (or with another) the records are simply not in the trash any more.
    expect((await restore(admin, items)).map((r) => r.status)).toEqual(['notInTrash', 'notInTrash']);
    expect((await restore(admin, items, 'restore-retry-0002')).map((r) => r.status)).toEqual(['notInTrash', 'notInTrash']);
    expect(await actions('companies', a.id)).toEqual(['created', 'deleted', 'restored']);
  });

  it('refuses records of types the role may not delete, one by one, and those outside its scope or tenant as not found', async () => {
    const rep = await cloud.userOf('restore', ['sales-representative']);
    const activity = await create('activities', { name: 'Call back', kind: 'call' }, rep);
    const company = await create('companies', { name: 'Rep Co' }, rep);
    const [trashedActivity] = await trash(rep, [{ type: 'activity', id: activity.id, version: 1 }]);
    const [trashedCompany] = await trash(admin, [{ type: 'company', id: company.id, version: 1 }]);
    // Another representative's activity is outside this one's scope (own), as another tenant's record.
    const otherRep = await cloud.userOf('restore', ['sales-representative']);
    const theirs = await create('activities', { name: 'Their call', kind: 'call' }, otherRep);
    const [trashedTheirs] = await trash(otherRep, [{ type: 'activity', id: theirs.id, version: 1 }]);
    const stranger = await create('companies', { name: 'Stranger Co' }, await cloud.userOf('restore-other'));

    const results = await restore(rep, [trashedActivity, trashedCompany, trashedTheirs]);
    expect(results).toEqual([
      { status: 'ok', record: expect.objectContaining({ id: activity.id, version: 3 }) },
      { status: 'forbidden', reason: expect.stringContaining('may not delete company records') },
      { status: 'notFound' },
    ]);
    expect(await listed('/api/companies/trash')).toContain(company.id);
    expect(await listed('/api/activities/trash', otherRep)).toEqual([theirs.id]);
    expect(await restore(admin, [{ type: 'company', id: stranger.id, version: 1 }])).toEqual([{ status: 'notFound' }]);
  });

  it('refuses more than 1,000 records with the path and the reason', async () => {
    const many = Array.from({ length: 1001 }, () => ({ type: 'company', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 2 }));
    const tooMany = await admin.post('/api/trash/restore', { items: many, idempotencyKey: 'restore-many-0001' });
    expect(tooMany.status).toBe(400);
    expect(ApiErrorBody.parse(tooMany.json).error.issues).toEqual([expect.objectContaining({ path: 'items', message: 'must hold at most 1000 records' })]);
  });
});
