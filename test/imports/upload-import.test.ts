/**
 * CSV import of a file larger than a request may be: uploaded with plain fetch to a presigned
 * PUT of the files bucket (local/storage), imported by the csv-import workflow (local/states
 * invoking the imports function) while the client polls the job; and an import cut short, then
 * resumed from its checkpoint, never creates a row twice.
 * A body of more rows than are imported before the answer takes the same way (after a 202), once.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ImportJob, ImportUpload } from '../../functions/contracts/imports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { INLINE_ROWS } from '../../functions/imports/body-import.ts';

let cloud: TestCloud;
let user: ApiClient;
let other: ApiClient; // another tenant

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('uploads');
  other = await cloud.userOf('elsewhere');
});
afterAll(() => cloud?.stop());
afterEach(() => {
  delete process.env.IMPORT_STRETCH_SECONDS;
  delete process.env.IMPORT_BATCH_ROWS;
});

/** The types of the events of the import's workflow execution, once it has ended with `status`. */
async function executionEvents(jobId: string, status = 'SUCCEEDED'): Promise<string[]> {
  const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint });
  const stateMachineArn = JSON.parse(process.env.STATE_MACHINE_ARNS!)['csv-import'];
  const executionArn = stateMachineArn.replace(':stateMachine:', ':execution:') + `:${jobId}`;
  await expect.poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe(status);
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  sfn.destroy();
  return (history.events ?? []).map((event) => event.type!);
}

/**
 * A contacts file: every 97th row has no name (refused: a contact needs one), every 49th repeats
 * the e-mail of the row before it (a duplicate within the file). Returns the file and the counts
 * an import must give.
 */
function contactsFile(rows: number, prefix: string) {
  const lines = ['Name,Email,Position,Notes'];
  let bad = 0;
  let duplicates = 0;
  for (let i = 1; i <= rows; i++) {
    let email = `${prefix}${i}@example.com`;
    let name = `Person ${prefix} ${i}`;
    if (i % 97 === 0) {
      name = '';
      bad++;
    } else if (i % 49 === 0 && (i - 1) % 97 !== 0) {
      email = `${prefix}${i - 1}@example.com`;
      duplicates++;
    }
    // Notes is no field of a contact: an ignored column, which makes the file large (4.5 KB a row)
    // without making the import slow.
    lines.push(`${name},${email},Account manager for region ${i % 17},"Met at the fair, number ${i}; ${'follow up on the offer, '.repeat(180)}"`);
  }
  return { csv: lines.join('\r\n') + '\r\n', rows, bad, duplicates, ok: rows - bad - duplicates };
}

async function upload(client: ApiClient, csv: string): Promise<ImportUpload> {
  const response = await client.post('/api/imports/uploads', { type: 'contacts', fileName: 'contacts.csv', size: Buffer.byteLength(csv) });
  expect(response.status, response.text).toBe(201);
  return ImportUpload.parse(response.json);
}

async function finished(client: ApiClient, id: string, timeout = 50_000): Promise<ImportJob> {
  let job: ImportJob | undefined;
  await expect
    .poll(async () => (job = ImportJob.parse((await client.get(`/api/imports/${id}`)).json)).status, { timeout, interval: 250, message: `import ${id} still running` })
    .not.toBe('running');
  return job!;
}

