import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, deliveredUpToMarker, recordingConsumer, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** Failing handlers are logged by the poller; keep the test output for real failures. */
const quietErrors = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);

async function fresh(dir?: string) {
  const temp = dir ? undefined : tempDir();
  const server = await startTestDynamo(dir ?? temp!.dir);
  let closed = false;
  const close = async () => {
    if (!closed) await server.close();
    closed = true;
  };
  cleanups.push(close);
  if (temp) cleanups.unshift(temp.remove);
  return { server, dir: dir ?? temp!.dir, doc: clientsFor(server.endpoint).doc, close };
}

const key = (pk: string, sk = 'x') => ({ pk, sk });
const pkOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.pk?.S;
const nOf = (image: any) => (image?.n?.N === undefined ? undefined : Number(image.n.N));

describe('change stream', () => {
  it('delivers INSERT, MODIFY and REMOVE with keys, both images and stream metadata', async () => {
    const { server, doc } = await fresh();
    const seen = recordingConsumer();
    server.attachStreamConsumer(seen.consumer);
    await doc.send(new PutCommand({ TableName, Item: { ...key('s1'), n: 1 } }));
    await doc.send(new UpdateCommand({ TableName, Key: key('s1'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } }));
    await doc.send(new DeleteCommand({ TableName, Key: key('s1') }));
    await expect.poll(() => seen.records().length).toBeGreaterThanOrEqual(3);
    const records = seen.records();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/sheetflow\/stream\//),
      dynamodb: {
        Keys: { pk: { S: 's1' }, sk: { S: 'x' } },
        NewImage: { pk: { S: 's1' }, sk: { S: 'x' }, n: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        SizeBytes: expect.any(Number),
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(nOf(modify.dynamodb?.OldImage)).toBe(1);
    expect(nOf(modify.dynamodb?.NewImage)).toBe(2);
    expect(nOf(remove.dynamodb?.OldImage)).toBe(2);
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    const sequences = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(3);
  });

  it('emits records from BatchWriteItem and TransactWriteItems, and none for a write that changes nothing', async () => {
    const { server, doc } = await fresh();
    const seen = recordingConsumer();
    server.attachStreamConsumer(seen.consumer);
    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: key('b1') } }, { PutRequest: { Item: key('b2') } }] } }));
    await doc.send(new PutCommand({ TableName, Item: key('b1') })); // same item again: no change
    await doc.send(new DeleteCommand({ TableName, Key: key('never-existed') }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Delete: { TableName, Key: key('b1') } }, { Put: { TableName, Item: { ...key('b3'), n: 3 } } }],
      }),
    );
    await deliveredUpToMarker(doc, seen.records, 'marker');
    expect(seen.records().map((r) => `${r.eventName} ${pkOf(r)}`)).toEqual(['INSERT b1', 'INSERT b2', 'REMOVE b1', 'INSERT b3', 'INSERT marker']);
  });

  it('keeps each item’s records in order under concurrent writes', async () => {
    const { server, doc } = await fresh();
    const seen = recordingConsumer();
    server.attachStreamConsumer({ ...seen.consumer, batchSize: 7 });
    const items = ['o1', 'o2', 'o3', 'o4'];
    await Promise.all(
      items.map(async (pk) => {
        for (let i = 1; i <= 25; i++) {
          await doc.send(new UpdateCommand({ TableName, Key: key(pk), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }));
        }
      }),
    );
    await expect.poll(() => seen.records().length).toBeGreaterThanOrEqual(100);
    expect(seen.batches.every((b) => b.length <= 7)).toBe(true);
    for (const pk of items) {
      const values = seen.records().filter((r) => pkOf(r) === pk).map((r) => nOf(r.dynamodb?.NewImage));
      expect(values).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    }
  });

  it('retries a batch while the handler throws, losing nothing', async () => {
    quietErrors();
    const { server, doc } = await fresh();
    const seen = recordingConsumer((_, call) => {
      if (call <= 2) throw new Error('handler down');
    });
    server.attachStreamConsumer(seen.consumer);
    await doc.send(new PutCommand({ TableName, Item: key('r1') }));
    await doc.send(new PutCommand({ TableName, Item: key('r2') }));
    await expect.poll(() => seen.batches.length >= 3 && seen.records().some((r) => pkOf(r) === 'r2')).toBe(true);
    const firstR1 = seen.batches[0].map(pkOf);
    expect(firstR1[0]).toBe('r1');
    // every failed batch was redelivered from its first record, and the last delivery succeeded
    const lastBatch = seen.batches[seen.batches.length - 1].map(pkOf);
    const delivered = new Set(seen.batches.slice(2).flat().map(pkOf));
    expect(delivered).toEqual(new Set(['r1', 'r2']));
    expect(lastBatch).toContain('r2');
  });

  it('resumes at the first failed record reported in batchItemFailures', async () => {
    const { server, doc } = await fresh();
    const seen = recordingConsumer((records, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: records[2].dynamodb!.SequenceNumber! }, { itemIdentifier: records[3].dynamodb!.SequenceNumber! }] } : { batchItemFailures: [] },
    );
    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: ['p0', 'p1', 'p2', 'p3', 'p4'].map((pk) => ({ PutRequest: { Item: key(pk) } })) } }));
    server.attachStreamConsumer(seen.consumer);
    await expect.poll(() => seen.batches.length).toBeGreaterThanOrEqual(2);
    expect(seen.batches[0].map(pkOf)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(seen.batches[1].map(pkOf)).toEqual(['p2', 'p3', 'p4']);
    // Nothing of p0..p4 is delivered a third time: the next batch holds only what came after.
    await deliveredUpToMarker(doc, seen.records, 'marker');
    expect(seen.batches.map((batch) => batch.map(pkOf))).toEqual([['p0', 'p1', 'p2', 'p3', 'p4'], ['p2', 'p3', 'p4'], ['marker']]);
  });

  it('keeps undelivered records across a restart and resumes after the last processed one', async () => {
    const first = await fresh();
    const before = recordingConsumer((records) =>
      // processes the first two records, then fails from the third on, forever
      ({ batchItemFailures: records.filter((r) => ['d2', 'd3'].includes(pkOf(r)!)).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) }),
    );
    first.server.attachStreamConsumer(before.consumer);
    for (const pk of ['d0', 'd1', 'd2', 'd3']) await first.doc.send(new PutCommand({ TableName, Item: key(pk) }));
    await expect.poll(() => before.records().map(pkOf)).toContain('d3');
    await first.close();

    const second = await fresh(first.dir);
    await second.doc.send(new PutCommand({ TableName, Item: key('d4') }));
    const after = recordingConsumer();
    second.server.attachStreamConsumer(after.consumer);
    await deliveredUpToMarker(second.doc, after.records, 'marker');
    expect(after.records().map(pkOf)).toEqual(['d2', 'd3', 'd4', 'marker']);
    const seqBefore = before.records().map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    const seqAfter = after.records().map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(seqAfter[2] > seqBefore.reduce((a, b) => (a > b ? a : b))).toBe(true);
  });

  it('sets a record aside after maxRetries and goes on with the rest', async () => {
    const { server, doc } = await fresh();
    const seen = recordingConsumer((records) => {
      if (records.some((r) => pkOf(r) === 'poison')) throw new Error('cannot process poison');
    });
    const errors = quietErrors();
    server.attachStreamConsumer({ ...seen.consumer, batchSize: 1, maxRetries: 2 });
    await doc.send(new PutCommand({ TableName, Item: key('poison') }));
    await doc.send(new PutCommand({ TableName, Item: key('after-poison') }));
    await expect.poll(() => seen.records().map(pkOf)).toContain('after-poison');
    expect(seen.batches.filter((b) => pkOf(b[0]) === 'poison')).toHaveLength(3);
    expect(errors.mock.calls.some((args) => String(args[0]).includes('dead-letter'))).toBe(true);
  });

  it('counts a handler that outlives its timeout as failed and redelivers the batch', async () => {
    quietErrors();
    const { server, doc } = await fresh();
    const seen = recordingConsumer((_, call) => (call === 1 ? new Promise(() => undefined) : undefined));
    server.attachStreamConsumer({ ...seen.consumer, timeoutSeconds: 0.2 });
    await doc.send(new PutCommand({ TableName, Item: key('slow') }));
    await expect.poll(() => seen.batches.length).toBeGreaterThanOrEqual(2);
    expect(seen.batches.map((b) => b.map(pkOf))).toEqual([['slow'], ['slow']]);
  });
});
