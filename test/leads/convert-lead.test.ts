/** Converting a lead: company + contact + deal in one transaction, with history for each, and idempotent under retry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvertLeadResponse } from '../../functions/contracts/lead.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('leads');
});
afterAll(() => cloud?.stop());

async function lead(body: Record<string, unknown>) {
  const response = await user.post('/api/leads', body);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

const count = async (plural: string) => (await user.get(`/api/${plural}?limit=1000`)).json.items.length;

describe('lead conversion', () => {
  it('makes a company, a contact at it and a deal with both, and marks the lead converted', async () => {
    const l = await lead({ name: 'Ada Lovelace', companyName: 'Analytical Engines', email: 'ADA@engines.example', phone: '+44 20 7946 0958', position: 'CTO' });
    const response = await user.post(`/api/leads/${l.id}/convert`, { version: 1, deal: { stage: 'proposal', amount: { amount: '5000', currency: 'GBP' } } });
    expect(response.status, response.text).toBe(201);
    const { lead: converted, company, contact, deal } = ConvertLeadResponse.parse(response.json);
    expect(company).toMatchObject({ name: 'Analytical Engines', version: 1 });
    expect(contact).toMatchObject({ name: 'Ada Lovelace', position: 'CTO', emails: ['ada@engines.example'], phones: ['+442079460958'], companyIds: [company.id] });
    expect(deal).toMatchObject({ name: 'Analytical Engines', stage: 'proposal', companyId: company.id, contactIds: [contact.id], amount: { amount: '5000.00', currency: 'GBP' } });
    expect(converted).toMatchObject({ version: 2, status: 'converted', convertedTo: { companyId: company.id, contactId: contact.id, dealId: deal!.id } });

    for (const [plural, id] of [['companies', company.id], ['contacts', contact.id], ['deals', deal!.id], ['leads', l.id]]) {
      expect((await user.get(`/api/${plural}/${id}`)).status, plural).toBe(200);
      const history = HistoryResponse.parse((await user.get(`/api/${plural}/${id}/history`)).json).items;
      expect(history.at(-1)!.action, plural).toBe(plural === 'leads' ? 'updated' : 'created');
    }
    const leadHistory = HistoryResponse.parse((await user.get(`/api/leads/${l.id}/history`)).json).items;
    expect(leadHistory[1].changes).toContainEqual({ field: 'status', old: null, new: 'converted' });
  });

  it('a retry (even many at once) answers with the same records and makes no new ones', async () => {
    const l = await lead({ name: 'Retry Me' });
    const before = await Promise.all(['companies', 'contacts', 'deals'].map(count));
    const answers = await Promise.all(Array.from({ length: 5 }, () => user.post(`/api/leads/${l.id}/convert`, { version: 1 })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = answers.map((a) => ConvertLeadResponse.parse(a.json)).map((c) => [c.company.id, c.contact.id, c.deal?.id]);
    expect(new Set(ids.map((i) => i.join()))).toHaveProperty('size', 1);
    const after = await Promise.all(['companies', 'contacts', 'deals'].map(count));
    expect(after).toEqual(before.map((n) => n + 1));
    const later = await user.post(`/api/leads/${l.id}/convert`, { version: 1 });
    expect([later.status, ConvertLeadResponse.parse(later.json).company.id]).toEqual([200, ids[0][0]]);
  });

  it('makes nothing when any part is invalid, and can leave out the deal', async () => {
    const l = await lead({ name: 'Partial', companyName: 'Parts Ltd' });
    const before = await Promise.all(['companies', 'contacts', 'deals'].map(count));
    const bad = await user.post(`/api/leads/${l.id}/convert`, { version: 1, deal: { probability: 140 } });
    expect(bad.status).toBe(400);
    expect(ApiErrorBody.parse(bad.json).error.issues?.map((i) => i.path)).toEqual(['deal.probability']);
    const badRelation = await user.post(`/api/leads/${l.id}/convert`, { version: 1, deal: { contactIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] } });
    expect(badRelation.status).toBe(400);
    expect(await Promise.all(['companies', 'contacts', 'deals'].map(count))).toEqual(before);
    expect((await user.post(`/api/leads/${l.id}/convert`, { version: 2 })).status).toBe(409);

    const noDeal = await user.post(`/api/leads/${l.id}/convert`, { version: 1, deal: null });
    expect(noDeal.status).toBe(201);
    expect(ConvertLeadResponse.parse(noDeal.json).deal).toBeUndefined();
    expect(await Promise.all(['companies', 'contacts', 'deals'].map(count))).toEqual([before[0] + 1, before[1] + 1, before[2]]);
    expect((await user.patch(`/api/leads/${l.id}`, { version: 2, fields: { status: 'converted' } })).status).toBe(400);
  });

  it('a lead that does not exist is 404', async () => {
    expect((await user.post('/api/leads/01ARZ3NDEKTSV4RRFFQ69G5FAV/convert', { version: 1 })).status).toBe(404);
  });
});
