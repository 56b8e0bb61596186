/** Search by name, e-mail, phone (E.164) and domain: prefix, case-insensitive, per tenant, never trashed records. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchResponse } from '../../functions/contracts/search.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('searching');
  other = await cloud.userOf('searching-other');
  ids.company = (await user.post('/api/companies', { name: 'Zürich Tools AG', domain: 'zurich-tools.example', emails: ['info@zt.example'] })).json.id;
  ids.contact = (await user.post('/api/contacts', { name: 'Ada Lovelace', emails: ['Ada@Engines.example'], phones: ['+44 20 7946 0958'] })).json.id;
  ids.lead = (await user.post('/api/leads', { name: 'Adam Smith', email: 'adam@wealth.example', phone: '+1 212 555 0123' })).json.id;
  ids.foreign = (await other.post('/api/contacts', { name: 'Ada Foreign', emails: ['ada@foreign.example'] })).json.id;
});
afterAll(() => cloud?.stop());

async function search(q: string, extra = '') {
  const response = await user.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(response.status, response.text).toBe(200);
  return SearchResponse.parse(response.json).items;
}

describe('search', () => {
  it('finds by name prefix, ignoring case and accents, in the caller\'s tenant only', async () => {
    expect((await search('ADA')).map((h) => [h.type, h.id, h.match.kind])).toEqual([
      ['contact', ids.contact, 'name'],
      ['lead', ids.lead, 'name'],
    ]);
    expect((await search('zurich t')).map((h) => h.id)).toEqual([ids.company]);
    expect((await search('ada', '&types=lead')).map((h) => h.id)).toEqual([ids.lead]);
  });

  it('finds by e-mail, phone (any spacing, normalised to E.164) and domain', async () => {
    expect(await search('ada@eng')).toEqual([expect.objectContaining({ id: ids.contact, match: { kind: 'email', value: 'ada@engines.example' } })]);
    expect((await search('+44 20 79')).map((h) => [h.id, h.match])).toEqual([[ids.contact, { kind: 'phone', value: '+442079460958' }]]);
    expect((await search('1 (212) 555')).map((h) => h.id)).toEqual([ids.lead]);
    expect((await search('ZURICH-tools.ex')).map((h) => [h.id, h.match.kind])).toEqual([[ids.company, 'domain']]);
  });

  it('follows every write: renamed records are found by the new name only, trashed ones not at all', async () => {
    const id = ids.lead;
    const renamed = await user.patch(`/api/leads/${id}`, { version: 1, fields: { name: 'Bertha Benz', email: null } });
    expect(renamed.status).toBe(200);
    expect((await search('adam')).map((h) => h.id)).not.toContain(id);
    expect((await search('bertha')).map((h) => h.id)).toEqual([id]);
    expect(await search('adam@')).toEqual([]);
    await user.delete(`/api/leads/${id}?version=2`);
    expect(await search('bertha')).toEqual([]);
    expect((await user.post(`/api/leads/${id}/restore`, {})).status).toBe(200);
    expect((await search('bertha')).map((h) => h.id)).toEqual([id]);
  });

  it('refuses an empty query and unknown types', async () => {
    expect((await user.get('/api/search?q=%20')).status).toBe(400);
    expect((await user.get('/api/search?q=a&types=planet')).status).toBe(400);
  });
});
