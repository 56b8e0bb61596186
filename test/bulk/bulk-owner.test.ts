/**
 * The grid's owner column saves through POST /api/bulk: `owner` hands the record to another
 * active user (a versioned change with history, as PATCH .../owner), and is refused, cell by
 * cell, for no one, a stranger's sub or a deactivated user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;
const subs: Record<string, string> = {};

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('owners');
  for (const key of ['ann', 'gone']) {
    const invited = await admin.post('/api/users', { email: `${key}@owners.example`, role: 'sales-representative' });
    expect(invited.status, invited.text).toBe(201);
    subs[key] = invited.json.sub;
    if (key === 'gone') expect((await admin.patch(`/api/users/${subs.gone}`, { version: 1, fields: { active: false } })).status).toBe(200);
  }
}, 60_000);
afterAll(() => cloud?.stop());

const bulk = async (changes: unknown[]) => {
  const response = await admin.post('/api/bulk', { changes });
  expect(response.status, response.text).toBe(200);
  return response.json.results as Array<{ status: string; version?: number; reason?: string }>;
};

describe('owner through POST /api/bulk', () => {
  it('hands a record to another active user, with history', async () => {
    const company = (await admin.post('/api/companies', { name: 'Handed Co' })).json;
    const [result] = await bulk([{ type: 'company', id: company.id, version: company.version, field: 'owner', value: subs.ann }]);
    expect(result).toEqual({ status: 'ok', version: company.version + 1 });
    expect((await admin.get(`/api/companies/${company.id}`)).json.owner).toBe(subs.ann);
    const history = (await admin.get(`/api/companies/${company.id}/history`)).json.items;
    expect(history.at(-1).changes).toEqual([{ field: 'owner', old: company.owner, new: subs.ann }]);
  });

  it('refuses no one, a stranger and a deactivated user, cell by cell, and keeps the owner', async () => {
    const company = (await admin.post('/api/companies', { name: 'Kept Co' })).json;
    const cell = (value: unknown) => ({ type: 'company', id: company.id, version: company.version, field: 'owner', value });
    for (const [value, reason] of [
      [null, 'owner: a record always has an owner (a user of this tenant)'],
      ['not-a-user', 'owner: is no active user of this tenant'],
      [subs.gone, 'owner: is no active user of this tenant'],
    ] as const) {
      expect(await bulk([cell(value)])).toEqual([{ status: 'invalid', reason }]);
    }
    expect((await admin.get(`/api/companies/${company.id}`)).json).toMatchObject({ owner: company.owner, version: company.version });
  });
});
