/**
 * Every route answers within Lambda's 6 MB (issue 12 item 3), tried with its worst case: the
 * largest request it takes against the largest records a tenant may hold (companies of ~350 KB,
 * two long texts, more of them than one answer could carry, one of them changed 20 times). The
 * gateway answers 500 for a result past the limit, as an HTTP API does, so an unbounded route
 * fails here. The cases are keyed by route (`{plural}` for a record type's routes, tried on
 * companies): a route without one fails the test.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ROUTES } from '../../functions/api/routes.ts';
import { RECORD_TYPES } from '../../functions/records/record-types.ts';
import { LAMBDA_RESPONSE_LIMIT_BYTES } from '../../infra/app-resources.ts';
import { startTestCloud, type ApiClient, type TestCloud } from './cloud.ts';

const BIG_RECORDS = 20;
let cloud: TestCloud;
let admin: ApiClient;
const big: Array<{ id: string; version: number }> = [];
let fields: [string, string];
let viewId: string;
let lead: string;
let errorJob: string;
const text = (bytes: number) => randomBytes((bytes * 3) / 4).toString('base64');

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('sizes');
  fields = [(await admin.post('/api/fields/company', { label: 'Notes', type: 'long_text' })).json.key, (await admin.post('/api/fields/company', { label: 'More notes', type: 'long_text' })).json.key];
  for (let n = 0; n < BIG_RECORDS; n++) {
    const created = await admin.post('/api/companies', { name: 'Big', domain: 'big.example', [fields[0]]: text(200_000) });
    expect(created.status, created.text).toBe(201);
    const changed = await admin.patch(`/api/companies/${created.json.id}`, { version: 1, fields: { [fields[1]]: text(150_000) } });
    expect(changed.status, changed.text).toBe(200);
    big.push({ id: created.json.id, version: 2 });
  }
  // A long history: each change holds the long text twice (old and new).
  for (let version = 2; version < 22; version++) {
    const changed = await admin.patch(`/api/companies/${big[0].id}`, { version, fields: { [fields[1]]: text(150_000) } });
    expect(changed.status, changed.text).toBe(200);
  }
  big[0].version = 22;
  viewId = (await admin.post('/api/views/company', { name: 'Long texts', columns: ['name', ...fields] })).json.id;
  lead = (await admin.post('/api/leads', { name: 'A lead', companyName: 'Big' })).json.id;
}, 300_000);

/** An import of 80 companies whose rows each have a cell left empty and 90 KB besides, through the files bucket: its job's id. */
async function importWithLongErrorRows(): Promise<string> {
  const rows = Array.from({ length: 80 }, (_, n) => `Long row ${n},approx 40,${'x'.repeat(90_000)}`);
  const file = Buffer.from(['Name,Employees,Filler', ...rows].join('\r\n') + '\r\n');
  const upload = (await admin.post('/api/imports/uploads', { type: 'companies', fileName: 'long.csv', size: file.length })).json;
  expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: new Uint8Array(file) })).status).toBe(200);
  const started = await admin.post(`/api/imports?type=companies&upload=${upload.upload}`, {});
  expect(started.status, started.text).toBe(202);
  await expect.poll(async () => (await admin.get(`/api/imports/${upload.upload}`)).json.status, { timeout: 120_000, interval: 250 }).toBe('done');
  return upload.upload;
}
afterAll(() => cloud?.stop());

const unknownId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const manyIds = () => Array.from({ length: 1000 }, (_, i) => big[i % BIG_RECORDS].id);

