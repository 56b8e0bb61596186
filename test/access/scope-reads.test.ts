/**
 * Reads of records that were the caller's, or were never theirs, keep to the caller's scope
 * (issue 12, items 1 and 2; records/repository.ts):
 *
 * - a repeated lead conversion answers each of company, contact and deal in full when it is in
 *   the caller's scope, else `{id, hidden: true}` (its id is on the lead's `convertedTo`, which
 *   the caller sees anyway);
 * - a record's history, whatever the record's state: live, in the trash, or purged for good (its
 *   history outlives it), judged by the record's owner, or once it is gone, by the owner its
 *   history records;
 * - a write that lost to another is answered with the record as it is now (409 `current`) only
 *   while the writer may see it; PATCH, bulk (a `conflict` cell carries `current`), trash and
 *   merge all commit through it. The race is set up through the domain, as a request makes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvertLeadResponse } from '../../functions/contracts/lead.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person, type Person } from '../support/people.ts';
import { purge } from '../support/record-purge.ts';

const TENANT = 'scope-reads';
let cloud: TestCloud;
let admin: ApiClient;
// No team: a rep sees their own companies and contacts, as their own leads and deals.
let rep: Person;
let rep2: Person;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  rep = await person(cloud, TENANT, 'sales-representative');
  rep2 = await person(cloud, TENANT, 'sales-representative');
});
afterAll(() => cloud?.stop());

async function ok(response: { status: number; text: string; json: any }, status = 200) {
  expect(response.status, response.text).toBe(status);
  return response.json;
}

describe('a lead converted before', () => {
  it('by an administrator and handed to a rep: the rep gets the lead, and the records only as hidden', async () => {
    const lead = await ok(await admin.post('/api/leads', { name: 'Vera Quill', companyName: 'Quill Freight' }), 201);
    const first = ConvertLeadResponse.parse(await ok(await admin.post(`/api/leads/${lead.id}/convert`, { version: 1, deal: { amount: { amount: '750000', currency: 'EUR' } } }), 201));
    await ok(await admin.patch(`/api/companies/${first.company.id}`, { version: 1, fields: { name: 'Quill Freight (key account)' } }));
    const handed = await ok(await admin.patch(`/api/leads/${lead.id}/owner`, { version: first.lead.version, owner: rep.sub }));
    expect((await rep.client.get(`/api/deals/${first.deal!.id}`)).status).toBe(404);

    const again = await rep.client.post(`/api/leads/${lead.id}/convert`, { version: handed.version });
    const answer = ConvertLeadResponse.parse(await ok(again));
    expect(answer.lead).toMatchObject({ id: lead.id, owner: rep.sub, convertedTo: { companyId: first.company.id, contactId: first.contact.id, dealId: first.deal!.id } });
    expect(answer.company).toEqual({ id: first.company.id, hidden: true });
    expect(answer.contact).toEqual({ id: first.contact.id, hidden: true });
    expect(answer.deal).toEqual({ id: first.deal!.id, hidden: true });
    expect(again.text).not.toContain('750000');
    expect(again.text).not.toContain('key account');
  });

  it('by the rep, whose deal was handed on since: the rep keeps company and contact, the deal is hidden', async () => {
    const lead = await ok(await rep.client.post('/api/leads', { name: 'Otto Brandt', companyName: 'Brandt Tools' }), 201);
    const first = ConvertLeadResponse.parse(await ok(await rep.client.post(`/api/leads/${lead.id}/convert`, { version: 1, deal: { amount: { amount: '1200', currency: 'EUR' } } }), 201));
    await ok(await admin.patch(`/api/deals/${first.deal!.id}/owner`, { version: 1, owner: rep2.sub }));
    await ok(await admin.patch(`/api/deals/${first.deal!.id}`, { version: 2, fields: { name: 'Brandt renewal, rep2 only' } }));

    const answer = ConvertLeadResponse.parse(await ok(await rep.client.post(`/api/leads/${lead.id}/convert`, { version: first.lead.version })));
    expect(answer.company).toMatchObject({ id: first.company.id, name: 'Brandt Tools', owner: rep.sub });
    expect(answer.contact).toMatchObject({ id: first.contact.id, name: 'Otto Brandt', owner: rep.sub });
    expect(answer.deal).toEqual({ id: first.deal!.id, hidden: true });
    // The one it was handed to sees it (in their scope), and a trashed one is hidden alike.
    expect((await rep2.client.get(`/api/deals/${first.deal!.id}`)).json.name).toBe('Brandt renewal, rep2 only');
    expect((await admin.delete(`/api/contacts/${first.contact.id}?version=1`)).status).toBe(204);
    const afterTrash = ConvertLeadResponse.parse(await ok(await rep.client.post(`/api/leads/${lead.id}/convert`, { version: first.lead.version })));
    expect(afterTrash.contact).toEqual({ id: first.contact.id, hidden: true });
  });
});

const history = (client: ApiClient, id: string) => client.get(`/api/deals/${id}/history`);

describe('history of a deal', () => {
  it('of someone else: 404 to a rep while it lives, in the trash, and after the purge', async () => {
    const deal = await ownedBy(admin, 'deals', { name: 'Secret tender', amount: { amount: '990000', currency: 'EUR' } }, rep2.sub);
    expect((await history(rep.client, deal.id)).status).toBe(404);
    await purge(cloud.dynamoEndpoint, TENANT, admin, 'deal', deal.id, deal.version);
    const purged = await history(rep.client, deal.id);
    expect(purged.status, purged.text).toBe(404);
    expect(purged.text).not.toContain('990000');
    // Alike a deal that never was.
    expect((await history(rep.client, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).status).toBe(404);
    // Its owner, and the administrator, still read it.
    expect(HistoryResponse.parse((await history(rep2.client, deal.id)).json).items.map((item) => item.action)).toEqual(['created', 'updated', 'deleted']);
    expect((await history(admin, deal.id)).status).toBe(200);
  });

  it('of the rep\'s own deal: readable after the purge', async () => {
    const mine = (await rep.client.post('/api/deals', { name: 'Mine, purged' })).json;
    await purge(cloud.dynamoEndpoint, TENANT, admin, 'deal', mine.id, 1);
    const read = await history(rep.client, mine.id);
    expect(read.status, read.text).toBe(200);
    expect(HistoryResponse.parse(read.json).items.map((item) => item.action)).toEqual(['created', 'deleted']);
  });

  it('handed on before the purge: the owner its history ends with decides, not who made it', async () => {
    const handed = (await rep.client.post('/api/deals', { name: 'Handed on' })).json;
    const moved = await admin.patch(`/api/deals/${handed.id}/owner`, { version: 1, owner: rep2.sub });
    expect(moved.status, moved.text).toBe(200);
    await purge(cloud.dynamoEndpoint, TENANT, admin, 'deal', handed.id, 2);
    expect((await history(rep.client, handed.id)).status).toBe(404);
    expect((await history(rep2.client, handed.id)).status).toBe(200);
  });
});

describe('a write that lost to another', () => {
  it('answers the record as it is now while the writer may see it, and not found once it was handed out of their scope', async () => {
    const { principalOf } = await import('../../functions/access/permissions.ts');
    const { commit, getRecord } = await import('../../functions/records/repository.ts');
    const { planChange } = await import('../../functions/records/records.ts');
    const { recordSchemaFor } = await import('../../functions/records/record-schema.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const { RecordNotFoundError, VersionConflictError } = await import('../../functions/records/errors.ts');
    const actor = await principalOf({ tenant: TENANT, sub: rep.sub, groups: [] });
    const schema = await recordSchemaFor(TENANT, recordTypeNamed('deal')!);
    const plan = async (id: string, version: number) => planChange(actor, schema, await getRecord(actor, 'DEAL', id), version, { name: 'Mine, renamed' }, new Date().toISOString());

    // Changed by someone else meanwhile, still the rep's: the conflict carries the record.
    const kept = (await rep.client.post('/api/deals', { name: 'Kept' })).json;
    const late = await plan(kept.id, 1);
    expect((await admin.patch(`/api/deals/${kept.id}`, { version: 1, fields: { stage: 'proposal' } })).status).toBe(200);
    const conflict = await commit(actor, [late]).catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(VersionConflictError);
    expect((conflict as InstanceType<typeof VersionConflictError>).current).toMatchObject({ id: kept.id, version: 2, stage: 'proposal' });

    // Handed to rep2 meanwhile (and changed by them): not found, nothing of it told.
    const handed = await ownedBy(admin, 'deals', { name: 'Handed' }, rep.sub);
    const lost = await plan(handed.id, handed.version);
    expect((await admin.patch(`/api/deals/${handed.id}/owner`, { version: handed.version, owner: rep2.sub })).status).toBe(200);
    expect((await rep2.client.patch(`/api/deals/${handed.id}`, { version: handed.version + 1, fields: { name: 'rep2 pipeline note' } })).status).toBe(200);
    const gone = await commit(actor, [lost]).catch((err: unknown) => err);
    expect(gone).toBeInstanceOf(RecordNotFoundError);
    expect(JSON.stringify(gone)).not.toContain('rep2 pipeline note');
  });
});
