/**
 * A deleted custom field's values are purged from the records once the TTL removes its
 * definition (30 days after the delete): through the real stream, driven by the local table's
 * TTL sweep. The test moves the definition's expiry to the past instead of waiting 30 days, and
 * runs the sweep instead of waiting for the sweeper's next round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { clientsFor } from '../support/dynamo.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

const TENANT = 'fields-cleanup';
let cloud: TestCloud;
let user: ApiClient;
let doc: ReturnType<typeof clientsFor>['doc'];

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf(TENANT, ['administrator']);
  doc = clientsFor(cloud.dynamoEndpoint).doc;
});
afterAll(() => cloud?.stop());

async function created(plural: string, body: unknown) {
  const response = await user.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function field(type: string, body: unknown): Promise<string> {
  const response = await user.post(`/api/fields/${type}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json.key;
}

/** The record item as stored (the API hides values of fields without a live definition anyway). */
const stored = async (type: string, id: string) => (await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#${type}#${id}`, sk: 'RECORD' } }))).Item!;

/** What 30 days in the trash do: the definition's TTL expiry passes, and the sweep removes it. */
async function expire(type: string, key: string) {
  await doc.send(
    new UpdateCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#FIELDS#${type}`, sk: key }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }),
  );
  await cloud.sweepExpired();
  const definition = await doc.send(new GetCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#FIELDS#${type}`, sk: key }, ConsistentRead: true }));
  expect(definition.Item).toBeUndefined();
}

describe('values of a field whose definition expired', () => {
  it('are removed from every record, live and trashed, page by page, with history by the system', async () => {
    const tier = await field('contact', { label: 'Tier', type: 'text' });
    const csv = ['Name,Tier', ...Array.from({ length: 130 }, (_, i) => `Person ${i},gold ${i}`)].join('\n');
    const imported = await user.request('POST', '/api/imports?type=contacts', csv, { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).toBe(201);
    expect(imported.json.ok).toBe(130);
    const trashed = await created('contacts', { name: 'Trashed', [tier]: 'silver' });
    expect((await user.delete(`/api/contacts/${trashed.id}?version=1`)).status).toBe(204);
    const kept = await created('contacts', { name: 'Without tier' });
    // Imported ids are not in time order: by the number in the name.
    const people = (await user.get('/api/contacts?limit=1000')).json.items.filter((c: { name: string }) => c.name.startsWith('Person '));
    const ids: string[] = people.sort((a: { name: string }, b: { name: string }) => Number(a.name.slice(7)) - Number(b.name.slice(7))).map((c: { id: string }) => c.id);
    expect(ids).toHaveLength(130);

    expect((await user.delete(`/api/fields/contact/${tier}?version=1`)).status).toBe(204);
    // Deleted but restorable: the values stay.
    expect((await stored('CONTACT', ids[0]))[tier]).toBe('gold 0');
    await expire('CONTACT', tier);

    await expect.poll(async () => await stored('CONTACT', trashed.id), { timeout: 30_000 }).not.toHaveProperty(tier);
    for (const id of [...ids, trashed.id]) expect(await stored('CONTACT', id)).not.toHaveProperty(tier);
    expect((await stored('CONTACT', kept.id)).version).toBe(1);
    const history = HistoryResponse.parse((await user.get(`/api/contacts/${ids[7]}/history`)).json).items;
    expect(history.at(-1)).toMatchObject({ version: 2, by: 'system', action: 'updated', changes: [{ field: tier, old: 'gold 7', new: null }] });

    // A new field of the same label does not take the key whose values were purged.
    expect(await field('contact', { label: 'Tier', type: 'number' })).not.toBe(tier);
  });

  it('takes a relation field\'s reverse-relation entries with its values', async () => {
    const partner = await field('deal', { label: 'Partner', type: 'relation', target: 'company' });
    const company = await created('companies', { name: 'Partner Co' });
    const deal = await created('deals', { name: 'Partnered', [partner]: company.id });
    const references = async () =>
      (await doc.send(new QueryCommand({ TableName: TABLE.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `T#${TENANT}#REFS#COMPANY#${company.id}` }, ConsistentRead: true }))).Items ?? [];
    expect((await references()).map((item) => item.field)).toEqual([partner]);

    expect((await user.delete(`/api/fields/deal/${partner}?version=1`)).status).toBe(204);
    await expire('DEAL', partner);
    await expect.poll(async () => await stored('DEAL', deal.id), { timeout: 30_000 }).not.toHaveProperty(partner);
    expect(await references()).toEqual([]);
    expect((await stored('DEAL', deal.id)).version).toBe(2);
  });
});
