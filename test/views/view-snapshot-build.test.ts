/**
 * A type too large to read inside a request has its stored snapshot built in the background
 * (functions/views/snapshot-build.ts, steps run by the stream consumer): the first read answers
 * 202 with the build's progress, and once it is done the rows are exactly the type's records,
 * changes made during the build included. Steps run twice (a redelivered event, a racing
 * retry) and a build that stopped leave no wrong or partial snapshot in use.
 *
 * The limits are made small (a request reads at most 8 records, a step 6), so that a type of
 * a dozen or two records takes the background path in several steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { View, ViewRows } from '../../functions/contracts/views.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

process.env.SNAPSHOT_INLINE_RECORDS = '8';
process.env.SNAPSHOT_BUILD_STEP_RECORDS = '6';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(async () => {
  await cloud?.stop();
  delete process.env.SNAPSHOT_INLINE_RECORDS;
  delete process.env.SNAPSHOT_BUILD_STEP_RECORDS;
});

/** `count` contacts named `prefix 000`, ..., created through the API, 8 at a time. */
async function createContacts(client: ApiClient, prefix: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await client.post('/api/contacts', { name: `${prefix} ${String(i).padStart(3, '0')}` });
      expect(response.status, response.text).toBe(201);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function saveView(client: ApiClient): Promise<View> {
  const response = await client.post('/api/views/contact', { name: 'Everyone', columns: ['name'], sort: [{ field: 'name' }] });
  expect(response.status, response.text).toBe(201);
  return View.parse(response.json);
}

/** The view's rows once they are ready, asking again (as the grid does) while the type is being prepared; every 202 seen. */
async function readyRows(client: ApiClient, viewId: string): Promise<{ rows: unknown[][]; preparing: ViewRows[] }> {
  const preparing: ViewRows[] = [];
  let rows: unknown[][] | undefined;
  await expect
    .poll(
      async () => {
        const response = await client.get(`/api/views/contact/${viewId}/rows`);
        expect([200, 202], response.text).toContain(response.status);
        const body = ViewRows.parse(response.json);
        if (response.status === 202) preparing.push(body);
        else rows = body.rows;
        return response.status;
      },
      { timeout: 40_000, interval: 200 },
    )
    .toBe(200);
  return { rows: rows!, preparing };
}

/** The tenant's live contacts as the plain listing (gsi1, no snapshot) gives them: [id, version, name], by name. */
async function listing(client: ApiClient): Promise<unknown[][]> {
  const found: unknown[][] = [];
  let cursor = '';
  do {
    const response = await client.get(`/api/contacts?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status, response.text).toBe(200);
    for (const record of response.json.items) found.push([record.id, record.version, record.name]);
    cursor = response.json.nextCursor ?? '';
  } while (cursor);
  return found.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
}

describe('a type too large to read in a request', () => {
  it('is prepared in the background: 202 with progress, then the exact rows, changes during the build included', async () => {
    const alice = await cloud.userOf('build-first', ['administrator']);
    await createContacts(alice, 'Contact', 20);
    const view = await saveView(alice);

    const first = await alice.get(`/api/views/contact/${view.id}/rows`);
    expect(first.status, first.text).toBe(202);
    const building = ViewRows.parse(first.json);
    expect(building).toMatchObject({ columns: ['name'], rows: [], total: 0, offset: 0 });
    // This read found the type too large and asked for the build: nothing is read yet.
    expect(building.building).toEqual({ records: 0, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    // Changes while it builds: a creation, a change and a trashing are all in the first rows shown.
    const listed = await listing(alice);
    const [changedId, changedVersion] = listed[0] as [string, number];
    const [trashedId, trashedVersion] = listed[1] as [string, number];
    expect((await alice.patch(`/api/contacts/${changedId}`, { version: changedVersion, fields: { name: 'Zz changed' } })).status).toBe(200);
    expect((await alice.delete(`/api/contacts/${trashedId}?version=${trashedVersion}`)).status).toBe(204);
    expect((await alice.post('/api/contacts', { name: 'Aa created' })).status).toBe(201);

    const { rows, preparing } = await readyRows(alice, view.id);
    expect(rows).toEqual(await listing(alice));
    expect(rows).toHaveLength(20);
    expect(rows.map((row) => row[0])).not.toContain(trashedId);
    expect(rows.at(-1)).toEqual([changedId, changedVersion + 1, 'Zz changed']);
    // Progress only grows while it builds.
    const progress = [building, ...preparing].map((body) => body.building!.records);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    // The set was written in steps (19 to 21 records, 6 a step) and the build ended with the head.
    const { readSnapshotBuild } = await import('../../functions/views/snapshot-build.ts');
    const build = await readSnapshotBuild('build-first', 'CONTACT');
    expect(build).toMatchObject({ state: 'done', step: 4 });
    expect(build!.records).toBeGreaterThanOrEqual(19);
    const { readStoredSnapshot } = await import('../../functions/views/stored-snapshot.ts');
    const stored = await readStoredSnapshot('build-first', 'CONTACT');
    expect(stored!.since).toBe(build!.since);
    expect(new Set(stored!.records.map((record) => record.id)).size).toBe(stored!.records.length);

    // Asking again, or by id, is answered from the snapshot now.
    expect((await alice.get(`/api/views/contact/${view.id}/rows?ids=${changedId}`)).status).toBe(200);
  });

  it('answers rows by id with 503 Preparing until it is prepared, then with the rows', async () => {
    const bea = await cloud.userOf('build-ids', ['administrator']);
    await createContacts(bea, 'Contact', 9);
    const view = await saveView(bea);
    const [first] = await listing(bea);
    // The first read of the type is by id: it finds the type too large and asks for the build.
    const byIds = await bea.get(`/api/views/contact/${view.id}/rows?ids=${first[0]}`);
    expect(byIds.status, byIds.text).toBe(503);
    expect(byIds.headers.get('retry-after')).toBe('5');
    expect(ApiErrorBody.parse(byIds.json).error.code).toBe('Preparing');

    await readyRows(bea, view.id);
    const ready = await bea.get(`/api/views/contact/${view.id}/rows?ids=${first[0]}`);
    expect(ready.status, ready.text).toBe(200);
    expect(ready.json).toMatchObject({ rows: [first], positions: [0], total: 9, removed: [] });
  });
});

describe('a build is crash-safe and idempotent', () => {
  it('steps run twice, racing each other and writes, leave one whole set: no record twice, none missing', async () => {
    const carol = await cloud.userOf('build-race', ['administrator']);
    await createContacts(carol, 'Racer', 16);
    const view = await saveView(carol);
    const { continueSnapshotBuild, recordSnapshotSource, requestSnapshotBuild, readSnapshotBuild } = await import('../../functions/views/snapshot-build.ts');
    const build = await requestSnapshotBuild('build-race', 'CONTACT', 30_000);
    // The stream consumer runs each step; this process runs the first one twice more, at the
    // same time, while records are created among those being read.
    const contacts = recordSnapshotSource('CONTACT');
    await Promise.all([continueSnapshotBuild(build, contacts), continueSnapshotBuild(build, contacts), createContacts(carol, 'Late', 4)]);
    await expect.poll(async () => (await readSnapshotBuild('build-race', 'CONTACT'))?.state, { timeout: 30_000 }).toBe('done');

    const { readStoredSnapshot } = await import('../../functions/views/stored-snapshot.ts');
    const stored = (await readStoredSnapshot('build-race', 'CONTACT'))!;
    const ids = stored.records.map((record) => record.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every record that existed before the build started is in the set itself (not left to the catch-up).
    const racers = (await listing(carol)).filter((row) => String(row[2]).startsWith('Racer'));
    expect(racers.map((row) => row[0]).filter((id) => !ids.includes(id as string))).toEqual([]);
    const { rows } = await readyRows(carol, view.id);
    expect(rows).toEqual(await listing(carol));
    expect(rows).toHaveLength(20);
  });

  it('a redelivered stream event of a finished build changes nothing', async () => {
    const dave = await cloud.userOf('build-redelivered', ['administrator']);
    await createContacts(dave, 'Again', 12);
    const view = await saveView(dave);
    const { readSnapshotBuild } = await import('../../functions/views/snapshot-build.ts');
    const { readStoredSnapshot } = await import('../../functions/views/stored-snapshot.ts');
    const { rows } = await readyRows(dave, view.id);
    const done = (await readSnapshotBuild('build-redelivered', 'CONTACT'))!;
    const before = await readStoredSnapshot('build-redelivered', 'CONTACT');

    // The stream delivers the build's first step again (as after a failure further on in its batch).
    const { handler } = await import('../../functions/stream/handler.ts');
    const firstStep = { ...done, state: 'running', step: 0, after: '', chunkKeys: [], records: 0, updatedAt: new Date().toISOString() };
    const event = {
      Records: [
        {
          eventName: 'INSERT',
          dynamodb: {
            Keys: marshall({ pk: 'T#build-redelivered#SNAPSHOT#CONTACT', sk: 'BUILD' }),
            NewImage: marshall({ pk: 'T#build-redelivered#SNAPSHOT#CONTACT', sk: 'BUILD', ...firstStep }),
            SequenceNumber: '1',
          },
        },
      ],
    } as unknown as DynamoDBStreamEvent;
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await readSnapshotBuild('build-redelivered', 'CONTACT')).toEqual(done);
    expect(await readStoredSnapshot('build-redelivered', 'CONTACT')).toEqual(before);
    expect((await readyRows(dave, view.id)).rows).toEqual(rows);
  });

  it('a build that stopped (its steps gave up) is started afresh by the next read, not resumed', async () => {
    const erin = await cloud.userOf('build-stale', ['administrator']);
    await createContacts(erin, 'Stale', 12);
    const view = await saveView(erin);
    // A build left running 10 minutes ago at its second step, its part of the set half written.
    const { documentClient, tableName } = await import('../../functions/store/table.ts');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const long = new Date(Date.now() - 10 * 60_000).toISOString();
    const stale = { set: '01STALESTALESTALESTALESTAL', state: 'running', step: 1, after: 'nothing', chunkKeys: ['CHUNK#gone'], records: 6, since: long, startedAt: long, updatedAt: long };
    await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: 'T#build-stale#SNAPSHOT#CONTACT', sk: 'BUILD', tenant: 'build-stale', type: 'CONTACT', ...stale } }));

    const first = await erin.get(`/api/views/contact/${view.id}/rows`);
    expect(first.status, first.text).toBe(202);
    expect(Date.parse(ViewRows.parse(first.json).building!.startedAt)).toBeGreaterThan(Date.parse(long));
    const { rows } = await readyRows(erin, view.id);
    expect(rows).toEqual(await listing(erin));
    expect(rows).toHaveLength(12);
  });
});

describe('an import of many records', () => {
  it('starts the build when it ends, so the first read finds it done or under way', async () => {
    const frank = await cloud.userOf('build-import', ['administrator']);
    const csv = ['Name,Email', ...Array.from({ length: 12 }, (_, i) => `Imported ${String(i).padStart(3, '0')},i${i}@example.com`)].join('\n');
    const before = Date.now();
    const imported = await frank.request('POST', '/api/imports?type=contacts', csv, { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).toBeLessThan(300);
    const { readSnapshotBuild } = await import('../../functions/views/snapshot-build.ts');
    await expect.poll(async () => (await readSnapshotBuild('build-import', 'CONTACT'))?.state, { timeout: 30_000 }).toBe('done');
    const build = (await readSnapshotBuild('build-import', 'CONTACT'))!;
    expect(Date.parse(build.startedAt)).toBeGreaterThanOrEqual(before);
    const view = await saveView(frank);
    const response = await frank.get(`/api/views/contact/${view.id}/rows`);
    expect(response.status, response.text).toBe(200);
    expect(ViewRows.parse(response.json).rows).toEqual(await listing(frank));
    expect(ViewRows.parse(response.json).total).toBe(12);
  });
});
