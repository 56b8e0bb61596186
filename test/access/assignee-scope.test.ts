/**
 * Whoever a record is assigned to sees it (issue 13, item 1): scope is by owner or assignee, as
 * the record type declares (`assignees`: an activity's `assignee`). The administrator assigns a
 * call to a rep; the rep sees it on every path that reads records (GET, lists, view rows, search,
 * names, ids by name, history, the change feed, exports; activities have no duplicate keys) and may mark it done; their
 * manager sees it as the rep's; another rep does not. Reassigning it moves it: the change feed
 * tells the one it was taken from (so their grid drops it), and it is gone for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesResponse, type ChangeEntry } from '../../functions/contracts/record.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, person, team, withCustomRole, type Person } from '../support/people.ts';
import { purge } from '../support/record-purge.ts';

const TENANT = 'assigned';
let cloud: TestCloud;
let admin: ApiClient;
let adminSub: string;
let rep: Person; // team North
let manager: Person; // team North
let rep2: Person; // no team
let owen: Person; // own scope, every action (exports)
let hooli: { id: string };

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  adminSub = (await admin.get('/api/me')).json.sub;
  const north = await team(admin, 'North');
  rep = await person(cloud, TENANT, 'sales-representative', admin, [north]);
  manager = await person(cloud, TENANT, 'sales-manager', admin, [north]);
  rep2 = await person(cloud, TENANT, 'sales-representative');
  owen = await withCustomRole(cloud, TENANT, admin, OWN_EVERYTHING);
  hooli = await created(admin, 'companies', { name: 'Hooli' });
}, 120_000);
afterAll(() => cloud?.stop());

async function created(client: ApiClient, plural: string, fields: Record<string, unknown>): Promise<{ id: string; version: number; [field: string]: unknown }> {
  const response = await client.post(`/api/${plural}`, fields);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

/** The administrator's activity, assigned to `assignee`. */
const assigned = (name: string, assignee: string, more: Record<string, unknown> = {}) => created(admin, 'activities', { name, kind: 'call', assignee, ...more });

