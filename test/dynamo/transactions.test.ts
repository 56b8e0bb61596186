import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, rejection, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

let server: DynamoServer;
let doc: ReturnType<typeof clientsFor>['doc'];
const temp = tempDir();

beforeAll(async () => {
  server = await startTestDynamo(temp.dir);
  doc = clientsFor(server.endpoint).doc;
});
afterAll(async () => {
  await server?.close();
  temp.remove();
});

const key = (pk: string, sk = 'x') => ({ pk, sk });
const get = async (pk: string) => (await doc.send(new GetCommand({ TableName, Key: key(pk) }))).Item;

const cancellation = (send: Promise<unknown>) => rejection(send, TransactionCanceledException);

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck together', async () => {
    await doc.send(new PutCommand({ TableName, Item: { ...key('t1-del'), v: 1 } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('t1-upd'), n: 1 } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('t1-chk'), status: 'open' } }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { ...key('t1-new'), v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName, Key: key('t1-upd'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
          { Delete: { TableName, Key: key('t1-del'), ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': 1 } } },
          { ConditionCheck: { TableName, Key: key('t1-chk'), ConditionExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':open': 'open' } } },
        ],
      }),
    );
    expect(await get('t1-new')).toEqual({ ...key('t1-new'), v: 1 });
    expect((await get('t1-upd'))?.n).toBe(2);
    expect(await get('t1-del')).toBeUndefined();
    expect(await get('t1-chk')).toEqual({ ...key('t1-chk'), status: 'open' });
  });

  it('cancels as a whole, with one reason per action in order and the old item when asked', async () => {
    await doc.send(new PutCommand({ TableName, Item: { ...key('t2-a'), v: 1 } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('t2-c'), v: 7 } }));
    const err = await cancellation(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...key('t2-a'), v: 2 }, ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': 1 } } },
            { Put: { TableName, Item: { ...key('t2-b'), v: 1 } } },
            {
              ConditionCheck: {
                TableName,
                Key: key('t2-c'),
                ConditionExpression: 'v = :v',
                ExpressionAttributeValues: { ':v': 1 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Delete: { TableName, Key: key('t2-missing'), ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      ),
    );
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 't2-c' }, sk: { S: 'x' }, v: { N: '7' } } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect((await get('t2-a'))?.v).toBe(1);
    expect(await get('t2-b')).toBeUndefined();
  });

  it('sends the cancellation on the wire as DynamoDB does', async () => {
    await doc.send(new PutCommand({ TableName, Item: { ...key('wire'), v: 1 } }));
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' },
      body: JSON.stringify({
        TransactItems: [
          { ConditionCheck: { TableName, Key: { pk: { S: 'wire' }, sk: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          { Put: { TableName, Item: { pk: { S: 'wire-2' }, sk: { S: 'x' } } } },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      CancellationReasons: [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'wire' }, sk: { S: 'x' }, v: { N: '1' } } },
        { Code: 'None' },
      ],
    });
  });

  it('reports an update that cannot be applied as a ValidationError reason', async () => {
    await doc.send(new PutCommand({ TableName, Item: { ...key('t3'), s: 'text' } }));
    const err = await cancellation(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: key('t3-other') } },
            { Update: { TableName, Key: key('t3'), UpdateExpression: 'SET s = s + :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(await get('t3-other')).toBeUndefined();
  });

  it('refuses more than 100 actions and two actions on one item, as DynamoDB does', async () => {
    const puts = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName, Item: key(`t4-${i}`) } }));
    await expect(doc.send(new TransactWriteCommand({ TransactItems: puts }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName, Item: key('t4-dup') } }, { Delete: { TableName, Key: key('t4-dup') } }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
    expect(await get('t4-0')).toBeUndefined();
    // exactly 100 is fine
    await doc.send(new TransactWriteCommand({ TransactItems: puts.slice(0, 100) }));
    expect(await get('t4-99')).toEqual(key('t4-99'));
  });

  it('refuses items of more than 4 MB together, counting an update by the item it leaves, and takes 4 MB', async () => {
    // Eleven items of ~380 KB (each under the 400 KB item limit) are ~4.1 MB; ten are ~3.8 MB.
    const big = (pk: string) => ({ ...key(pk), blob: 'x'.repeat(380 * 1024) });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Put: { TableName, Item: big(`t4mb-${i}`) } }));
    const refused = { name: 'ValidationException', message: 'Transaction item size has exceeded the 4 MB limit' };
    await expect(doc.send(new TransactWriteCommand({ TransactItems: eleven }))).rejects.toMatchObject(refused);
    expect(await get('t4mb-0')).toBeUndefined();
    // An update that adds a byte to a large item stored before counts the whole item.
    await doc.send(new PutCommand({ TableName, Item: big('t4mb-stored') }));
    const tenAndAnUpdate = [
      ...eleven.slice(0, 10),
      { Update: { TableName, Key: key('t4mb-stored'), UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': 1 } } },
    ];
    await expect(doc.send(new TransactWriteCommand({ TransactItems: tenAndAnUpdate }))).rejects.toMatchObject(refused);
    expect((await get('t4mb-stored'))?.n).toBeUndefined();
    // Over the limit is refused as such even when a condition fails too.
    const withFailingCheck = [...eleven, { ConditionCheck: { TableName, Key: key('t4mb-none'), ConditionExpression: 'attribute_exists(pk)' } }];
    await expect(doc.send(new TransactWriteCommand({ TransactItems: withFailingCheck }))).rejects.toMatchObject(refused);
    // Ten are within it.
    await doc.send(new TransactWriteCommand({ TransactItems: eleven.slice(0, 10) }));
    expect((await get('t4mb-9'))?.blob).toHaveLength(380 * 1024);
  });

  it('applies a ClientRequestToken once and refuses it with another payload', async () => {
    const update = (by: number) =>
      new TransactWriteCommand({
        ClientRequestToken: 'token-t5',
        TransactItems: [{ Update: { TableName, Key: key('t5'), UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
      });
    await doc.send(update(1));
    await doc.send(update(1));
    expect((await get('t5'))?.n).toBe(1);
    await expect(doc.send(update(2))).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
  });

  it('is all-or-nothing for any mix of conditional actions (model check)', async () => {
    const keys = ['p0', 'p1', 'p2', 'p3', 'p4'];
    const model = new Map<string, number>();
    const action = fc.record({
      pk: fc.constantFrom(...keys),
      kind: fc.constantFrom('put', 'delete', 'check'),
      expect: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      value: fc.integer({ min: 0, max: 3 }),
    });
    const transaction = fc.uniqueArray(action, { minLength: 1, maxLength: 5, selector: (a) => a.pk });
    await fc.assert(
      fc.asyncProperty(transaction, async (actions) => {
        const condition = (expected: number | undefined) =>
          expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'v = :e', ExpressionAttributeValues: { ':e': expected } };
        const items = actions.map((a) => {
          const k = key(`prop-${a.pk}`);
          if (a.kind === 'put') return { Put: { TableName, Item: { ...k, v: a.value }, ...condition(a.expect) } };
          if (a.kind === 'delete') return { Delete: { TableName, Key: k, ...condition(a.expect) } };
          return { ConditionCheck: { TableName, Key: k, ...condition(a.expect) } };
        });
        const passes = actions.every((a) => model.get(a.pk) === a.expect);
        const outcome = await doc.send(new TransactWriteCommand({ TransactItems: items })).then(
          () => 'committed',
          (err) => (err instanceof TransactionCanceledException ? 'cancelled' : Promise.reject(err)),
        );
        expect(outcome).toBe(passes ? 'committed' : 'cancelled');
        if (passes) {
          for (const a of actions) {
            if (a.kind === 'put') model.set(a.pk, a.value);
            if (a.kind === 'delete') model.delete(a.pk);
          }
        }
        for (const pk of keys) expect((await get(`prop-${pk}`))?.v).toBe(model.get(pk));
      }),
      { numRuns: 40 },
    );
  });
});