/** Per route, its worst request: [method, path, body?]. Routes answering one small item send an ordinary request. */
const WORST: Record<string, () => [string, string, unknown?]> = {
  'GET /api/me': () => ['GET', '/api/me'],
  'GET /api/users': () => ['GET', '/api/users'],
  'POST /api/users': () => ['POST', '/api/users', { email: 'new@sizes.example', role: 'marketing' }],
  'PATCH /api/users/{sub}': () => ['PATCH', `/api/users/nobody`, { version: 1, fields: { name: 'X' } }],
  'POST /api/users/{sub}/reset-password': () => ['POST', '/api/users/nobody/reset-password', {}],
  'POST /api/users/{sub}/resend-invitation': () => ['POST', '/api/users/nobody/resend-invitation', {}],
  'GET /api/settings': () => ['GET', '/api/settings'],
  'PATCH /api/settings': () => ['PATCH', '/api/settings', { version: 0, fields: { defaultCountry: 'DE' } }],
  'GET /api/teams': () => ['GET', '/api/teams'],
  'POST /api/teams': () => ['POST', '/api/teams', { name: 'Team', supervisor: null }],
  'PATCH /api/teams/{id}': () => ['PATCH', `/api/teams/${unknownId}`, { version: 1, fields: { name: 'T' } }],
  'DELETE /api/teams/{id}': () => ['DELETE', `/api/teams/${unknownId}?version=1`],
  'GET /api/roles': () => ['GET', '/api/roles'],
  'POST /api/roles': () => ['POST', '/api/roles', { name: 'Role', administer: false, types: {} }],
  'PATCH /api/roles/{id}': () => ['PATCH', `/api/roles/${unknownId}`, { version: 1, fields: { name: 'R' } }],
  'DELETE /api/roles/{id}': () => ['DELETE', `/api/roles/${unknownId}?version=1`],
  'GET /api/audit': () => ['GET', '/api/audit?limit=500'],
  'GET /api/changes': () => ['GET', '/api/changes?after=0&limit=1000'],
  'POST /api/bulk': () => ['POST', '/api/bulk', { changes: manyIds().map((id) => ({ type: 'company', id, version: 1, field: 'industry', value: 'x' })) }],
  'POST /api/trash': () => ['POST', '/api/trash', { items: manyIds().map((id) => ({ type: 'company', id, version: 1 })) }],
  'POST /api/trash/restore': () => ['POST', '/api/trash/restore', { items: manyIds().map((id) => ({ type: 'company', id, version: 2 })) }],
  'GET /api/search': () => ['GET', '/api/search?q=big&limit=50'],
  'GET /api/fields/{type}': () => ['GET', '/api/fields/company'],
  'POST /api/fields/{type}': () => ['POST', '/api/fields/company', { label: 'Another', type: 'text' }],
  'PATCH /api/fields/{type}/{key}': () => ['PATCH', `/api/fields/company/${fields[0]}`, { version: 1, label: 'Notes' }],
  'DELETE /api/fields/{type}/{key}': () => ['DELETE', '/api/fields/company/cf_nothing?version=1'],
  'POST /api/fields/{type}/{key}/restore': () => ['POST', '/api/fields/company/cf_nothing/restore', {}],
  'GET /api/views/{type}': () => ['GET', '/api/views/company'],
  'POST /api/views/{type}': () => ['POST', '/api/views/company', { name: 'Another', columns: ['name', ...fields] }],
  'POST /api/views/{type}/rows': () => ['POST', '/api/views/company/rows?limit=20000', { columns: ['name', ...fields], ids: manyIds() }],
  'PATCH /api/views/{type}/{id}': () => ['PATCH', `/api/views/company/${viewId}`, { version: 1, fields: { name: 'Long texts' } }],
  'DELETE /api/views/{type}/{id}': () => ['DELETE', `/api/views/company/${unknownId}?version=1`],
  'GET /api/views/{type}/{id}/rows': () => ['GET', `/api/views/company/${viewId}/rows?offset=0&limit=20000`],
  'POST /api/{plural}/{id}/convert': () => ['POST', `/api/leads/${lead}/convert`, { version: 1 }],
  'POST /api/imports/uploads': () => ['POST', '/api/imports/uploads', { type: 'companies', fileName: 'x.csv', size: 10 }],
  'POST /api/imports': () => ['POST', '/api/imports?type=companies&dryRun=true', 'Name\r\nBig\r\n'],
  'GET /api/imports/{id}': () => ['GET', `/api/imports/${unknownId}`],
  // An error file of rows of ~90 KB each, more than one answer could carry (past 5 MiB: a link).
  'GET /api/imports/{id}/errors.csv': () => ['GET', `/api/imports/${errorJob}/errors.csv`],
  'GET /api/imports/mappings/{type}': () => ['GET', '/api/imports/mappings/company'],
  'GET /api/{plural}/export.csv': () => ['GET', '/api/companies/export.csv'],
  'GET /api/views/{type}/{id}/export.csv': () => ['GET', `/api/views/company/${viewId}/export.csv`],
  'POST /api/views/{type}/export.csv': () => ['POST', '/api/views/company/export.csv', { columns: ['name', ...fields] }],
  'GET /api/{plural}/duplicates': () => ['GET', '/api/companies/duplicates'],
  'GET /api/{plural}/{id}/duplicates': () => ['GET', `/api/companies/${big[1].id}/duplicates`],
  'POST /api/{plural}/{id}/merge': () => ['POST', `/api/companies/${big[1].id}/merge`, { otherId: big[2].id, version: 2, otherVersion: 2 }],
  'GET /api/{plural}/names': () => ['GET', `/api/companies/names?ids=${manyIds().slice(0, 200).join(',')}`],
  'POST /api/{plural}/names': () => ['POST', '/api/companies/names', { ids: manyIds() }],
  'POST /api/{plural}/ids-by-name': () => ['POST', '/api/companies/ids-by-name', { names: Array.from({ length: 1000 }, () => 'Big') }],
  'GET /api/{plural}': () => ['GET', '/api/companies?limit=1000'],
  'POST /api/{plural}': () => ['POST', '/api/companies', { name: 'Small' }],
  'GET /api/{plural}/trash': () => ['GET', '/api/companies/trash?limit=1000'],
  'GET /api/{plural}/{id}': () => ['GET', `/api/companies/${big[3].id}`],
  'PATCH /api/{plural}/{id}': () => ['PATCH', `/api/companies/${big[3].id}`, { version: 1, fields: { industry: 'x' } }],
  'DELETE /api/{plural}/{id}': () => ['DELETE', `/api/companies/${big[3].id}?version=1`],
  'POST /api/{plural}/{id}/restore': () => ['POST', `/api/companies/${big[3].id}/restore`, {}],
  'PATCH /api/{plural}/{id}/owner': () => ['PATCH', `/api/companies/${big[3].id}/owner`, { version: 1, owner: 'nobody' }],
  'GET /api/{plural}/{id}/history': () => ['GET', `/api/companies/${big[0].id}/history`],
};