async function countOf(client: ApiClient, plural: string): Promise<{ total: number; distinctEmails: number }> {
  const emails = new Set<string>();
  let total = 0;
  let cursor = '';
  do {
    const page = (await client.get(`/api/${plural}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    total += page.items.length;
    for (const record of page.items) for (const email of record.emails ?? [record.email]) emails.add(email);
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return { total, distinctEmails: emails.size };
}

describe('import of an uploaded file', () => {
  it('takes a file over 1 MiB through a presigned PUT and imports it after the answer, stretch after stretch, with the counts of the file', async () => {
    // One batch a stretch, of 100 rows (the import's own are 1,000): the workflow invokes the
    // imports function again and again.
    process.env.IMPORT_STRETCH_SECONDS = '0';
    process.env.IMPORT_BATCH_ROWS = '100';
    const file = contactsFile(250, 'u');
    expect(Buffer.byteLength(file.csv)).toBeGreaterThan(1024 * 1024);
    // The same file as a request body is more than the gateway takes.
    expect((await user.request('POST', '/api/imports?type=contacts', file.csv, { 'content-type': 'text/csv' })).status).toBe(413);

    const target = await upload(user, file.csv);
    const put = await fetch(target.url, { method: target.method, headers: target.headers, body: file.csv });
    expect(put.status, await put.clone().text()).toBe(200);

    const started = await user.request('POST', `/api/imports?type=contacts&upload=${target.upload}`);
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/imports/${target.upload}`);
    expect(ImportJob.parse(started.json)).toMatchObject({ id: target.upload, status: 'running', upload: target.upload });
    // Started again (a retried request): the same job, not a second import.
    const again = await user.request('POST', `/api/imports?type=contacts&upload=${target.upload}`);
    expect(again.status, again.text).toBe(200);
    expect(again.json.id).toBe(target.upload);

    const job = await finished(user, target.upload);
    expect(job).toMatchObject({ status: 'done', rowsRead: file.rows, ok: file.ok, bad: file.bad, duplicates: file.duplicates, resumeAt: file.rows + 1, ignoredColumns: ['Notes'] });
    expect(job.errors[0]).toMatchObject({ line: 98, imported: false, reason: 'Name: is required' });
    // Three stretches of the imports function, each a task that succeeded.
    expect((await executionEvents(job.id)).filter((type) => type === 'TaskSucceeded')).toHaveLength(3);
    expect(await countOf(user, 'contacts')).toEqual({ total: file.ok, distinctEmails: file.ok });

    // Another tenant cannot start the import of this upload: the id names nothing in its bucket space.
    const foreign = await other.request('POST', `/api/imports?type=contacts&upload=${target.upload}`);
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.issues).toContainEqual({ path: 'query.upload', message: expect.stringMatching(/no uploaded file/), value: target.upload });
    expect((await other.get(`/api/imports/${target.upload}`)).status).toBe(404);
  });

  it('refuses a presigned PUT that was tampered with, and a mapping that does not fit, before any job', async () => {
    const file = contactsFile(10, 't');
    const first = await upload(user, file.csv);
    const second = await upload(user, file.csv);
    // The first URL pointed at the second upload's object: the signature no longer matches.
    const tampered = await fetch(first.url.replace(first.upload, second.upload), { method: 'PUT', headers: first.headers, body: file.csv });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    // Without the signed content type, S3 refuses too.
    expect((await fetch(first.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: file.csv })).status).toBe(403);
    const missing = await user.request('POST', `/api/imports?type=contacts&upload=${second.upload}`);
    expect(missing.status).toBe(400);
    expect(missing.json.error.issues[0].path).toBe('query.upload');

    expect((await fetch(first.url, { method: 'PUT', headers: first.headers, body: file.csv })).status).toBe(200);
    const mapping = encodeURIComponent(JSON.stringify({ Email: 'nonsense' }));
    const refused = await user.request('POST', `/api/imports?type=contacts&upload=${first.upload}&mapping=${mapping}`);
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toContainEqual({ path: 'mapping.Email', message: 'is not a known field', value: 'nonsense' });
    expect((await user.get(`/api/imports/${first.upload}`)).status).toBe(404);

    const badUpload = await user.post('/api/imports/uploads', { type: 'widgets', fileName: 'x.csv', size: 0 });
    expect(badUpload.status).toBe(400);
    expect(badUpload.json.error.issues.map((issue: { path: string }) => issue.path)).toContain('size');
  });

  it('a dry run of an upload counts without writing, as a job of its own', async () => {
    const file = contactsFile(100, 'd');
    const before = await countOf(user, 'contacts');
    const target = await upload(user, file.csv);
    expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body: file.csv })).status).toBe(200);
    const started = await user.request('POST', `/api/imports?type=contacts&upload=${target.upload}&dryRun=true`);
    expect(started.status, started.text).toBe(202);
    expect(started.json.id).not.toBe(target.upload);
    const job = await finished(user, started.json.id);
    expect(job).toMatchObject({ status: 'done', dryRun: true, ok: file.ok, bad: file.bad, duplicates: file.duplicates });
    expect(await countOf(user, 'contacts')).toEqual(before);
  });
});