describe('TransactGetItems', () => {
  it('reads items together, with projections, in request order, empty for missing items', async () => {
    await doc.send(new PutCommand({ TableName, Item: { ...key('g1'), name: 'Ada', tags: ['a'], n: 1 } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('g2'), name: 'Bob', n: 2 } }));
    const { Responses } = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName, Key: key('g2') } },
          { Get: { TableName, Key: key('g-missing') } },
          { Get: { TableName, Key: key('g1'), ProjectionExpression: '#n, n', ExpressionAttributeNames: { '#n': 'name' } } },
        ],
      }),
    );
    expect(Responses).toEqual([{ Item: { ...key('g2'), name: 'Bob', n: 2 } }, {}, { Item: { name: 'Ada', n: 1 } }]);
  });

  it('never sees half of a concurrent write transaction', async () => {
    const pair = [key('g-pair-a'), key('g-pair-b')];
    let writing = true;
    const writer = (async () => {
      for (let v = 0; v < 60; v++) {
        await doc.send(new TransactWriteCommand({ TransactItems: pair.map((k) => ({ Put: { TableName, Item: { ...k, v } } })) }));
      }
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const { Responses } = await doc.send(new TransactGetCommand({ TransactItems: pair.map((Key) => ({ Get: { TableName, Key } })) }));
      expect(Responses?.[0]?.Item?.v).toBe(Responses?.[1]?.Item?.v);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });
});
