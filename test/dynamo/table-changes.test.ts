/**
 * Reads and writes look their table up in memory (table-catalog.ts): a table changed through the
 * endpoint is what the next operation sees, not the description the catalog held before.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, ResourceNotFoundException, waitUntilTableExists, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, rejection, startTestDynamo, tempDir } from '../support/dynamo.ts';

const temp = tempDir();
let server: DynamoServer;
let clients: ReturnType<typeof clientsFor>;
beforeAll(async () => {
  server = await startTestDynamo(temp.dir);
  clients = clientsFor(server.endpoint);
});
afterAll(async () => {
  await server?.close();
  temp.remove();
});

const TableName = 'reshaped';
// dynalite makes and drops tables on a timer of 0 ms here: the SDK's waiters poll that briefly.
const waitBriefly = { maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.05 };
const createTable = async (keys: string[], index?: string) => {
  await clients.raw.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys, ...(index ? [index] : [])].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: keys.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      GlobalSecondaryIndexes: index ? [{ IndexName: index, KeySchema: [{ AttributeName: index, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] : undefined,
    }),
  );
  await waitUntilTableExists({ client: clients.raw, ...waitBriefly }, { TableName });
};

it('reads a table deleted and made again with other keys and indexes by its new description', async () => {
  await createTable(['pk', 'sk'], 'byOwner');
  await clients.doc.send(new PutCommand({ TableName, Item: { pk: 'a', sk: '1', byOwner: 'ann' } }));
  // Every read kind looks the table up (and the catalog keeps it).
  expect((await clients.doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: '1' } }))).Item).toMatchObject({ pk: 'a' });
  expect((await clients.doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [{ pk: 'a', sk: '1' }] } } }))).Responses![TableName]).toHaveLength(1);
  expect((await clients.doc.send(new QueryCommand({ TableName, IndexName: 'byOwner', KeyConditionExpression: 'byOwner = :o', ExpressionAttributeValues: { ':o': 'ann' } }))).Count).toBe(1);
  expect((await clients.doc.send(new ScanCommand({ TableName }))).Count).toBe(1);

  await clients.raw.send(new DeleteTableCommand({ TableName }));
  await waitUntilTableNotExists({ client: clients.raw, ...waitBriefly }, { TableName });
  await rejection(clients.doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: '1' } })), ResourceNotFoundException);
  await rejection(clients.doc.send(new ScanCommand({ TableName })), ResourceNotFoundException);

  await createTable(['id'], 'byTeam');
  await clients.doc.send(new PutCommand({ TableName, Item: { id: 'b', byTeam: 'red' } }));
  expect((await clients.doc.send(new GetCommand({ TableName, Key: { id: 'b' } }))).Item).toEqual({ id: 'b', byTeam: 'red' });
  await expect(clients.doc.send(new GetCommand({ TableName, Key: { pk: 'a', sk: '1' } }))).rejects.toThrow(/key element does not match the schema/);
  expect((await clients.doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [{ id: 'b' }] } } }))).Responses![TableName]).toEqual([{ id: 'b', byTeam: 'red' }]);
  expect((await clients.doc.send(new QueryCommand({ TableName, IndexName: 'byTeam', KeyConditionExpression: 'byTeam = :t', ExpressionAttributeValues: { ':t': 'red' } }))).Items).toEqual([{ id: 'b', byTeam: 'red' }]);
  await expect(
    clients.doc.send(new QueryCommand({ TableName, IndexName: 'byOwner', KeyConditionExpression: 'byOwner = :o', ExpressionAttributeValues: { ':o': 'ann' } })),
  ).rejects.toThrow(/does not have the specified index: byOwner/);
  expect((await clients.doc.send(new ScanCommand({ TableName }))).Items).toEqual([{ id: 'b', byTeam: 'red' }]);
});
