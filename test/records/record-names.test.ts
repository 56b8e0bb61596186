/**
 * GET /api/{plural}/names?ids= (and POST with the ids in the body, for a whole column): relation
 * cells' names in one request, through the gateway and
 * the real handler against the embedded cloud; a record the caller may not see (scope, a type the
 * role does not read, another tenant, the trash) is left out, and bad input is a 400 by path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { startTestCloud, type ApiClient, type TestCloud } from '../api/cloud.ts';
import { ownedBy, person } from '../access/people.ts';
import { MAX_NAME_IDS, MAX_NAME_IDS_PER_POST } from '../../functions/contracts/record-names.ts';

let cloud: TestCloud;
let admin: ApiClient;
let rep: ApiClient;
let marketing: ApiClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('names');
  const repPerson = await person(cloud, 'names', 'sales-representative');
  rep = repPerson.client;
  marketing = (await person(cloud, 'names', 'marketing')).client;
  const rival = await cloud.userOf('names-rival');
  ids.own = (await ownedBy(admin, 'companies', { name: 'Own Co' }, repPerson.sub)).id;
  ids.outsider = (await admin.post('/api/companies', { name: 'Outsider Co' })).json.id;
  ids.foreign = (await rival.post('/api/companies', { name: 'Rival Co' })).json.id;
  const trashed = (await admin.post('/api/companies', { name: 'Trashed Co' })).json;
  expect((await admin.request('DELETE', `/api/companies/${trashed.id}?version=${trashed.version}`)).status).toBe(204);
  ids.trashed = trashed.id;
  ids.deal = (await admin.post('/api/deals', { name: 'Big Deal' })).json.id;
}, 60_000);
afterAll(() => cloud?.stop());

const namesOf = async (client: ApiClient, plural: string, list: string[]) => {
  const response = await client.get(`/api/${plural}/names?ids=${list.join(',')}`);
  expect(response.status, response.text).toBe(200);
  return Object.fromEntries((response.json.items as Array<{ id: string; name: string }>).map((item) => [item.id, item.name]));
};

describe('GET /api/{plural}/names', () => {
  it('names every record the caller sees, in one request, once per id', async () => {
    const all = [ids.own, ids.outsider, ids.own, ids.trashed, ids.foreign, ulid()];
    const response = await admin.get(`/api/companies/names?ids=${all.join(',')}`);
    expect(response.status).toBe(200);
    expect(response.json.items).toEqual([
      { id: ids.own, name: 'Own Co' },
      { id: ids.outsider, name: 'Outsider Co' },
    ]);
  });

  it('leaves out records outside the role scope, and every record of a type the role does not read', async () => {
    expect(await namesOf(rep, 'companies', [ids.own, ids.outsider])).toEqual({ [ids.own]: 'Own Co' });
    expect(await namesOf(marketing, 'companies', [ids.own, ids.outsider])).toEqual({ [ids.own]: 'Own Co', [ids.outsider]: 'Outsider Co' });
    expect(await namesOf(marketing, 'deals', [ids.deal])).toEqual({});
    expect(await namesOf(admin, 'deals', [ids.deal])).toEqual({ [ids.deal]: 'Big Deal' });
  });

  it('answers bad input with 400 and the field path', async () => {
    const cases: Array<[string, string]> = [
      ['', 'query.ids'],
      ['?ids=', 'query.ids'],
      [`?ids=${ids.own},not-an-id`, 'query.ids.1'],
      [`?ids=${Array.from({ length: MAX_NAME_IDS + 1 }, () => ids.own).join(',')}`, 'query.ids'],
      [`?ids=${ids.own}&extra=1`, 'query.extra'],
    ];
    for (const [query, path] of cases) {
      const response = await admin.get(`/api/companies/names${query}`);
      expect(response.status, query.slice(0, 60)).toBe(400);
      expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
  });
});

describe('POST /api/{plural}/names', () => {
  const postNames = async (client: ApiClient, plural: string, list: string[]) => {
    const response = await client.post(`/api/${plural}/names`, { ids: list });
    expect(response.status, response.text).toBe(200);
    return response.json.items as Array<{ id: string; name: string }>;
  };

  it('names as many ids as a column holds, scoped as the GET: the rest left out, alike', async () => {
    // The ids of a whole column: far more than a GET takes, most of them naming nothing.
    const many = [ids.own, ...Array.from({ length: MAX_NAME_IDS_PER_POST - 5 }, () => ulid()), ids.outsider, ids.trashed, ids.foreign, ids.own];
    expect(await postNames(admin, 'companies', many)).toEqual([
      { id: ids.own, name: 'Own Co' },
      { id: ids.outsider, name: 'Outsider Co' },
    ]);
    expect(await postNames(rep, 'companies', many)).toEqual([{ id: ids.own, name: 'Own Co' }]);
    expect(await postNames(marketing, 'deals', [ids.deal])).toEqual([]);
  });

  it('answers bad bodies with 400 and the field path, and more ids than a request takes too', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'ids'],
      [{ ids: [] }, 'ids'],
      [{ ids: [ids.own, 'not-an-id'] }, 'ids.1'],
      [{ ids: ids.own }, 'ids'],
      [{ ids: Array.from({ length: MAX_NAME_IDS_PER_POST + 1 }, () => ids.own) }, 'ids'],
      [{ ids: [ids.own], extra: 1 }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const response = await admin.post('/api/companies/names', body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.json.error.code).toBe('ValidationFailed');
      expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
  });
});
