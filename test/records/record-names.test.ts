/**
 * GET /api/{plural}/names?ids= (and POST with the ids in the body, for a whole column): relation
 * cells' names in one request, through the gateway and
 * the real handler against the embedded cloud; a record the caller may not see (scope, a type the
 * role does not read, another tenant, the trash) is left out, and bad input is a 400 by path.
 * And the other way, POST /api/{plural}/ids-by-name for names pasted into relation cells: exact
 * names, case, accents and spaces aside; every record of that name the caller may see (none,
 * one, several), never one they may not; a rename is found by its new name at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person } from '../support/people.ts';
import { MAX_LOOKUP_NAMES, MAX_NAME_IDS, MAX_NAME_IDS_PER_POST } from '../../functions/contracts/record-names.ts';

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
  ids.accented = (await ownedBy(admin, 'companies', { name: 'Société Générale' }, repPerson.sub)).id;
  ids.twinA = (await admin.post('/api/companies', { name: 'Twin Co' })).json.id;
  ids.twinB = (await admin.post('/api/companies', { name: 'twin  co' })).json.id;
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

type Item = { name: string; records: Array<{ id: string; name: string }> };
const lookUp = async (client: ApiClient, plural: string, names: unknown[]) => {
  const response = await client.post(`/api/${plural}/ids-by-name`, { names });
  expect(response.status, response.text).toBe(200);
  return response.json.items as Item[];
};
const idsOf = (items: Item[]) => items.map((item) => item.records.map((record) => record.id).sort());

describe('POST /api/{plural}/ids-by-name', () => {
  it('answers per name asked, in order: the records of that name, case, accents and spaces aside', async () => {
    const items = await lookUp(admin, 'companies', ['societe  GENERALE', 'Twin Co', 'Nobody Co', 'Rival Co', 'Trashed Co', 'Outsider Co']);
    expect(items.map((item) => item.name)).toEqual(['societe  GENERALE', 'Twin Co', 'Nobody Co', 'Rival Co', 'Trashed Co', 'Outsider Co']);
    expect(idsOf(items)).toEqual([[ids.accented], [ids.twinA, ids.twinB].sort(), [], [], [], [ids.outsider]]);
    // The names as stored, for the cell to show at once.
    expect(items[0].records).toEqual([{ id: ids.accented, name: 'Société Générale' }]);
  });

  it('never matches a record out of the caller scope, nor any of a type their role does not read', async () => {
    expect(idsOf(await lookUp(rep, 'companies', ['Société Générale', 'Own Co', 'Outsider Co', 'Twin Co']))).toEqual([[ids.accented], [ids.own], [], []]);
    expect(idsOf(await lookUp(marketing, 'companies', ['Outsider Co']))).toEqual([[ids.outsider]]);
    expect(idsOf(await lookUp(marketing, 'deals', ['Big Deal']))).toEqual([[]]);
    expect(idsOf(await lookUp(admin, 'deals', ['Big Deal']))).toEqual([[ids.deal]]);
  });

  it('finds a record renamed since the previous lookup by its new name, not its old one', async () => {
    const company = (await admin.post('/api/companies', { name: 'Old Name Co' })).json;
    expect(idsOf(await lookUp(admin, 'companies', ['Old Name Co']))).toEqual([[company.id]]);
    const renamed = await admin.patch(`/api/companies/${company.id}`, { version: company.version, fields: { name: 'New Name Co' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(idsOf(await lookUp(admin, 'companies', ['Old Name Co', 'New Name Co']))).toEqual([[], [company.id]]);
  });

  it('takes as many names as a request allows', async () => {
    const names = Array.from({ length: MAX_LOOKUP_NAMES }, (_, i) => (i === MAX_LOOKUP_NAMES - 1 ? 'Twin Co' : `Missing ${i}`));
    const items = await lookUp(admin, 'companies', names);
    expect(items).toHaveLength(MAX_LOOKUP_NAMES);
    expect(items.at(-1)!.records).toHaveLength(2);
  });

  it('answers bad bodies with 400 and the field path, and more names than a request takes too', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'names'],
      [{ names: [] }, 'names'],
      [{ names: ['Twin Co', '  '] }, 'names.1'],
      [{ names: ['Twin Co', 7] }, 'names.1'],
      [{ names: 'Twin Co' }, 'names'],
      [{ names: Array.from({ length: MAX_LOOKUP_NAMES + 1 }, () => 'Twin Co') }, 'names'],
      [{ names: ['Twin Co'], extra: 1 }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const response = await admin.post('/api/companies/ids-by-name', body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.json.error.code).toBe('ValidationFailed');
      expect(response.json.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
  });
});
