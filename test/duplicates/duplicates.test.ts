/** Duplicate detection (contacts by e-mail/phone, companies by domain/tax id) and merging, through the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateGroupsResponse, DuplicatesResponse, MergeResponse } from '../../functions/contracts/duplicates.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('dupes');
  other = await cloud.userOf('elsewhere');
});
afterAll(() => cloud?.stop());

async function created(client: ApiClient, plural: string, body: unknown) {
  const response = await client.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function duplicateIds(client: ApiClient, plural: string, id: string) {
  const response = await client.get(`/api/${plural}/${id}/duplicates`);
  expect(response.status, response.text).toBe(200);
  return DuplicatesResponse.parse(response.json).items.map((item) => item.record.id);
}

describe('duplicates', () => {
  it('finds contacts sharing an e-mail (any case) or a phone (any format), only live ones, only in the tenant', async () => {
    const ada = await created(user, 'contacts', { name: 'Ada', emails: ['ada@example.com'], phones: ['+44 20 7946 0958'] });
    const byEmail = await created(user, 'contacts', { name: 'A. Lovelace', emails: ['ADA@Example.com'] });
    const byPhone = await created(user, 'contacts', { name: 'Ada L', phones: ['+442079460958'] });
    const unrelated = await created(user, 'contacts', { name: 'Grace', emails: ['grace@example.com'] });
    const trashed = await created(user, 'contacts', { name: 'Ada old', emails: ['ada@example.com'] });
    expect((await user.delete(`/api/contacts/${trashed.id}?version=1`)).status).toBe(204);
    const foreign = await created(other, 'contacts', { name: 'Ada', emails: ['ada@example.com'] });

    const found = await duplicateIds(user, 'contacts', ada.id);
    expect(found.sort()).toEqual([byEmail.id, byPhone.id].sort());
    expect(found).not.toContain(unrelated.id);
    expect(await duplicateIds(other, 'contacts', foreign.id)).toEqual([]);
    expect((await other.get(`/api/contacts/${ada.id}/duplicates`)).status).toBe(404);

    // A changed e-mail moves the record's key: it no longer matches by the old one.
    expect((await user.patch(`/api/contacts/${byEmail.id}`, { version: 1, fields: { emails: ['lovelace@example.com'] } })).status).toBe(200);
    expect(await duplicateIds(user, 'contacts', ada.id)).toEqual([byPhone.id]);
    // A restored record is found again.
    expect((await user.post(`/api/contacts/${trashed.id}/restore`, undefined)).status).toBe(200);
    expect((await duplicateIds(user, 'contacts', ada.id)).sort()).toEqual([byPhone.id, trashed.id].sort());

    const groups = DuplicateGroupsResponse.parse((await user.get('/api/contacts/duplicates')).json).items;
    expect(groups).toContainEqual({ key: { field: 'phones', value: '+442079460958' }, ids: [ada.id, byPhone.id], count: 2 });
    expect(groups).toContainEqual({ key: { field: 'emails', value: 'ada@example.com' }, ids: [ada.id, trashed.id], count: 2 });
  });

  it('finds companies by domain and by tax id whatever its punctuation', async () => {
    const acme = await created(user, 'companies', { name: 'Acme', domain: 'acme.com', taxId: 'DE 123-456-789' });
    const sameDomain = await created(user, 'companies', { name: 'ACME Inc', domain: 'ACME.com' });
    const sameTax = await created(user, 'companies', { name: 'Acme GmbH', taxId: 'de123456789' });
    await created(user, 'companies', { name: 'Other', domain: 'other.com', taxId: 'DE999' });
    expect((await duplicateIds(user, 'companies', acme.id)).sort()).toEqual([sameDomain.id, sameTax.id].sort());
  });
});

describe('merge', () => {
  it('keeps the picked values, joins lists, moves deals and activities, trashes the other with its history', async () => {
    const company = await created(user, 'companies', { name: 'Merge Co' });
    const keep = await created(user, 'contacts', { name: 'Keep', position: 'CTO', emails: ['keep@example.com'] });
    const gone = await created(user, 'contacts', { name: 'Gone', position: 'CEO', emails: ['gone@example.com'], phones: ['+14155552671'], companyIds: [company.id] });
    const deal = await created(user, 'deals', { name: 'Deal', contactIds: [gone.id, keep.id] });
    const call = await created(user, 'activities', { name: 'Call', kind: 'call', contactId: gone.id });
    expect((await user.patch(`/api/contacts/${gone.id}`, { version: 1, fields: { tags: ['vip'] } })).status).toBe(200);

    const body = { otherId: gone.id, version: 1, otherVersion: 2, pick: { position: 'other' } };
    expect((await user.post(`/api/contacts/${keep.id}/merge`, { ...body, otherVersion: 1 })).status).toBe(409);
    const unknown = await user.post(`/api/contacts/${keep.id}/merge`, { ...body, pick: { nonsense: 'other' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues).toContainEqual({ path: 'pick.nonsense', message: 'is not a known field' });

    const response = await user.post(`/api/contacts/${keep.id}/merge`, body);
    expect(response.status, response.text).toBe(200);
    const merged = MergeResponse.parse(response.json);
    expect(merged.record).toMatchObject({
      id: keep.id,
      version: 2,
      name: 'Keep',
      position: 'CEO',
      emails: ['keep@example.com', 'gone@example.com'],
      phones: ['+14155552671'],
      companyIds: [company.id],
      tags: ['vip'],
    });
    expect(merged.moved.map((m) => m.id).sort()).toEqual([deal.id, call.id].sort());

    expect((await user.get(`/api/deals/${deal.id}`)).json).toMatchObject({ contactIds: [keep.id], version: 2 });
    expect((await user.get(`/api/activities/${call.id}`)).json).toMatchObject({ contactId: keep.id, version: 2 });
    expect((await user.get(`/api/contacts/${gone.id}`)).status).toBe(404);
    expect((await user.get('/api/contacts/trash?limit=1000')).json.items.map((r: { id: string }) => r.id)).toContain(gone.id);
    const goneHistory = HistoryResponse.parse((await user.get(`/api/contacts/${gone.id}/history`)).json).items;
    expect(goneHistory.map((h) => h.action)).toEqual(['created', 'updated', 'deleted']);
    const keepHistory = HistoryResponse.parse((await user.get(`/api/contacts/${keep.id}/history`)).json).items;
    expect(keepHistory.at(-1)?.changes).toContainEqual({ field: 'position', old: 'CTO', new: 'CEO' });
    // The survivor is now found by the other's e-mail, and the trashed one by nothing.
    const byEmail = await created(user, 'contacts', { name: 'Probe', emails: ['gone@example.com'] });
    expect(await duplicateIds(user, 'contacts', byEmail.id)).toEqual([keep.id]);

    // The same request again (a retry after a lost answer) changes nothing and answers the survivor.
    const again = await user.post(`/api/contacts/${keep.id}/merge`, body);
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ record: { id: keep.id, version: 2 }, replayed: true });
  });

  it('merges companies referred to by many records in a resumable sequence, without repeating a company in a list', async () => {
    const keep = await created(user, 'companies', { name: 'Big Keep', domain: 'big.example' });
    const gone = await created(user, 'companies', { name: 'Big Gone', domain: 'big-gone.example' });
    const both = await created(user, 'contacts', { name: 'Both', companyIds: [gone.id, keep.id] });
    // 60 activities: with their history items, more than one transaction can hold.
    const activities = await Promise.all(Array.from({ length: 60 }, (_, i) => created(user, 'activities', { name: `Task ${i}`, kind: 'task', companyId: gone.id })));
    const response = await user.post(`/api/companies/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(response.status, response.text).toBe(200);
    expect(MergeResponse.parse(response.json).moved).toHaveLength(61);
    expect((await user.get(`/api/contacts/${both.id}`)).json.companyIds).toEqual([keep.id]);
    for (const activity of activities.slice(0, 5)) expect((await user.get(`/api/activities/${activity.id}`)).json.companyId).toBe(keep.id);
    expect((await user.get(`/api/companies/${gone.id}`)).status).toBe(404);
  });

  it('refuses a merge with itself, of types without duplicate keys, and of another tenant\'s record', async () => {
    const a = await created(user, 'contacts', { name: 'Self' });
    expect((await user.post(`/api/contacts/${a.id}/merge`, { otherId: a.id, version: 1, otherVersion: 1 })).status).toBe(400);
    const deal = await created(user, 'deals', { name: 'D' });
    expect((await user.post(`/api/deals/${deal.id}/merge`, { otherId: deal.id, version: 1, otherVersion: 1 })).status).toBe(404);
    const foreign = await created(other, 'contacts', { name: 'Theirs' });
    expect((await user.post(`/api/contacts/${a.id}/merge`, { otherId: foreign.id, version: 1, otherVersion: 1 })).status).toBe(404);
  });
});