describe('import of a body of more rows than are imported before the answer', () => {
  const companies = (rows: number, prefix: string) => ['Name', ...Array.from({ length: rows }, (_, i) => `${prefix} Company ${i + 1}`)].join('\r\n') + '\r\n';
  const post = (client: ApiClient, query: string, csv: string) => client.request('POST', `/api/imports?${query}`, csv, { 'content-type': 'text/csv' });

  it('checks a body of INLINE_ROWS rows before the answer, as ever', async () => {
    const bodies = await cloud.userOf('bodies-inline');
    // A dry run, which reads as an import does and writes nothing: the same decision, at less cost.
    const answer = await post(bodies, 'type=companies&dryRun=true', companies(INLINE_ROWS, 'Inline'));
    expect(answer.status, answer.text).toBe(200);
    expect(ImportJob.parse(answer.json)).toMatchObject({ status: 'done', dryRun: true, rowsRead: INLINE_ROWS, ok: INLINE_ROWS });
  });

  it('runs a body of one row more after a 202, as an uploaded file; the same request twice at once starts one job, which imports every row once', async () => {
    const bodies = await cloud.userOf('bodies-after');
    const csv = companies(INLINE_ROWS + 1, 'After');
    const answers = await Promise.all([post(bodies, 'type=companies', csv), post(bodies, 'type=companies', csv)]);
    // The first to create the job starts it (202); the other is answered that job as it is (200).
    expect(answers.map((answer) => answer.status).sort(), answers.map((answer) => answer.text.slice(0, 300)).join('\n')).toEqual([200, 202]);
    const [id, otherId] = answers.map((answer) => ImportJob.parse(answer.json).id);
    expect(otherId).toBe(id);
    for (const answer of answers) expect(answer.headers.get('location')).toBe(`/api/imports/${id}`);
    expect(ImportJob.parse(answers.find((answer) => answer.status === 202)!.json)).toMatchObject({ status: 'running', upload: id });

    const job = await finished(bodies, id);
    expect(job).toMatchObject({ status: 'done', rowsRead: INLINE_ROWS + 1, ok: INLINE_ROWS + 1, duplicates: 0 });
    // One execution of the workflow, and every row a company once.
    expect(await executionEvents(id)).toContain('ExecutionSucceeded');
    expect(await countOf(bodies, 'companies')).toMatchObject({ total: INLINE_ROWS + 1 });
  });

  it('refuses a mapping that does not fit a body of many rows as it does a small one: 400 with the field, no job', async () => {
    const bodies = await cloud.userOf('bodies-refused');
    const mapping = encodeURIComponent(JSON.stringify({ Name: 'nonsense' }));
    const small = await post(bodies, `type=companies&mapping=${mapping}`, companies(2, 'Small'));
    const large = await post(bodies, `type=companies&mapping=${mapping}`, companies(INLINE_ROWS + 1, 'Large'));
    expect(small.status, small.text).toBe(400);
    expect(large.status, large.text).toBe(400);
    expect(large.json.error.issues).toEqual(small.json.error.issues);
    expect(large.json.error.issues).toContainEqual({ path: 'mapping.Name', message: 'is not a known field', value: 'nonsense' });
    expect(await countOf(bodies, 'companies')).toMatchObject({ total: 0 });
  });
});

