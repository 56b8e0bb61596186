/**
 * Import jobs keep to who started them (issue 12, item 9): a job's row errors quote the file's
 * cells, so only its starter and the tenant's administrators read it; to anyone else it does
 * not exist (404), nor does its upload. A job names the records its rows duplicate only when the
 * reader may see them; a duplicate of a record they may not see is marked `hidden`, without id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportJob, ImportUpload } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { person, type Person } from '../support/people.ts';

const TENANT = 'import-jobs';
let cloud: TestCloud;
let admin: ApiClient;
let marketing: Person;
let manager: Person;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  // Both may import contacts: marketing sees every contact, the manager (no team) their own.
  marketing = await person(cloud, TENANT, 'marketing');
  manager = await person(cloud, TENANT, 'sales-manager');
});
afterAll(() => cloud?.stop());

const importCsv = (client: ApiClient, csv: string) => client.request('POST', '/api/imports?type=contacts', csv, { 'content-type': 'text/csv' });

describe('an import job', () => {
  it('is read by its starter and administrators only; to other importers it does not exist', async () => {
    const started = await importCsv(admin, 'Name,Company Ids\r\nPayroll Person,Payroll salary 250k\r\n');
    expect(started.status, started.text).toBe(201);
    const job = ImportJob.parse(started.json);
    expect(job.errors[0].reason).toContain('salary 250k');

    const unknown = await marketing.client.get('/api/imports/01JZZZZZZZZZZZZZZZZZZZZZZZ');
    for (const reader of [marketing.client, manager.client]) {
      const read = await reader.get(`/api/imports/${job.id}`);
      expect(read.status, read.text).toBe(404);
      expect(read.text).not.toContain('salary');
      expect(read.json.error.code).toBe(unknown.json.error.code);
    }
    expect((await admin.get(`/api/imports/${job.id}`)).status).toBe(200);
    const own = ImportJob.parse((await importCsv(marketing.client, 'Name\r\nMarketing Person\r\n')).json);
    expect((await marketing.client.get(`/api/imports/${own.id}`)).status).toBe(200);
    expect((await admin.get(`/api/imports/${own.id}`)).status).toBe(200);
    expect((await manager.client.get(`/api/imports/${own.id}`)).status).toBe(404);
  });

  it('of an upload started by someone else: starting it again names no upload, as an unknown one', async () => {
    const csv = 'Name,Email\r\nUploaded Person,uploaded@import-jobs.example\r\n';
    const upload = ImportUpload.parse((await admin.post('/api/imports/uploads', { type: 'contacts', fileName: 'c.csv', size: Buffer.byteLength(csv) })).json);
    expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: csv })).status).toBe(200);
    const started = await admin.post(`/api/imports?type=contacts&upload=${upload.upload}`, {});
    expect(started.status, started.text).toBe(202);
    const repeated = await manager.client.post(`/api/imports?type=contacts&upload=${upload.upload}`, {});
    const unknown = await manager.client.post('/api/imports?type=contacts&upload=01JZZZZZZZZZZZZZZZZZZZZZZZ', {});
    expect(repeated.status, repeated.text).toBe(400);
    expect(repeated.json.error.issues.map((issue: { path: string }) => issue.path)).toEqual(unknown.json.error.issues.map((issue: { path: string }) => issue.path));
    expect(repeated.text).not.toContain('uploaded@import-jobs.example');
    // Its starter gets the job again.
    expect((await admin.post(`/api/imports?type=contacts&upload=${upload.upload}`, {})).status).toBe(200);
  });

  it('skips a row that duplicates a record the starter may not see, without naming it', async () => {
    const theirs = (await admin.post('/api/contacts', { name: 'Admin Only', emails: ['twin@import-jobs.example'] })).json;
    const mine = (await manager.client.post('/api/contacts', { name: 'Manager Own', emails: ['own@import-jobs.example'] })).json;
    const response = await importCsv(manager.client, 'Name,Email\r\nTwin Row,twin@import-jobs.example\r\nOwn Row,own@import-jobs.example\r\n');
    expect(response.status, response.text).toBe(201);
    const job = ImportJob.parse(response.json);
    expect(job).toMatchObject({ ok: 0, duplicates: 2 });
    expect(job.duplicateRows).toEqual([
      { line: 2, match: 'emails twin@import-jobs.example', hidden: true },
      { line: 3, id: mine.id, match: 'emails own@import-jobs.example' },
    ]);
    expect(response.text).not.toContain(theirs.id);
    expect(JSON.stringify((await manager.client.get(`/api/imports/${job.id}`)).json)).not.toContain(theirs.id);
    // The administrator, who sees every contact, is told which.
    expect((await admin.get(`/api/imports/${job.id}`)).json.duplicateRows[0]).toEqual({ line: 2, id: theirs.id, match: 'emails twin@import-jobs.example' });
  });
});
