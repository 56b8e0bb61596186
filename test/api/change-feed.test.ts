/**
 * A change of a record reaches the tenant's change feed: the table's stream delivers it to the
 * stream function, which writes the entry grids poll through GET /api/changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { ChangesResponse, type ChangeEntry } from '../../functions/contracts/record.ts';
import { PIPELINE_FEED_TYPE } from '../../functions/contracts/deal-stages.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { RENEWALS } from '../support/pipelines.ts';

let cloud: TestCloud;
let alice: ApiClient;
let bob: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  alice = await cloud.userOf('feed-a');
  bob = await cloud.userOf('feed-b');
});
afterAll(() => cloud?.stop());

async function changes(client: ApiClient, after: string): Promise<{ items: ChangeEntry[]; cursor: string }> {
  const response = await client.get(`/api/changes?after=${encodeURIComponent(after)}`);
  expect(response.status).toBe(200);
  return ChangesResponse.parse(response.json);
}

/** Polls the feed until `count` entries after `after` are there (the stream is asynchronous); fails if they never are. */
async function waitForChanges(client: ApiClient, after: string, count: number): Promise<ChangeEntry[]> {
  let items: ChangeEntry[] = [];
  await expect.poll(async () => (items = (await changes(client, after)).items).length, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(count);
  return items;
}

describe('the change feed', () => {
  it('shows a tenant each change of its records, in order, and nothing of other tenants', async () => {
    const start = await alice.get('/api/changes');
    expect(start.json.items).toEqual([]);
    const cursor = start.json.cursor as string;

    const { json: company } = await alice.post('/api/companies', { name: 'Watched' });
    await alice.patch(`/api/companies/${company.id}`, { version: 1, fields: { name: 'Watched, renamed' } });
    await alice.delete(`/api/companies/${company.id}?version=2`);

    const entries = await waitForChanges(alice, cursor, 3);
    expect(entries.map(({ id, change, version, type }) => ({ id, change, version, type }))).toEqual([
      { id: company.id, change: 'created', version: 1, type: 'COMPANY' },
      { id: company.id, change: 'updated', version: 2, type: 'COMPANY' },
      { id: company.id, change: 'deleted', version: 2, type: 'COMPANY' },
    ]);
    // Polling from the last cursor returns nothing new.
    expect((await changes(alice, entries[2].cursor)).items).toEqual([]);
    // History items and the feed's own writes are not changes of records.
    expect(entries.every((e) => e.type === 'COMPANY')).toBe(true);

    const bobs = await changes(bob, '0');
    expect(bobs.items.map((e) => e.id)).not.toContain(company.id);
  });

  it('tells everyone in the tenant, and no one else, that an administrator changed the pipelines', async () => {
    const rep = await cloud.userOf('feed-a', ['sales-representative']);
    const { cursor } = (await rep.get('/api/changes')).json as { cursor: string };
    const { cursor: othersCursor } = (await bob.get('/api/changes')).json as { cursor: string };
    const made = await alice.post('/api/pipelines', RENEWALS);
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const changed = await alice.put('/api/pipelines/renewals', { version: 1, pipeline: { ...RENEWALS, label: 'Renewals, yearly' } });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);

    // The tenant's first write stores its default pipeline beside the new one: an entry each, then the change.
    const entries = (await waitForChanges(rep, cursor, 3)).filter((entry) => entry.type === PIPELINE_FEED_TYPE);
    const seen = entries.map(({ id, change, version }) => ({ id, change, version }));
    expect(seen).toHaveLength(3);
    // The two of one transaction in either order (the stream orders changes of one item only).
    expect(seen.slice(0, 2)).toEqual(expect.arrayContaining([{ id: 'default', change: 'created', version: 0 }, { id: 'renewals', change: 'created', version: 1 }]));
    expect(seen[2]).toEqual({ id: 'renewals', change: 'updated', version: 2 });
    expect((await changes(bob, othersCursor)).items.filter((entry) => entry.type === PIPELINE_FEED_TYPE)).toEqual([]);
  });

  it('says when a page was full, so a poller behind a burst of changes asks again at once', async () => {
    const { cursor } = (await alice.get('/api/changes')).json as { cursor: string };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await alice.post('/api/companies', { name: `Burst ${i}` })).json.id as string);
    await waitForChanges(alice, cursor, 5);
    const seen: string[] = [];
    const pages: boolean[] = [];
    let after = cursor;
    for (let more = true; more; ) {
      const response = await alice.get(`/api/changes?after=${encodeURIComponent(after)}&limit=2`);
      const page = ChangesResponse.parse(response.json);
      seen.push(...page.items.map((entry) => entry.id));
      pages.push(page.more);
      ({ cursor: after, more } = page);
    }
    expect(seen).toEqual(made);
    expect(pages.slice(0, 2)).toEqual([true, true]);
    expect(pages.at(-1)).toBe(false);
    // A page that is not full says so.
    expect(ChangesResponse.parse((await alice.get(`/api/changes?after=${encodeURIComponent(cursor)}&limit=10`)).json).more).toBe(false);
  });

  it('shows a record moved to the trash as deleted and a restored one as created', async () => {
    const { json: contact } = await alice.post('/api/contacts', { name: 'Trashed and back' });
    // The cursor once the creation is in the feed (the stream is asynchronous): taken before, the
    // creation came after it and was counted as one of the two.
    let cursor = '0';
    await expect
      .poll(async () => {
        const page = await changes(alice, '0');
        cursor = page.cursor;
        return page.items.some((entry) => entry.id === contact.id);
      }, { timeout: 15_000 })
      .toBe(true);
    await alice.delete(`/api/contacts/${contact.id}?version=1`);
    await alice.post(`/api/contacts/${contact.id}/restore`, {});
    const entries = (await waitForChanges(alice, cursor, 2)).filter((e) => e.id === contact.id);
    expect(entries.map(({ change, version, type }) => ({ change, version, type }))).toEqual([
      { change: 'deleted', version: 1, type: 'CONTACT' },
      { change: 'created', version: 3, type: 'CONTACT' },
    ]);
  });
});