const feedCursor = async (client: ApiClient) => (await client.get('/api/changes')).json.cursor as string;
const feedAfter = async (client: ApiClient, cursor: string): Promise<ChangeEntry[]> => ChangesResponse.parse((await client.get(`/api/changes?after=${encodeURIComponent(cursor)}&limit=1000`)).json).items;
/** The feed's entries of one record after `cursor`, once there are `count` of them (the stream is asynchronous). */
async function entriesOf(client: ApiClient, cursor: string, id: string, count: number): Promise<ChangeEntry[]> {
  await expect.poll(async () => (await feedAfter(client, cursor)).filter((entry) => entry.id === id).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return (await feedAfter(client, cursor)).filter((entry) => entry.id === id);
}

const idsOf = (items: Array<{ id: string }>) => items.map((item) => item.id);
const rowIds = (answer: { rows: unknown[][] }) => answer.rows.map((row) => row[0]);

describe('a record assigned to someone', () => {
  it('is theirs to see on every path that reads records, and their manager\'s; no one else\'s', async () => {
    const cursors = { rep: await feedCursor(rep.client), manager: await feedCursor(manager.client), rep2: await feedCursor(rep2.client) };
    const call = await assigned('Call Hooli about renewal', rep.sub, { companyId: hooli.id });

    for (const who of [rep, manager]) {
      const read = await who.client.get(`/api/activities/${call.id}`);
      expect(read.status, read.text).toBe(200);
      expect(read.json).toMatchObject({ name: 'Call Hooli about renewal', owner: adminSub, assignee: rep.sub });
      expect(idsOf((await who.client.get('/api/activities?limit=1000')).json.items)).toEqual([call.id]);
      expect(rowIds((await who.client.post('/api/views/activity/rows', { columns: ['name', 'assignee', 'companyId'] })).json)).toEqual([call.id]);
      expect(idsOf((await who.client.get('/api/search?q=call hooli')).json.items)).toEqual([call.id]);
      expect((await who.client.get(`/api/activities/names?ids=${call.id}`)).json.items).toEqual([{ id: call.id, name: 'Call Hooli about renewal' }]);
      expect((await who.client.post('/api/activities/names', { ids: [call.id] })).json.items).toEqual([{ id: call.id, name: 'Call Hooli about renewal' }]);
      expect((await who.client.post('/api/activities/ids-by-name', { names: ['call hooli about renewal'] })).json.items[0].records).toEqual([{ id: call.id, name: 'Call Hooli about renewal' }]);
      expect((await who.client.get(`/api/activities/${call.id}/history`)).status).toBe(200);
    }
    // The company it names is the administrator's: still out of the rep's scope.
    expect((await rep.client.get(`/api/companies/names?ids=${hooli.id}`)).json.items).toEqual([]);
    expect((await rep.client.get(`/api/companies/${hooli.id}`)).status).toBe(404);

    // The change feed tells the assignee and their manager, naming whom it is assigned to.
    for (const [who, cursor] of [[rep, cursors.rep], [manager, cursors.manager]] as const) {
      const [entry] = await entriesOf(who.client, cursor, call.id, 1);
      expect(entry).toMatchObject({ change: 'created', version: 1, assignees: [rep.sub] });
    }

    // Another rep: nothing, on every path.
    expect((await rep2.client.get(`/api/activities/${call.id}`)).status).toBe(404);
    expect((await rep2.client.get('/api/activities?limit=1000')).json.items).toEqual([]);
    expect((await rep2.client.post('/api/views/activity/rows', { columns: ['name'] })).json.total).toBe(0);
    expect((await rep2.client.get('/api/search?q=call hooli')).json.items).toEqual([]);
    expect((await rep2.client.get(`/api/activities/names?ids=${call.id}`)).json.items).toEqual([]);
    expect((await rep2.client.post('/api/activities/ids-by-name', { names: ['Call Hooli about renewal'] })).json.items[0].records).toEqual([]);
    expect((await rep2.client.get(`/api/activities/${call.id}/history`)).status).toBe(404);
    // After the entries above are in the feed: rep2's feed holds none of them.
    await entriesOf(admin, cursors.rep2, call.id, 1);
    expect((await feedAfter(rep2.client, cursors.rep2)).map((entry) => entry.id)).not.toContain(call.id);
  });

  it('is in the assignee\'s exports, of the type and of a view', async () => {
    const task = await assigned('Send Owen the price list', owen.sub);
    const mine = await created(owen.client, 'activities', { name: 'Owen own note', kind: 'note' });
    const other = await assigned('Not for Owen', rep.sub);
    const whole = await owen.client.get('/api/activities/export.csv');
    expect(whole.status, whole.text).toBe(200);
    const view = await owen.client.post('/api/views/activity/export.csv', { columns: ['name', 'assignee'], search: '' });
    expect(view.status, view.text).toBe(200);
    for (const csv of [whole.text, view.text]) {
      expect(csv).toContain(task.id);
      expect(csv).toContain(mine.id);
      expect(csv).not.toContain(other.id);
      expect(csv).not.toContain('Not for Owen');
    }
  });

  it('may be marked done by the assignee, alone or in a paste, as their role lets them update the type', async () => {
    const call = await assigned('Call Initech back', rep.sub);
    const done = await rep.client.patch(`/api/activities/${call.id}`, { version: 1, fields: { done: true } });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ done: true, version: 2, owner: call.owner, updatedBy: rep.sub });
    const pasted = await rep.client.post('/api/bulk', { changes: [{ type: 'activity', id: call.id, version: 2, field: 'notes', value: 'Left a message' }] });
    expect(pasted.json.results).toEqual([{ status: 'ok', version: 3 }]);
    expect((await admin.get(`/api/activities/${call.id}`)).json).toMatchObject({ done: true, notes: 'Left a message', version: 3 });
    // Another rep may not touch it at all.
    expect((await rep2.client.patch(`/api/activities/${call.id}`, { version: 3, fields: { done: false } })).status).toBe(404);
    const bulk = await rep2.client.post('/api/bulk', { changes: [{ type: 'activity', id: call.id, version: 3, field: 'done', value: false }] });
    expect(bulk.json.results).toEqual([{ status: 'invalid', reason: `no activity ${call.id} exists` }]);
  });

  it('moves when reassigned: the one it was taken from hears of it once more and sees it no longer', async () => {
    const cursors = { rep: await feedCursor(rep.client), manager: await feedCursor(manager.client), rep2: await feedCursor(rep2.client) };
    const call = await assigned('Call Pied Piper', rep.sub);
    const moved = await admin.patch(`/api/activities/${call.id}`, { version: 1, fields: { assignee: rep2.sub } });
    expect(moved.status, moved.text).toBe(200);

    // rep and their manager: the creation, and the change that took it away (so their grids drop it).
    for (const [who, cursor] of [[rep, cursors.rep], [manager, cursors.manager]] as const) {
      const entries = await entriesOf(who.client, cursor, call.id, 2);
      expect(entries.map(({ change, version, assignees, previousAssignees }) => ({ change, version, assignees, previousAssignees }))).toEqual([
        { change: 'created', version: 1, assignees: [rep.sub], previousAssignees: undefined },
        { change: 'updated', version: 2, assignees: [rep2.sub], previousAssignees: [rep.sub] },
      ]);
      expect((await who.client.get(`/api/activities/${call.id}`)).status).toBe(404);
      // The grid's refresh of the rows the feed named: removed.
      const rows = await who.client.post('/api/views/activity/rows', { columns: ['name'], ids: [call.id] });
      expect(rows.json).toMatchObject({ rows: [], removed: [call.id] });
      expect(rowIds((await who.client.post('/api/views/activity/rows', { columns: ['name'] })).json)).not.toContain(call.id);
    }
    // rep2: only the change that gave it to them, and it is theirs now.
    const theirs = await entriesOf(rep2.client, cursors.rep2, call.id, 1);
    expect(theirs.map(({ version, assignees }) => ({ version, assignees }))).toEqual([{ version: 2, assignees: [rep2.sub] }]);
    expect((await rep2.client.get(`/api/activities/${call.id}`)).json).toMatchObject({ name: 'Call Pied Piper', version: 2 });

    // The assignee hands it on themselves: it leaves their scope with their own change.
    const handed = await assigned('Call Aviato', rep.sub);
    const onward = await rep.client.patch(`/api/activities/${handed.id}`, { version: 1, fields: { assignee: rep2.sub } });
    expect(onward.status, onward.text).toBe(200);
    expect((await rep.client.get(`/api/activities/${handed.id}`)).status).toBe(404);
    expect((await rep2.client.get(`/api/activities/${handed.id}`)).status).toBe(200);
    // Unassigned: the owner's alone again.
    expect((await rep2.client.patch(`/api/activities/${handed.id}`, { version: 2, fields: { assignee: null } })).status).toBe(200);
    expect((await rep2.client.get(`/api/activities/${handed.id}`)).status).toBe(404);
    expect((await admin.get(`/api/activities/${handed.id}`)).json.assignee).toBeUndefined();
  });

  it('keeps its history to those it was last assigned to, after the purge', async () => {
    const kept = await assigned('Purged while assigned', rep.sub);
    await purge(cloud.dynamoEndpoint, TENANT, admin, 'activity', kept.id, 1);
    expect((await rep.client.get(`/api/activities/${kept.id}/history`)).status).toBe(200);

    const away = await assigned('Purged after reassigning', rep.sub);
    expect((await admin.patch(`/api/activities/${away.id}`, { version: 1, fields: { assignee: rep2.sub } })).status).toBe(200);
    await purge(cloud.dynamoEndpoint, TENANT, admin, 'activity', away.id, 2);
    expect((await rep.client.get(`/api/activities/${away.id}/history`)).status).toBe(404);
    expect((await rep2.client.get(`/api/activities/${away.id}/history`)).status).toBe(200);
  });

  it('only by the fields its type declares: a custom user field naming someone gives them nothing', async () => {
    const reviewer = await admin.post('/api/fields/deal', { label: 'Reviewer', type: 'user' });
    expect(reviewer.status, reviewer.text).toBe(201);
    const deal = await created(admin, 'deals', { name: 'Reviewed by the rep', [reviewer.json.key]: rep.sub });
    expect((await rep.client.get(`/api/deals/${deal.id}`)).status).toBe(404);
    expect((await rep.client.get('/api/deals?limit=1000')).json.items).toEqual([]);
  });
});