describe('an import cut short and resumed', () => {
  it('is marked failed when its file is gone: the workflow does not retry that, and ends the job', async () => {
    const { createJob, newJob } = await import('../../functions/imports/import-job.ts');
    const { startWorkflow } = await import('../../functions/workflows/start-workflow.ts');
    const me = (await user.get('/api/me')).json;
    // A job whose upload expired (the bucket's lifecycle rule) after its import was queued.
    const job = newJob({ tenant: me.tenant, sub: me.sub }, 'contact', false, { id: '01JG0NE0000000000000000000', upload: '01JG0NE0000000000000000000' });
    expect(await createJob(me.tenant, job)).toBe(true);
    expect(await startWorkflow('csv-import', job.id, { tenant: me.tenant, job: job.id })).toBe(true);
    const failed = await finished(user, job.id, 30_000);
    expect(failed).toMatchObject({ status: 'failed', rowsRead: 0, failure: expect.stringMatching(/^ObjectNotFoundError: no file imports\/uploads\/01JG0NE/) });
    // One stretch failed and was not retried; the task that marks the job failed succeeded.
    const events = await executionEvents(job.id, 'FAILED');
    expect(events.filter((type) => type === 'TaskFailed')).toHaveLength(1);
    expect(events.filter((type) => type === 'TaskSucceeded')).toHaveLength(1);
  });

  it('goes on from its checkpoint; a checkpoint lost in a crash re-reads rows already written and creates none twice', async () => {
    const { runImport } = await import('../../functions/imports/run-import.ts');
    const { newJob, readJob, saveJob } = await import('../../functions/imports/import-job.ts');
    const { textSource } = await import('../../functions/imports/import-source.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const type = recordTypeNamed('lead')!;
    const me = (await other.get('/api/me')).json;
    const actor = (await import('../../functions/access/actor.ts')).systemActor(me.tenant, me.sub);
    // Batches of 100 rows (the import's own are 1,000): a checkpoint every 100 lines.
    const batchRows = 100;
    const lines = ['Name,Email'];
    for (let i = 1; i <= 250; i++) lines.push(`Lead ${i},lead${i}@example.com`);
    const source = textSource(lines.join('\n'));

    // A stretch that pauses after its first batch: the job stays running at line 101.
    const job = newJob(actor, type.name, false, { id: '01JRESVMED00000000000000AA' });
    const paused = await runImport(actor, source, { type, job, batchRows, shouldPause: () => true });
    expect(paused).toMatchObject({ status: 'running', rowsRead: 100, ok: 100, resumeAt: 101 });
    expect(await readJob(actor.tenant, job.id)).toMatchObject({ status: 'running', resumeAt: 101 });

    // A crash after the second batch was written but before its checkpoint was saved.
    const second = await runImport(actor, source, { type, job: await readJob(actor.tenant, job.id), batchRows, shouldPause: () => true });
    expect(second).toMatchObject({ ok: 200, resumeAt: 201 });
    await saveJob(actor.tenant, { ...second, rowsRead: 100, ok: 100, resumeAt: 101 });

    // A stream that breaks mid-file (the connection to S3 lost) leaves the checkpoint in place.
    const breaking = { open: () => Readable.from((async function* () { yield lines.slice(0, 220).join('\n'); throw new Error('socket hang up'); })()) };
    await expect(runImport(actor, breaking, { type, job: await readJob(actor.tenant, job.id), batchRows })).rejects.toThrow('socket hang up');
    const afterCrash = await readJob(actor.tenant, job.id);
    expect(afterCrash.status).toBe('running');
    expect(afterCrash.resumeAt).toBeGreaterThanOrEqual(101);

    const done = await runImport(actor, source, { type, job: afterCrash, batchRows });
    expect(done).toMatchObject({ status: 'done', rowsRead: 250, bad: 0, resumeAt: 251 });
    // Rows written before the lost checkpoint count as found again, never as new records.
    expect(done.ok + done.duplicates).toBe(250);
    expect(done.duplicateRows.every((row) => row.match === 'the same row, imported before')).toBe(true);
    expect(await countOf(other, 'leads')).toEqual({ total: 250, distinctEmails: 250 });
  });
});
