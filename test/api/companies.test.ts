import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Company, CompanyList } from '../../functions/contracts/company.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { HistoryResponse } from '../../functions/contracts/record.ts';
import { Me } from '../../functions/contracts/auth.ts';
import { startTestCloud, signIn, ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  const tokens = await signIn(cloud.url, cloud.clientId, cloud.demoAdmin.email, cloud.demoAdmin.password!);
  admin = new ApiClient(cloud.url, tokens.IdToken);
});
afterAll(() => cloud?.stop());

describe('companies through the gateway', () => {
  it('tells the caller who they are', async () => {
    const me = await admin.get('/api/me');
    expect(me.status).toBe(200);
    expect(Me.parse(me.json)).toMatchObject({ email: 'admin@demo.sheetflow.local', tenant: 'demo', groups: ['administrator'] });
  });

  it('creates, reads, changes and deletes a company, each change conditional on its version', async () => {
    const created = await admin.post('/api/companies', { name: '  Acme Ltd ', domain: 'ACME.example', industry: 'Tools' });
    expect(created.status).toBe(201);
    const company = Company.parse(created.json);
    expect(company).toMatchObject({ name: 'Acme Ltd', domain: 'acme.example', industry: 'Tools', version: 1 });
    expect(created.headers.get('location')).toBe(`/api/companies/${company.id}`);

    const read = await admin.get(`/api/companies/${company.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);

    const patched = await admin.patch(`/api/companies/${company.id}`, { version: 1, fields: { industry: 'Hardware', domain: null } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, industry: 'Hardware', name: 'Acme Ltd' });
    expect(patched.json).not.toHaveProperty('domain');

    const history = await admin.get(`/api/companies/${company.id}/history`);
    expect(history.status).toBe(200);
    const entries = HistoryResponse.parse(history.json).items;
    expect(entries.map((e) => [e.version, e.action])).toEqual([
      [1, 'created'],
      [2, 'updated'],
    ]);
    expect(entries[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'industry', old: 'Tools', new: 'Hardware' },
        { field: 'domain', old: 'acme.example', new: null },
      ]),
    );
    expect(entries[1].by).toBe(company.createdBy);

    const staleDelete = await admin.delete(`/api/companies/${company.id}?version=1`);
    expect(staleDelete.status).toBe(409);
    const deleted = await admin.delete(`/api/companies/${company.id}?version=2`);
    expect(deleted.status).toBe(204);
    expect((await admin.get(`/api/companies/${company.id}`)).status).toBe(404);
    const afterDelete = HistoryResponse.parse((await admin.get(`/api/companies/${company.id}/history`)).json).items;
    expect(afterDelete.at(-1)).toMatchObject({ version: 3, action: 'deleted' });
  });

  it('refuses a change based on a stale version with 409 and the current record', async () => {
    const { json: company } = await admin.post('/api/companies', { name: 'Contested' });
    const first = await admin.patch(`/api/companies/${company.id}`, { version: 1, fields: { name: 'First edit' } });
    expect(first.status).toBe(200);
    const second = await admin.patch(`/api/companies/${company.id}`, { version: 1, fields: { name: 'Second edit' } });
    expect(second.status).toBe(409);
    const error = ApiErrorBody.parse(second.json).error;
    expect(error.code).toBe('VersionConflict');
    expect(error.current).toMatchObject({ id: company.id, version: 2, name: 'First edit' });
    expect((await admin.get(`/api/companies/${company.id}`)).json).toMatchObject({ version: 2, name: 'First edit' });
  });

  it('lets exactly one of many concurrent edits of one version win', async () => {
    const { json: company } = await admin.post('/api/companies', { name: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => admin.patch(`/api/companies/${company.id}`, { version: 1, fields: { name: `Writer ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const history = HistoryResponse.parse((await admin.get(`/api/companies/${company.id}/history`)).json).items;
    expect(history.map((e) => e.version)).toEqual([1, 2]);
  });

  it('lists the tenant\'s companies page by page', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `Paged ${i}`);
    for (const name of names) expect((await admin.post('/api/companies', { name })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.get(`/api/companies?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const list = CompanyList.parse(page.json);
      expect(list.items.length).toBeLessThanOrEqual(2);
      seen.push(...list.items.map((c) => c.name));
      cursor = list.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(names));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
