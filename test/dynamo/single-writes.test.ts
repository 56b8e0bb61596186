import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, rejection, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

let server: DynamoServer;
let clients: ReturnType<typeof clientsFor>;
const temp = tempDir();

beforeAll(async () => {
  server = await startTestDynamo(temp.dir);
  clients = clientsFor(server.endpoint);
});
afterAll(async () => {
  await server?.close();
  temp.remove();
});

const key = (pk: string, sk = 'x') => ({ pk, sk });

const conditionFailure = (send: Promise<unknown>) => rejection(send, ConditionalCheckFailedException);

describe('ReturnValuesOnConditionCheckFailure', () => {
  it('returns the current item with PutItem, UpdateItem and DeleteItem failures when ALL_OLD', async () => {
    const { doc } = clients;
    await doc.send(new PutCommand({ TableName, Item: { ...key('rv'), version: 3, name: 'Ada' } }));
    const stored = { pk: { S: 'rv' }, sk: { S: 'x' }, version: { N: '3' }, name: { S: 'Ada' } };
    const stale = { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 2 } };

    const put = await conditionFailure(
      doc.send(new PutCommand({ TableName, Item: { ...key('rv'), version: 3 }, ...stale, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
    );
    expect(put.Item).toEqual(stored);
    const update = await conditionFailure(
      doc.send(
        new UpdateCommand({
          TableName,
          Key: key('rv'),
          UpdateExpression: 'SET version = :n',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': 2, ':n': 4 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(update.Item).toEqual(stored);
    const del = await conditionFailure(doc.send(new DeleteCommand({ TableName, Key: key('rv'), ...stale, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
    expect(del.Item).toEqual(stored);

    const without = await conditionFailure(doc.send(new DeleteCommand({ TableName, Key: key('rv'), ...stale })));
    expect(without.Item).toBeUndefined();
    expect((await doc.send(new GetCommand({ TableName, Key: key('rv') }))).Item?.version).toBe(3);
  });

  it('carries no item when the item does not exist', async () => {
    const err = await conditionFailure(
      clients.doc.send(
        new UpdateCommand({
          TableName,
          Key: key('rv-missing'),
          UpdateExpression: 'SET a = :a',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':a': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(err.Item).toBeUndefined();
  });

  it('rejects values other than ALL_OLD and NONE', async () => {
    await expect(
      clients.raw.send(
        new PutItemCommand({ TableName, Item: { pk: { S: 'rv-bad' }, sk: { S: 'x' } }, ReturnValuesOnConditionCheckFailure: 'ALL_NEW' as never }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('writes through the shim keep dynalite behaviour', () => {
  it('maintains global secondary indexes on put, update and delete', async () => {
    const { doc } = clients;
    const byIndex = async (gsi1pk: string) =>
      (
        await doc.send(
          new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': gsi1pk } }),
        )
      ).Items?.map((i) => i.pk);
    await doc.send(new PutCommand({ TableName, Item: { ...key('ix-1'), gsi1pk: 'owner#1', gsi1sk: 'a' } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ix-2'), gsi1pk: 'owner#1', gsi1sk: 'b' } }));
    expect(await byIndex('owner#1')).toEqual(['ix-1', 'ix-2']);
    await doc.send(
      new UpdateCommand({ TableName, Key: key('ix-1'), UpdateExpression: 'SET gsi1pk = :o', ExpressionAttributeValues: { ':o': 'owner#2' } }),
    );
    expect(await byIndex('owner#1')).toEqual(['ix-2']);
    expect(await byIndex('owner#2')).toEqual(['ix-1']);
    await doc.send(new DeleteCommand({ TableName, Key: key('ix-2') }));
    expect(await byIndex('owner#1')).toEqual([]);
  });

  it('returns ReturnValues and applies BatchWriteItem puts and deletes', async () => {
    const { doc } = clients;
    await doc.send(new PutCommand({ TableName, Item: { ...key('bw-0'), n: 0 } }));
    const updated = await doc.send(
      new UpdateCommand({ TableName, Key: key('bw-0'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'ALL_NEW' }),
    );
    expect(updated.Attributes).toEqual({ ...key('bw-0'), n: 1 });
    const result = await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [TableName]: [
            ...Array.from({ length: 24 }, (_, i) => ({ PutRequest: { Item: { ...key(`bw-${i + 1}`), n: i + 1 } } })),
            { DeleteRequest: { Key: key('bw-0') } },
          ],
        },
      }),
    );
    expect(result.UnprocessedItems).toEqual({});
    expect((await doc.send(new GetCommand({ TableName, Key: key('bw-24') }))).Item?.n).toBe(24);
    expect((await doc.send(new GetCommand({ TableName, Key: key('bw-0') }))).Item).toBeUndefined();
    await expect(
      doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: key('dup') } }, { DeleteRequest: { Key: key('dup') } }] } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('keeps writes to one item serialised (no lost update under concurrency)', async () => {
    const { doc } = clients;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        doc.send(new UpdateCommand({ TableName, Key: key('counter'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } })),
      ),
    );
    expect((await doc.send(new GetCommand({ TableName, Key: key('counter') }))).Item?.n).toBe(50);
  });
});
