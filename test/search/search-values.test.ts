/**
 * Search by every value of a record, not only the first: each e-mail, phone, name and domain is
 * a search entry of its own, kept in step with every kind of write (PATCH, trash and restore,
 * merge, bulk, import, lead conversion), through the API against the embedded cloud.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchResponse } from '../../functions/contracts/search.ts';
import { recordTypeNamed } from '../../functions/records/record-types.ts';
import { change, creation } from '../../functions/records/repository.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('search-values', ['administrator']);
});
afterAll(() => cloud?.stop());

async function created(plural: string, body: unknown) {
  const response = await user.post(`/api/${plural}`, body);
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; version: number; [field: string]: unknown };
}

async function search(q: string) {
  const response = await user.get(`/api/search?q=${encodeURIComponent(q)}`);
  expect(response.status, response.text).toBe(200);
  return SearchResponse.parse(response.json).items.map((hit) => ({ id: hit.id, kind: hit.match.kind, value: hit.match.value }));
}

describe('search by every value', () => {
  it('finds a contact by each of its e-mails and phones, prefix and case-insensitive, and follows PATCH, trash and restore', async () => {
    const ada = await created('contacts', { name: 'Ada Lovelace', emails: ['ada@first.example', 'Countess@Second.example', 'al@third.example'], phones: ['+44 20 7946 0958', '+1 415 555 2671'] });
    expect(await search('COUNTESS@sec')).toEqual([{ id: ada.id, kind: 'email', value: 'countess@second.example' }]);
    expect(await search('al@th')).toEqual([{ id: ada.id, kind: 'email', value: 'al@third.example' }]);
    expect(await search('+1 415 555')).toEqual([{ id: ada.id, kind: 'phone', value: '+14155552671' }]);

    const patched = await user.patch(`/api/contacts/${ada.id}`, { version: 1, fields: { emails: ['ada@first.example', 'new@fourth.example'], phones: ['+44 20 7946 0958'] } });
    expect(patched.status, patched.text).toBe(200);
    expect(await search('countess@')).toEqual([]);
    expect(await search('+1 415')).toEqual([]);
    expect(await search('new@fou')).toEqual([{ id: ada.id, kind: 'email', value: 'new@fourth.example' }]);

    expect((await user.delete(`/api/contacts/${ada.id}?version=2`)).status).toBe(204);
    expect(await search('new@fou')).toEqual([]);
    expect(await search('+44 20 7946')).toEqual([]);
    expect((await user.post(`/api/contacts/${ada.id}/restore`, {})).status).toBe(200);
    expect(await search('new@fou')).toEqual([{ id: ada.id, kind: 'email', value: 'new@fourth.example' }]);
    expect(await search('+44 20 7946')).toEqual([{ id: ada.id, kind: 'phone', value: '+442079460958' }]);
  });

  it('finds the types asked for even when other types fill the first entries of a partition', async () => {
    await created('contacts', { name: 'Shared One', emails: ['shared1@types.example'] });
    await created('contacts', { name: 'Shared Two', emails: ['shared2@types.example'] });
    const lead = await created('leads', { name: 'Zed Lead', email: 'shared3@types.example' });
    const response = await user.get(`/api/search?q=shared&types=lead&limit=1`);
    expect(SearchResponse.parse(response.json).items.map((hit) => hit.id)).toEqual([lead.id]);
  });

  it('finds a company by its domain and by each e-mail, accents and case ignored in names', async () => {
    const company = await created('companies', { name: 'Société Générale Test', domain: 'sg-test.example', emails: ['info@sgt.example', 'sales@sgt.example'] });
    expect(await search('SG-TEST')).toEqual([{ id: company.id, kind: 'domain', value: 'sg-test.example' }]);
    expect(await search('sales@sgt')).toEqual([{ id: company.id, kind: 'email', value: 'sales@sgt.example' }]);
    expect(await search('societe gen')).toEqual([{ id: company.id, kind: 'name', value: 'Société Générale Test' }]);
  });

  it('keeps entries in step through bulk changes, lead conversion, merge and import', async () => {
    const bulkContact = await created('contacts', { name: 'Bulk Person', emails: ['bulk1@example.org'] });
    const bulk = await user.post('/api/bulk', { changes: [{ type: 'contact', id: bulkContact.id, version: 1, field: 'emails', value: ['bulk1@example.org', 'bulk2@example.org'] }] });
    expect(bulk.status, bulk.text).toBe(200);
    expect(await search('bulk2@')).toEqual([{ id: bulkContact.id, kind: 'email', value: 'bulk2@example.org' }]);

    const lead = await created('leads', { name: 'Lead Person', email: 'lead.person@convert.example' });
    const converted = await user.post(`/api/leads/${lead.id}/convert`, { version: 1, deal: null });
    expect(converted.status, converted.text).toBe(201);
    expect((await search('lead.person@')).map((hit) => hit.id).sort()).toEqual([lead.id, converted.json.contact.id].sort());

    const keep = await created('contacts', { name: 'Keep Merge', emails: ['keep@merge.example'] });
    const gone = await created('contacts', { name: 'Gone Merge', emails: ['gone1@merge.example', 'gone2@merge.example'] });
    const merged = await user.post(`/api/contacts/${keep.id}/merge`, { otherId: gone.id, version: 1, otherVersion: 1 });
    expect(merged.status, merged.text).toBe(200);
    expect(await search('gone2@merge')).toEqual([{ id: keep.id, kind: 'email', value: 'gone2@merge.example' }]);
    expect((await search('gone merge')).map((hit) => hit.id)).toEqual([]);

    const csv = 'Name,Emails,Phones\nImported One,imp1@csv.example;imp2@csv.example,+4930123456;+4930654321\n';
    const imported = await user.request('POST', '/api/imports?type=contacts', csv, { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).toBe(201);
    const [hit] = await search('imp2@csv');
    expect(hit).toMatchObject({ kind: 'email', value: 'imp2@csv.example' });
    expect(await search('+49 30 654')).toEqual([{ id: hit.id, kind: 'phone', value: '+4930654321' }]);
  });

  it('refuses, naming the fields, a record that would be indexed by more values than one transaction can carry', async () => {
    const companies = await Promise.all(Array.from({ length: 20 }, (_, i) => created('companies', { name: `Limit Co ${i}` })));
    const emails = Array.from({ length: 20 }, (_, i) => `e${i}@limit.example`);
    const phones = Array.from({ length: 20 }, (_, i) => `+4930${String(1000000 + i)}`);
    const response = await user.post('/api/contacts', { name: 'Too Many', emails, phones, companyIds: companies.map((c) => c.id) });
    expect(response.status, response.text).toBe(400);
    expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toEqual(expect.arrayContaining(['emails', 'phones']));
    // Without the companies it fits, and trashing it (record, history, every entry) is one transaction.
    const fits = await created('contacts', { name: 'Many', emails, phones });
    expect((await user.delete(`/api/contacts/${fits.id}?version=1`)).status).toBe(204);
    expect(await search('e19@limit')).toEqual([]);
  });
});

describe('planning of derived items', () => {
  const contact = recordTypeNamed('contact')!;
  const actor = { tenant: 'plan', sub: 'tester' };

  it('rewrites only the entries whose value changed', () => {
    const made = creation(actor, contact, { name: 'Grace Hopper', emails: ['g1@example.com', 'g2@example.com'], phones: ['+14155552671'] }, '2026-01-01T00:00:00Z');
    // record, history, 3 duplicate lookups, 4 search entries (name, 2 e-mails, phone)
    expect(made.items).toHaveLength(9);
    const renamed = change(actor, contact, made.record, { name: 'Grace B. Hopper' }, '2026-01-02T00:00:00Z');
    const keys = (items: typeof renamed.items) => items.slice(2).map((item) => ('Put' in item && item.Put ? `put ${item.Put.Item!.pk}` : `delete ${item.Delete!.Key!.pk}`));
    expect(keys(renamed.items)).toEqual(['put T#plan#SEARCH#NAME#CONTACT#g', 'delete T#plan#SEARCH#NAME#CONTACT#g']);
    const oneEmail = change(actor, contact, made.record, { emails: ['g1@example.com', 'g3@example.com'] }, '2026-01-02T00:00:00Z');
    expect(keys(oneEmail.items).sort()).toEqual(['delete T#plan#CONTACT#KEY#emails#g2@example.com', 'delete T#plan#SEARCH#EMAIL#g', 'put T#plan#CONTACT#KEY#emails#g3@example.com', 'put T#plan#SEARCH#EMAIL#g']);
  });
});
