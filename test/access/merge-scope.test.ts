/**
 * Merging two records the caller may see, when records they may not see point at the one merged
 * away (issue 12, item 5): those references move to the survivor too, so nothing is left pointing
 * at a trashed record, but the answer does not name them; it counts them (`movedHidden`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MergeResponse } from '../../functions/contracts/duplicates.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, ownedBy, person, withCustomRole, type Person } from '../support/people.ts';

const TENANT = 'merge-scope';
let cloud: TestCloud;
let admin: ApiClient;
let owen: Person;
let rep: Person;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  owen = await withCustomRole(cloud, TENANT, admin, OWN_EVERYTHING);
  rep = await person(cloud, TENANT, 'sales-representative');
});
afterAll(() => cloud?.stop());

const created = async (client: ApiClient, plural: string, body: Record<string, unknown>) => {
  const response = await client.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number };
};

describe('an own-scope user merging two of their contacts', () => {
  it('moves a hidden deal\'s reference to the survivor without naming the deal', async () => {
    const keep = await created(owen.client, 'contacts', { name: 'Mara Linde', emails: ['mara@linde.example'] });
    const gone = await created(owen.client, 'contacts', { name: 'M. Linde', emails: ['mara@linde.example'] });
    const call = await created(owen.client, 'activities', { name: 'Call Mara', kind: 'call', contactId: gone.id });
    const hidden = await ownedBy(admin, 'deals', { name: 'Linde expansion', contactIds: [gone.id] }, rep.sub);
    expect((await owen.client.get(`/api/deals/${hidden.id}`)).status).toBe(404);

    const response = await owen.client.post(`/api/contacts/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(response.status, response.text).toBe(200);
    const merged = MergeResponse.parse(response.json);
    expect(merged.moved).toEqual([{ type: 'ACTIVITY', id: call.id }]);
    expect(merged.movedHidden).toBe(1);
    expect(response.text).not.toContain(hidden.id);
    expect(response.text).not.toContain('Linde expansion');

    // The deal follows the survivor, recorded as the merge's change.
    const deal = (await admin.get(`/api/deals/${hidden.id}`)).json;
    expect(deal).toMatchObject({ contactIds: [keep.id], version: hidden.version + 1, owner: rep.sub });
    // As stored: the history's contract leaves out the request that made a change.
    const last = (await admin.get(`/api/deals/${hidden.id}/history`)).json.items.at(-1);
    expect(last).toMatchObject({ by: owen.sub, request: `merge:${keep.id}:${gone.id}`, changes: [{ field: 'contactIds', old: [gone.id], new: [keep.id] }] });

    // The same request again changes nothing and names nothing hidden either.
    const again = await owen.client.post(`/api/contacts/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ replayed: true, moved: [], movedHidden: 0 });
    expect(again.text).not.toContain(hidden.id);
  });
});
