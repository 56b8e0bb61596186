/**
 * An import stretch that crashes after writing a batch but before saving its checkpoint is
 * resumed from the checkpoint before: the rows of that batch are found again by their derived
 * ids. They are this job's own (their creation's history names the job), so they count as ok,
 * not as duplicates; a row the job itself found to be a duplicate stays one, and another job
 * importing the same file still finds every row imported before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('import-resume', ['administrator']);
});
afterAll(() => cloud?.stop());

async function leadCount(): Promise<number> {
  let total = 0;
  let cursor = '';
  do {
    const page = (await user.get(`/api/leads?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    total += page.items.length;
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return total;
}

describe('a resumed import', () => {
  it('counts the rows its crashed stretch wrote as ok, and a duplicate as a duplicate', async () => {
    const { runImport } = await import('../../functions/imports/run-import.ts');
    const { newJob, readJob, saveJob } = await import('../../functions/imports/import-job.ts');
    const { textSource } = await import('../../functions/imports/import-source.ts');
    const { recordTypeNamed } = await import('../../functions/records/record-types.ts');
    const type = recordTypeNamed('lead')!;
    const me = (await user.get('/api/me')).json;
    const actor = (await import('../../functions/access/actor.ts')).systemActor(me.tenant, me.sub);
    // 120 rows (one batch); line 81 repeats line 41's e-mail: a duplicate within the file.
    const lines = ['Name,Email'];
    for (let i = 1; i <= 120; i++) lines.push(`Lead ${i},lead${i === 80 ? 40 : i}@example.com`);
    const source = textSource(lines.join('\n'));

    // A stretch writes the batch, and then crashes before its checkpoint is saved: the job is as it started.
    const job = newJob(actor, type.name, false, { id: '01JRESVMED0K00000000000000' });
    const started = { ...job, status: 'running' as const };
    await saveJob(actor.tenant, started);
    const crashed = await runImport(actor, source, { type, job: await readJob(actor.tenant, job.id) });
    expect(crashed).toMatchObject({ status: 'done', ok: 119, duplicates: 1 });
    await saveJob(actor.tenant, started);

    const resumed = await runImport(actor, source, { type, job: await readJob(actor.tenant, job.id) });
    expect(resumed).toMatchObject({ status: 'done', rowsRead: 120, ok: 119, duplicates: 1, bad: 0, resumeAt: 121 });
    expect(resumed.duplicateRows).toEqual([{ line: 81, id: expect.any(String), match: expect.stringContaining('lead40@example.com') }]);
    expect(await leadCount()).toBe(119);

    // Another job of the same file created none of them: every row was imported before.
    const again = await runImport(actor, source, { type, job: newJob(actor, type.name, false, { id: '01JRESVMED0K00000000000001' }) });
    expect(again).toMatchObject({ status: 'done', ok: 0, duplicates: 120 });
    expect(await leadCount()).toBe(119);
  });
});
