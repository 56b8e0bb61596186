/**
 * Fields that name a user (an activity's `assignee`, custom `user` fields) take active users of
 * the caller's tenant only, on every path that sets one: create, PATCH, bulk, import (issue 12,
 * item 9). One check serves them all (users/user-fields.ts), as relations have one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

const TENANT = 'user-fields';
let cloud: TestCloud;
let admin: ApiClient;
let colleague: string;
let deactivated: string;
let stranger: string; // a user of another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  const sub = async (client: ApiClient) => (await client.get('/api/me')).json.sub as string;
  colleague = await sub(await cloud.userOf(TENANT, ['sales-representative']));
  deactivated = await sub(await cloud.userOf(TENANT, ['sales-representative']));
  expect((await admin.patch(`/api/users/${deactivated}`, { version: 1, fields: { active: false } })).status).toBe(200);
  stranger = await sub(await cloud.userOf('user-fields-elsewhere', ['administrator']));
});
afterAll(() => cloud?.stop());

const issue = (path: string, value: string) => ({ path, message: 'is no active user of this tenant', value });

describe('an activity\'s assignee', () => {
  it('is refused on create unless an active user of the tenant: unknown, of another tenant, deactivated', async () => {
    for (const assignee of ['nobody', stranger, deactivated]) {
      const response = await admin.post('/api/activities', { name: 'Call back', kind: 'call', assignee });
      expect(response.status, `${assignee}: ${response.text}`).toBe(400);
      expect(response.json.error.issues).toEqual([issue('assignee', assignee)]);
    }
    const made = await admin.post('/api/activities', { name: 'Call back', kind: 'call', assignee: colleague });
    expect(made.status, made.text).toBe(201);
  });

  it('is refused on PATCH naming fields.assignee, and per cell in bulk', async () => {
    const activity = (await admin.post('/api/activities', { name: 'Follow up', kind: 'task' })).json;
    const patched = await admin.patch(`/api/activities/${activity.id}`, { version: 1, fields: { assignee: stranger } });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.json.error.issues).toEqual([issue('fields.assignee', stranger)]);
    const bulk = await admin.post('/api/bulk', { changes: [
      { type: 'activity', id: activity.id, version: 1, field: 'assignee', value: 'nobody' },
      { type: 'activity', id: activity.id, version: 1, field: 'name', value: 'Follow up soon' },
    ] });
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.json.results).toEqual([{ status: 'invalid', reason: 'assignee: is no active user of this tenant' }, { status: 'ok', version: 2 }]);
    const given = await admin.patch(`/api/activities/${activity.id}`, { version: 2, fields: { assignee: colleague } });
    expect(given.status, given.text).toBe(200);
  });

  it('a deactivated assignee the activity holds already does not block other changes', async () => {
    const activity = (await admin.post('/api/activities', { name: 'Held', kind: 'task', assignee: colleague })).json;
    const user = (await admin.get('/api/users')).json.items.find((u: { sub: string }) => u.sub === colleague);
    expect((await admin.patch(`/api/users/${colleague}`, { version: user.version, fields: { active: false } })).status).toBe(200);
    const renamed = await admin.patch(`/api/activities/${activity.id}`, { version: 1, fields: { name: 'Held, renamed', assignee: colleague } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await admin.patch(`/api/users/${colleague}`, { version: user.version + 1, fields: { active: true } })).status).toBe(200);
  });
});
