/**
 * What a role's scope lets a user see, on every path that returns records: listings, single
 * records, grid view rows, search, the change feed, exports, duplicates, bulk changes; and the
 * fields a role may read but not change. Team North: a sales manager and rep1; rep2 in South.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person, team, type Person } from '../support/people.ts';

let cloud: TestCloud;
let admin: ApiClient;
let adminSub: string;
let manager: Person;
let rep1: Person;
let rep2: Person;
let agent: Person;
const company: Record<'rep1' | 'rep2' | 'admin', { id: string; version: number }> = {} as never;
const deal: Record<'rep1' | 'rep2', { id: string; version: number }> = {} as never;
const contact: Record<'rep1' | 'rep2', { id: string; version: number }> = {} as never;
let feedStart: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('scoped', ['administrator']);
  adminSub = (await admin.get('/api/me')).json.sub;
  const [north, south] = [await team(admin, 'North'), await team(admin, 'South')];
  manager = await person(cloud, 'scoped', 'sales-manager', admin, [north]);
  rep1 = await person(cloud, 'scoped', 'sales-representative', admin, [north]);
  rep2 = await person(cloud, 'scoped', 'sales-representative', admin, [south]);
  agent = await person(cloud, 'scoped', 'service-agent');
  feedStart = (await rep1.client.get('/api/changes')).json.cursor;
  company.rep1 = await ownedBy(admin, 'companies', { name: 'Scope North Ltd' }, rep1.sub);
  company.rep2 = await ownedBy(admin, 'companies', { name: 'Scope South Ltd' }, rep2.sub);
  company.admin = (await admin.post('/api/companies', { name: 'Scope Head Office' })).json;
  deal.rep1 = await ownedBy(admin, 'deals', { name: 'Scope deal one' }, rep1.sub);
  deal.rep2 = await ownedBy(admin, 'deals', { name: 'Scope deal two' }, rep2.sub);
  contact.rep1 = await ownedBy(admin, 'contacts', { name: 'Twin One', emails: ['twin@scoped.example'] }, rep1.sub);
  contact.rep2 = await ownedBy(admin, 'contacts', { name: 'Twin Two', emails: ['twin@scoped.example'] }, rep2.sub);
});
afterAll(() => cloud?.stop());

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id).sort();

describe('scope', () => {
  it('listings hold only the records in scope: own, the team\'s, or all', async () => {
    const list = async (client: ApiClient, plural: string) => ids((await client.get(`/api/${plural}?limit=1000`)).json.items);
    expect(await list(rep1.client, 'companies')).toEqual([company.rep1.id]); // team North: manager, rep1
    expect(await list(manager.client, 'companies')).toEqual([company.rep1.id]);
    expect(await list(rep2.client, 'companies')).toEqual([company.rep2.id]);
    expect(await list(agent.client, 'companies')).toEqual(ids([company.rep1, company.rep2, company.admin]));
    expect(await list(admin, 'companies')).toEqual(ids([company.rep1, company.rep2, company.admin]));
    expect(await list(rep1.client, 'deals')).toEqual([deal.rep1.id]); // own
    expect(await list(manager.client, 'deals')).toEqual([deal.rep1.id]); // team
    // A page may come back short of records in scope, never with others; the cursor still goes on.
    const page = (await rep2.client.get('/api/companies?limit=1')).json;
    expect(page.items.every((c: { id: string }) => c.id === company.rep2.id)).toBe(true);
  });

  it('pages through every record in scope, and no cursor names a record out of it', async () => {
    const others = new Set([company.rep1.id, company.admin.id]);
    for (const limit of [1, 2]) {
      const seen: string[] = [];
      const cursors: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await rep2.client.get(`/api/companies?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status, page.text).toBe(200);
        seen.push(...page.json.items.map((c: { id: string }) => c.id));
        cursor = page.json.nextCursor;
        if (cursor) cursors.push(cursor);
      } while (cursor);
      expect(seen).toEqual([company.rep2.id]);
      // Each a record of rep2's, or a position that names no record (`<part of an id>~`).
      expect(cursors.filter((c) => others.has(c))).toEqual([]);
      expect(cursors.every((c) => c === company.rep2.id || /^[0-9A-Z]{1,26}~$/.test(c))).toBe(true);
    }
    // The administrator pages through all three, a position or not.
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await admin.get(`/api/companies?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
      all.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids(all.map((id) => ({ id })))).toEqual(ids([company.rep1, company.rep2, company.admin]));
  });

  it('a record out of scope does not exist: read, change, history, owner are 404', async () => {
    const other = deal.rep2.id;
    for (const [method, path, body] of [
      ['GET', `/api/deals/${other}`],
      ['PATCH', `/api/deals/${other}`, { version: 2, fields: { name: 'Mine now' } }],
      ['GET', `/api/deals/${other}/history`],
      ['PATCH', `/api/deals/${other}/owner`, { version: 2, owner: rep1.sub }],
    ] as const) {
      const response = await rep1.client.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect((await rep1.client.get(`/api/deals/${deal.rep1.id}`)).status).toBe(200);
    expect((await admin.get(`/api/deals/${other}`)).json.name).toBe('Scope deal two');
  });

  it('grid view rows keep to the scope, saved or not', async () => {
    const rows = async (client: ApiClient) => (await client.post('/api/views/company/rows', { columns: ['name'] })).json;
    const mine = await rows(rep1.client);
    expect(mine.rows.map((row: unknown[]) => row[0])).toEqual([company.rep1.id]);
    expect(mine.total).toBe(1);
    expect((await rows(admin)).total).toBe(3);
  });

  it('search finds only records in scope, and only of types the role reads', async () => {
    const hits = async (client: ApiClient) => ids((await client.get('/api/search?q=scope')).json.items);
    expect(await hits(rep1.client)).toEqual(ids([company.rep1, deal.rep1]));
    expect(await hits(agent.client)).toEqual(ids([company.rep1, company.rep2, company.admin])); // agents read no deals
    expect(await hits(admin)).toEqual(ids([company.rep1, company.rep2, company.admin, deal.rep1, deal.rep2]));
  });

  it('the change feed shows only changes of records in scope', async () => {
    const seenBy = async (client: ApiClient) => {
      // 7 records created, 6 handed over
      await expect
        .poll(async () => (await admin.get(`/api/changes?after=${encodeURIComponent(feedStart)}&limit=1000`)).json.items.length, { timeout: 15_000, interval: 100 })
        .toBeGreaterThanOrEqual(13);
      return new Set(((await client.get(`/api/changes?after=${encodeURIComponent(feedStart)}&limit=1000`)).json.items as Array<{ id: string }>).map((e) => e.id));
    };
    const rep1Sees = await seenBy(rep1.client);
    expect([...rep1Sees].sort()).toEqual(ids([company.rep1, deal.rep1, contact.rep1]));
    expect((await seenBy(admin)).size).toBe(7);
  });

  it('a record handed out of a user\'s scope is reported to them once more, so their grid can drop it', async () => {
    const cursor = (await rep1.client.get('/api/changes')).json.cursor;
    const handed = await ownedBy(admin, 'activities', { name: 'Call back', kind: 'call' }, rep1.sub);
    expect((await admin.patch(`/api/activities/${handed.id}/owner`, { version: handed.version, owner: rep2.sub })).status).toBe(200);
    let entries: Array<{ id: string; version: number; owner: string; previousOwner?: string }> = [];
    await expect
      .poll(async () => (entries = (await rep1.client.get(`/api/changes?after=${encodeURIComponent(cursor)}`)).json.items).length, { timeout: 15_000, interval: 100 })
      .toBeGreaterThanOrEqual(2);
    // Created (owner admin: not rep1's), handed to rep1, handed on to rep2: rep1 hears the last two.
    expect(entries.filter((e) => e.id === handed.id).map(({ version, owner, previousOwner }) => ({ version, owner, previousOwner }))).toEqual([
      { version: 2, owner: rep1.sub, previousOwner: adminSub },
      { version: 3, owner: rep2.sub, previousOwner: rep1.sub },
    ]);
    expect((await rep1.client.get(`/api/activities/${handed.id}`)).status).toBe(404);
  });

  it('exports keep to the scope; a role without export may not export', async () => {
    const csv = (await manager.client.get('/api/companies/export.csv')).text;
    expect(csv).toContain('Scope North Ltd');
    expect(csv).not.toContain('Scope South Ltd');
    expect(csv).not.toContain('Scope Head Office');
    const refused = await rep1.client.get('/api/companies/export.csv');
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Sales representative may not export company/);
  });

  it('duplicates keep to the scope', async () => {
    expect((await rep1.client.get(`/api/contacts/${contact.rep1.id}/duplicates`)).json.items).toEqual([]);
    expect((await admin.get(`/api/contacts/${contact.rep1.id}/duplicates`)).json.items.map((d: { record: { id: string } }) => d.record.id)).toEqual([contact.rep2.id]);
    expect((await rep1.client.get('/api/contacts/duplicates')).json.items).toEqual([]);
    expect((await admin.get('/api/contacts/duplicates')).json.items).toHaveLength(1);
  });

  it('bulk changes: a record out of scope does not exist, a read-only field is refused by name, the rest applies', async () => {
    const response = await rep1.client.post('/api/bulk', {
      changes: [
        { type: 'company', id: company.rep1.id, version: company.rep1.version, field: 'name', value: 'Scope North Ltd (renamed)' },
        { type: 'company', id: company.rep2.id, version: company.rep2.version, field: 'name', value: 'Taken over' },
        { type: 'deal', id: deal.rep1.id, version: deal.rep1.version, field: 'probability', value: 90 },
        { type: 'product', id: deal.rep1.id, version: 1, field: 'name', value: 'Not mine to change' },
      ],
    });
    expect(response.status, response.text).toBe(200);
    const [renamed, outOfScope, readOnly, noRight] = response.json.results;
    expect(renamed).toEqual({ status: 'ok', version: company.rep1.version + 1 });
    expect(outOfScope).toEqual({ status: 'invalid', reason: `no company ${company.rep2.id} exists` });
    expect(readOnly.reason).toMatch(/forbidden: .* may read but not change probability/);
    expect(noRight.reason).toMatch(/forbidden: .* may not update product/);
    expect((await admin.get(`/api/companies/${company.rep2.id}`)).json.name).toBe('Scope South Ltd');
  });

  it('a field the role may read but not change: 403 naming it, on PATCH and on create', async () => {
    const refused = await rep1.client.patch(`/api/deals/${deal.rep1.id}`, { version: deal.rep1.version, fields: { probability: 80, stage: 'won' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.issues).toEqual([{ path: 'fields.probability', message: 'is read-only for your role' }]);
    expect((await rep1.client.patch(`/api/deals/${deal.rep1.id}`, { version: deal.rep1.version, fields: { stage: 'won' } })).status).toBe(200);
    expect((await rep1.client.post('/api/deals', { name: 'Sure thing', probability: 100 })).status).toBe(403);
    const mine = await rep1.client.post('/api/deals', { name: 'My own deal' });
    expect(mine.json.owner).toBe(rep1.sub);
    expect((await rep1.client.get(`/api/deals/${mine.json.id}`)).status).toBe(200);
    expect((await manager.client.patch(`/api/deals/${deal.rep1.id}`, { version: deal.rep1.version + 1, fields: { probability: 80 } })).status).toBe(200);
    void adminSub;
  });
});