describe('the stream function', () => {
  const streamRecord = (tenant: string, id: string, sequence: string): DynamoDBRecord => ({
    eventID: `event-${sequence}`,
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: { S: `T#${tenant}#COMPANY#${id}` }, sk: { S: 'RECORD' } },
      NewImage: { pk: { S: `T#${tenant}#COMPANY#${id}` }, sk: { S: 'RECORD' }, version: { N: '7' } },
      SequenceNumber: sequence,
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });

  // Imported after the cloud has set the environment, as Lambda configures a function before loading it.
  const streamHandler = async () => (await import('../../functions/stream/handler.ts')).handler;

  it('writes one entry however often a record is delivered', async () => {
    const id = ulid();
    const event: DynamoDBStreamEvent = { Records: [streamRecord('feed-a', id, '900000000000000000001')] };
    const handler = await streamHandler();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const entries = (await changes(alice, '0')).items.filter((e) => e.id === id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ change: 'updated', version: 7 });
  });

  it('leaves out the final removal of a trashed record and changes inside the trash', async () => {
    const handler = await streamHandler();
    const trashed = { deletedAt: { S: new Date().toISOString() } };
    const removal = streamRecord('feed-a', ulid(), '900000000000000000021');
    const removed = { ...removal, eventName: 'REMOVE' as const, dynamodb: { ...removal.dynamodb, NewImage: undefined, OldImage: { ...removal.dynamodb!.NewImage, ...trashed } } };
    const inside = streamRecord('feed-a', ulid(), '900000000000000000022');
    inside.dynamodb!.NewImage = { ...inside.dynamodb!.NewImage, ...trashed };
    inside.dynamodb!.OldImage = { ...inside.dynamodb!.NewImage };
    expect(await handler({ Records: [removed, inside] })).toEqual({ batchItemFailures: [] });
    const ids = (await changes(alice, '0')).items.map((e) => e.id);
    expect(ids).not.toContain(removal.dynamodb!.Keys!.pk.S!.split('#').at(-1));
    expect(ids).not.toContain(inside.dynamodb!.Keys!.pk.S!.split('#').at(-1));
  });

  it('reports the first record it could not write, so delivery resumes there', async () => {
    const handler = await streamHandler();
    // A partition key over DynamoDB's 2048-byte limit: the write of this entry must fail.
    const unwritable = streamRecord('x'.repeat(3000), ulid(), '900000000000000000011');
    const result = await handler({
      Records: [streamRecord('feed-a', ulid(), '900000000000000000010'), unwritable, streamRecord('feed-a', ulid(), '900000000000000000012')],
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '900000000000000000011' }] });
  });

  it('reports the record any consumer failed on, not only the feed', async () => {
    const handler = await streamHandler();
    // A snapshot build's step (views/snapshot-build.ts) for a tenant whose key is over DynamoDB's 2048-byte limit: reading the build must fail.
    const tenant = 'x'.repeat(3000);
    const pk = `T#${tenant}#SNAPSHOT#COMPANY`;
    const buildStep: DynamoDBRecord = {
      eventID: 'event-31',
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: pk }, sk: { S: 'BUILD' } },
        NewImage: { pk: { S: pk }, sk: { S: 'BUILD' }, tenant: { S: tenant }, type: { S: 'COMPANY' }, state: { S: 'running' }, set: { S: ulid() }, step: { N: '0' } },
        SequenceNumber: '900000000000000000031',
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    const result = await handler({ Records: [streamRecord('feed-a', ulid(), '900000000000000000030'), buildStep, streamRecord('feed-a', ulid(), '900000000000000000032')] });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '900000000000000000031' }] });
  });
});
