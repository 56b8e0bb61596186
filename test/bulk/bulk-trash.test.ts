/** POST /api/trash: many records to the trash, a result per record, no double move on retry, the role's delete right per type. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrashResponse, type TrashItem } from '../../functions/contracts/trash.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('trash');
});
afterAll(() => cloud?.stop());

async function trash(user: ApiClient, items: TrashItem[], idempotencyKey?: string) {
  const response = await user.post('/api/trash', { items, idempotencyKey });
  expect(response.status, response.text).toBe(200);
  const { results, records } = TrashResponse.parse(response.json);
  // Each conflict with the record it refers to (the answer holds each once).
  return results.map((result, i) => (result.status === 'conflict' ? { ...result, current: records[items[i].id] } : result));
}

const company = async (name: string, user = admin) => (await user.post('/api/companies', { name })).json;
const listed = async (path: string) => ((await admin.get(path)).json.items as Array<{ id: string }>).map((r) => r.id);

describe('moving many records to the trash', () => {
  it('moves each record at the version sent and answers per record', async () => {
    const [a, b, c] = [await company('Trash A'), await company('Trash B'), await company('Trash C')];
    expect((await admin.patch(`/api/companies/${c.id}`, { version: 1, fields: { industry: 'Steel' } })).status).toBe(200);
    const contact = (await admin.post('/api/contacts', { name: 'Trash Contact' })).json;
    const results = await trash(admin, [
      { type: 'company', id: a.id, version: 1 },
      { type: 'contact', id: contact.id, version: 1 },
      { type: 'company', id: c.id, version: 1 },
      { type: 'company', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 1 },
      { type: 'planet', id: b.id, version: 1 },
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'conflict', 'notFound', 'notFound']);
    expect(results[0]).toEqual({ status: 'ok', version: 2 });
    expect(results[2]).toMatchObject({ status: 'conflict', current: { id: c.id, version: 2, industry: 'Steel' } });

    const live = await listed('/api/companies?limit=1000');
    expect(live).toContain(b.id);
    expect(live).toContain(c.id);
    expect(live).not.toContain(a.id);
    expect(await listed('/api/companies/trash')).toEqual([a.id]);
    expect(await listed('/api/contacts/trash')).toEqual([contact.id]);
    const history = HistoryResponse.parse((await admin.get(`/api/companies/${a.id}/history`)).json).items;
    expect(history.map((h) => h.action)).toEqual(['created', 'deleted']);

    // The same move as DELETE: restorable at the version the result gave.
    const restored = await admin.post(`/api/companies/${a.id}/restore?version=${results[0].status === 'ok' ? results[0].version : 0}`, {});
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toMatchObject({ id: a.id, version: 3, name: 'Trash A' });
  });

  it('answers a retry with the same idempotency key ok, and never moves a record twice', async () => {
    const [a, b] = [await company('Retry A'), await company('Retry B')];
    const items = [
      { type: 'company', id: a.id, version: 1 },
      { type: 'company', id: b.id, version: 1 },
    ];
    const first = await trash(admin, items, 'trash-retry-0001');
    const again = await trash(admin, items, 'trash-retry-0001');
    expect(again).toEqual(first);
    expect(first.map((r) => r.status)).toEqual(['ok', 'ok']);
    // Without the key (or with another) a record already in the trash is no live record.
    expect((await trash(admin, items)).map((r) => r.status)).toEqual(['notFound', 'notFound']);
    expect((await trash(admin, items, 'trash-retry-0002')).map((r) => r.status)).toEqual(['notFound', 'notFound']);
    const history = HistoryResponse.parse((await admin.get(`/api/companies/${a.id}/history`)).json).items;
    expect(history.map((h) => h.action)).toEqual(['created', 'deleted']);
  });

  it('refuses records of types the role may not delete, one by one, and those of other tenants as not found', async () => {
    const rep = await cloud.userOf('trash', ['sales-representative']);
    const own = await company('Rep Co', rep);
    expect(own.id).toBeDefined();
    const stranger = await company('Stranger Co', await cloud.userOf('trash-other'));
    const results = await trash(rep, [{ type: 'company', id: own.id, version: 1 }]);
    expect(results).toEqual([{ status: 'forbidden', reason: expect.stringContaining('may not delete company records') }]);
    // The single route refuses it too.
    const single = await rep.delete(`/api/companies/${own.id}?version=1`);
    expect(single.status, single.text).toBe(403);
    expect(await listed('/api/companies?limit=1000')).toContain(own.id);
    expect(await trash(admin, [{ type: 'company', id: stranger.id, version: 1 }])).toEqual([{ status: 'notFound' }]);
  });

  it('validates the body: at most 1,000 records, each a record id and a version', async () => {
    const many = Array.from({ length: 1001 }, () => ({ type: 'company', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 1 }));
    const tooMany = await admin.post('/api/trash', { items: many });
    expect(tooMany.status).toBe(400);
    expect(ApiErrorBody.parse(tooMany.json).error.issues).toEqual([expect.objectContaining({ path: 'items', message: 'must hold at most 1000 records' })]);
    const bad = await admin.post('/api/trash', { items: [{ type: 'company', id: 'nope', version: 0 }], idempotencyKey: 'x' });
    expect(bad.status).toBe(400);
    expect(ApiErrorBody.parse(bad.json).error.issues!.map((i) => i.path).sort()).toEqual(['idempotencyKey', 'items.0.id', 'items.0.version']);
  });
});
