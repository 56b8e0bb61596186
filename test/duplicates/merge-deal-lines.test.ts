/**
 * Merging two products moves the deal lines that named the merged one (`lines.productId`, not in
 * the reverse-relation index: found among the deals of the type snapshot, then read again):
 * every such line of a live deal, a line added just before the merge included; other lines,
 * deals of other products and trashed deals stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MergeResponse } from '../../functions/contracts/duplicates.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('merge-lines', ['administrator']);
});
afterAll(() => cloud?.stop());

type Saved = { id: string; version: number; [field: string]: any };

async function created(plural: string, body: unknown): Promise<Saved> {
  const response = await user.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

const line = (productId: string | undefined, name: string, unitPrice: string) => ({ ...(productId ? { productId } : {}), name, quantity: 2, unitPrice: { amount: unitPrice, currency: 'EUR' } });

describe('merging products', () => {
  it('moves every line of a live deal that named the merged product, and nothing else', async () => {
    const keep = await created('products', { name: 'Widget' });
    const gone = await created('products', { name: 'Widget (duplicate)' });
    const other = await created('products', { name: 'Gadget' });
    const mixed = await created('deals', { name: 'Mixed', lines: [line(gone.id, 'Widget A', '10.00'), line(other.id, 'Gadget', '5.00'), line(undefined, 'Service', '1.00'), line(gone.id, 'Widget B', '12.50')] });
    const untouched = await created('deals', { name: 'Gadgets only', lines: [line(other.id, 'Gadget', '5.00')] });
    const trashed = await created('deals', { name: 'Trashed', lines: [line(gone.id, 'Widget', '10.00')] });
    expect((await user.delete(`/api/deals/${trashed.id}?version=1`)).status).toBe(204);
    // Warm: the snapshot of deals is read now, and the line added next must still be found.
    expect((await user.post('/api/views/deal/rows', { columns: ['name'] })).status).toBe(200);
    const late = await created('deals', { name: 'Late' });
    const lateChanged = await user.patch(`/api/deals/${late.id}`, { version: 1, fields: { lines: [line(gone.id, 'Widget', '3.00')] } });
    expect(lateChanged.status, lateChanged.text).toBe(200);

    const response = await user.post(`/api/products/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(response.status, response.text).toBe(200);
    const merged = MergeResponse.parse(response.json);
    expect(merged.moved.map((m) => m.id).sort()).toEqual([mixed.id, late.id].sort());

    const after = (await user.get(`/api/deals/${mixed.id}`)).json;
    expect(after.version).toBe(2);
    expect(after.lines.map((l: Saved) => [l.productId ?? null, l.name, l.amount])).toEqual([
      [keep.id, 'Widget A', { amount: '20.00', currency: 'EUR' }],
      [other.id, 'Gadget', { amount: '10.00', currency: 'EUR' }],
      [null, 'Service', { amount: '2.00', currency: 'EUR' }],
      [keep.id, 'Widget B', { amount: '25.00', currency: 'EUR' }],
    ]);
    expect(after.amount).toEqual(mixed.amount);
    expect((await user.get(`/api/deals/${late.id}`)).json).toMatchObject({ version: 3, lines: [{ productId: keep.id, name: 'Widget' }] });
    expect((await user.get(`/api/deals/${untouched.id}`)).json).toMatchObject({ version: 1, lines: [{ productId: other.id }] });
    const trash = await user.get(`/api/deals/trash`);
    expect(trash.status, trash.text).toBe(200);
    expect(trash.json.items.find((d: Saved) => d.id === trashed.id)).toMatchObject({ lines: [{ productId: gone.id }] });
    // The merged product is in the trash, and every live line now names one that exists.
    expect((await user.get(`/api/products/${gone.id}`)).status).toBe(404);

    // The same request again moves nothing twice.
    const again = await user.post(`/api/products/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(again.status, again.text).toBe(200);
    expect((await user.get(`/api/deals/${mixed.id}`)).json.version).toBe(2);
  });
});