const plurals = RECORD_TYPES.map((type) => type.plural).join('|');
const patternOf = (method: string, path: string) => `${method} ${path.replace(new RegExp(`^/api/(${plurals})(?=/|$)`), '/api/{plural}')}`;

it('has a worst case for every route', () => {
  const missing = [...new Set(ROUTES.map((route) => patternOf(route.method, route.path)))].filter((pattern) => !WORST[pattern]);
  expect(missing).toEqual([]);
});

it('answers the worst case of every route within 6 MB', { timeout: 600_000 }, async () => {
  // Here, not in beforeAll: the job is awaited with expect.poll, which needs a test.
  errorJob = await importWithLongErrorRows();
  const sizes: Record<string, number> = {};
  for (const [pattern, worst] of Object.entries(WORST)) {
    const [method, path, body] = worst();
    const response = typeof body === 'string' ? await admin.request(method, path, body, { 'content-type': 'text/csv' }) : await admin.request(method, path, body);
    expect(response.status, `${pattern}: ${response.text.slice(0, 300)}`).not.toBe(500);
    sizes[pattern] = Buffer.byteLength(response.text);
    expect(sizes[pattern], pattern).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
  }
  // The cases reach the large records: the bulk answer carries several of them, not an error.
  expect(sizes['POST /api/bulk']).toBeGreaterThan(1_000_000);
  // The error file of rows too long for one answer is a link to it.
  expect(JSON.parse((await admin.get(`/api/imports/${errorJob}/errors.csv`)).text)).toMatchObject({ url: expect.any(String), bytes: expect.any(Number) });
});
