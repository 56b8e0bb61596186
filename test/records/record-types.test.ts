/** Every record type through the same generic routes: CRUD, computed deal amounts, relations, trash, oversize values. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { Deal } from '../../functions/contracts/deal.ts';
import { Contact } from '../../functions/contracts/contact.ts';
import { RECORD_TYPES } from '../../functions/records/record-types.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('records');
  other = await cloud.userOf('elsewhere');
});
afterAll(() => cloud?.stop());

const issuesOf = (response: { json: unknown }) => ApiErrorBody.parse(response.json).error.issues ?? [];

async function created(client: ApiClient, plural: string, body: unknown) {
  const response = await client.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

/** The smallest valid body of each type. */
const minimal: Record<string, Record<string, unknown>> = {
  company: { name: 'Acme' },
  contact: { name: 'Ada Lovelace' },
  lead: { name: 'Grace Hopper' },
  deal: { name: 'Big deal' },
  product: { name: 'Widget' },
  activity: { name: 'Call back', kind: 'call' },
};

describe('record types', () => {
  it.each(RECORD_TYPES.map((type) => [type.plural, type] as const))('%s: create, read, patch, list, history with the same routes', async (plural, type) => {
    const record = await created(user, plural, minimal[type.name]);
    expect(record).toMatchObject({ version: 1, owner: record.createdBy, updatedBy: record.createdBy });
    expect(record.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect((await user.get(`/api/${plural}/${record.id}`)).json).toEqual(record);
    const patched = await user.patch(`/api/${plural}/${record.id}`, { version: 1, fields: { name: 'Renamed' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, name: 'Renamed' });
    const list = (await user.get(`/api/${plural}`)).json.items.map((r: { id: string }) => r.id);
    expect(list).toContain(record.id);
    const history = HistoryResponse.parse((await user.get(`/api/${plural}/${record.id}/history`)).json).items;
    expect(history.map((h) => h.action)).toEqual(['created', 'updated']);
    const unknown = await user.post(`/api/${plural}`, { ...minimal[type.name], nonsense: 1 });
    expect(unknown.status).toBe(400);
    expect(issuesOf(unknown)).toContainEqual({ path: 'nonsense', message: 'is not a known field' });
  });

  it('normalises e-mail, phone (E.164) and money, and names bad values by path with the value', async () => {
    const contact = Contact.parse(await created(user, 'contacts', { name: 'Normal', emails: ['Ada@Example.COM'], phones: ['+44 20 7946 0958'] }));
    expect(contact.emails).toEqual(['ada@example.com']);
    expect(contact.phones).toEqual(['+442079460958']);
    const bad = await user.post('/api/contacts', { name: 'Bad', emails: ['nope'], phones: ['12345'] });
    expect(bad.status).toBe(400);
    expect(issuesOf(bad).map((i) => [i.path, i.value])).toEqual(
      expect.arrayContaining([
        ['emails.0', 'nope'],
        ['phones.0', '12345'],
      ]),
    );
    const product = await created(user, 'products', { name: 'Priced', price: { amount: '12.5', currency: 'eur' } });
    expect(product.price).toEqual({ amount: '12.50', currency: 'EUR' });
    const tooFine = await user.post('/api/products', { name: 'Yen', price: { amount: '12.5', currency: 'JPY' } });
    expect(issuesOf(tooFine)).toContainEqual(expect.objectContaining({ path: 'price.amount', message: 'JPY has at most 0 decimal places' }));
    const float = await user.post('/api/products', { name: 'Float', price: { amount: 12.5, currency: 'EUR' } });
    expect(issuesOf(float).map((i) => i.path)).toEqual(['price.amount']);
  });

  it('computes deal line amounts and the deal amount from them, to the cent', async () => {
    const deal = Deal.parse(
      await created(user, 'deals', {
        name: 'Lines',
        lines: [
          { name: 'Seats', quantity: 3, unitPrice: { amount: '19.99', currency: 'EUR' }, discount: 10 },
          { name: 'Setup', quantity: 1.5, unitPrice: { amount: '100.01', currency: 'EUR' } },
        ],
      }),
    );
    // 3 x 19.99 x 0.9 = 53.973 -> 53.97; 1.5 x 100.01 = 150.015 -> 150.02 (half away from zero)
    expect(deal.lines?.map((l) => l.amount)).toEqual([
      { amount: '53.97', currency: 'EUR' },
      { amount: '150.02', currency: 'EUR' },
    ]);
    expect(deal.amount).toEqual({ amount: '203.99', currency: 'EUR' });

    const byHand = await user.patch(`/api/deals/${deal.id}`, { version: 1, fields: { amount: { amount: '1', currency: 'EUR' } } });
    expect(byHand.status).toBe(400);
    expect(issuesOf(byHand)[0].path).toBe('fields.amount');
    const mixed = await user.patch(`/api/deals/${deal.id}`, {
      version: 1,
      fields: { lines: [{ name: 'A', quantity: 1, unitPrice: { amount: '1', currency: 'EUR' } }, { name: 'B', quantity: 1, unitPrice: { amount: '1', currency: 'USD' } }] },
    });
    expect(issuesOf(mixed).map((i) => i.path)).toEqual(['fields.lines.1.unitPrice.currency']);
    const relined = await user.patch(`/api/deals/${deal.id}`, { version: 1, fields: { lines: [{ name: 'Once', quantity: 2, unitPrice: { amount: '0.005', currency: 'KWD' } }] } });
    expect(relined.status, relined.text).toBe(200);
    expect(relined.json.amount).toEqual({ amount: '0.010', currency: 'KWD' });
  });

  it('refuses relations to records that do not exist, are trashed or belong to another tenant, naming the field', async () => {
    const company = await created(user, 'companies', { name: 'Related' });
    const foreign = await created(other, 'companies', { name: 'Not yours' });
    const product = await created(user, 'products', { name: 'Thing' });
    const ok = await user.post('/api/contacts', { name: 'Linked', companyIds: [company.id] });
    expect(ok.status).toBe(201);

    const refused = await user.post('/api/deals', {
      name: 'Bad links',
      companyId: foreign.id,
      contactIds: [ok.json.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      lines: [{ name: 'x', quantity: 1, unitPrice: { amount: '1', currency: 'EUR' }, productId: company.id }, { name: 'y', quantity: 1, unitPrice: { amount: '1', currency: 'EUR' }, productId: product.id }],
    });
    expect(refused.status).toBe(400);
    expect(issuesOf(refused).map((i) => i.path).sort()).toEqual(['companyId', 'contactIds.1', 'lines.0.productId']);
    expect(refused.text).not.toContain('Not yours');

    await user.delete(`/api/companies/${company.id}?version=1`);
    // Added to a record, a trashed company is refused; the contact that holds it already keeps it (relations.ts).
    const unlinked = await created(user, 'contacts', { name: 'Not linked yet' });
    const toTrashed = await user.patch(`/api/contacts/${unlinked.id}`, { version: 1, fields: { companyIds: [company.id] } });
    expect(issuesOf(toTrashed)).toEqual([expect.objectContaining({ path: 'fields.companyIds.0', value: company.id })]);
    expect((await user.patch(`/api/contacts/${ok.json.id}`, { version: 1, fields: { name: 'Linked, renamed', companyIds: [company.id] } })).status).toBe(200);
  });

  it('moves a deleted record to the trash, out of lists, and restores it', async () => {
    const record = await created(user, 'contacts', { name: 'Trashed' });
    expect((await user.delete(`/api/contacts/${record.id}?version=1`)).status).toBe(204);
    expect((await user.get(`/api/contacts/${record.id}`)).status).toBe(404);
    expect((await user.patch(`/api/contacts/${record.id}`, { version: 2, fields: { name: 'x' } })).status).toBe(404);
    const ids = async (path: string) => (await user.get(path)).json.items.map((r: { id: string }) => r.id);
    expect(await ids('/api/contacts')).not.toContain(record.id);
    const trash = (await user.get('/api/contacts/trash')).json.items;
    const trashed = trash.find((r: { id: string }) => r.id === record.id);
    expect(trashed).toMatchObject({ name: 'Trashed', version: 2, deletedBy: record.createdBy });
    expect(Date.parse(trashed.purgeAt) - Date.parse(trashed.deletedAt)).toBe(30 * 24 * 3600 * 1000);
    expect(await ids('/api/contacts/trash')).not.toContain((await created(user, 'contacts', { name: 'Live' })).id);

    expect((await user.post(`/api/contacts/${record.id}/restore?version=1`, {})).status).toBe(409);
    const restored = await user.post(`/api/contacts/${record.id}/restore`, {});
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ id: record.id, name: 'Trashed', version: 3 });
    expect(restored.json).not.toHaveProperty('deletedAt');
    expect(await ids('/api/contacts')).toContain(record.id);
    expect(await ids('/api/contacts/trash')).not.toContain(record.id);
    const again = await user.post(`/api/contacts/${record.id}/restore`, {});
    expect([again.status, ApiErrorBody.parse(again.json).error.code]).toEqual([409, 'NotInTrash']);
    const history = HistoryResponse.parse((await user.get(`/api/contacts/${record.id}/history`)).json).items;
    expect(history.map((h) => [h.version, h.action])).toEqual([
      [1, 'created'],
      [2, 'deleted'],
      [3, 'restored'],
    ]);
    expect((await other.post(`/api/contacts/${record.id}/restore`, {})).status).toBe(404);
  });

  it('refuses a change that would outgrow the 400 KB item limit with 413 naming the field', async () => {
    const record = await created(user, 'leads', { name: 'Big', notes: 'n'.repeat(10_000) });
    const field = await user.post('/api/fields/lead', { label: 'Essay', type: 'long_text' });
    expect(field.status, field.text).toBe(201);
    const first = await user.patch(`/api/leads/${record.id}`, { version: 1, fields: { [field.json.key]: 'a'.repeat(200_000) } });
    expect(first.status, first.text).toBe(200);
    const second = await user.post('/api/fields/lead', { label: 'Essay two', type: 'long_text' });
    const tooBig = await user.patch(`/api/leads/${record.id}`, { version: 2, fields: { [second.json.key]: 'b'.repeat(200_000) } });
    expect(tooBig.status).toBe(413);
    expect(ApiErrorBody.parse(tooBig.json).error).toMatchObject({ code: 'ItemTooLarge', issues: [expect.objectContaining({ path: `fields.${second.json.key}` })] });
    expect((await user.get(`/api/leads/${record.id}`)).json.version).toBe(2);
  });
});
