/** A GSI declared after a local table was made: the next start adds it and fills it from the items there. */
import { afterAll, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo, applicationTableDefinition } from '../../local/dynamo/index.ts';
import { clientsFor, tempDir, TABLE_NAME as TableName } from '../support/dynamo.ts';

const temp = tempDir();
afterAll(() => temp.remove());

it('adds a declared index an existing table lacks, with the items that carry its keys', async () => {
  const server = await startDynamo({ dataDir: temp.dir, port: 0 });
  try {
    const clients = clientsFor(server.endpoint);
    // The table as an older declaration made it: without its last index.
    const full = applicationTableDefinition();
    const last = full.GlobalSecondaryIndexes!.at(-1)!;
    const [pkName, skName] = last.KeySchema!.map((k) => k.AttributeName!);
    await clients.raw.send(
      new CreateTableCommand({
        ...full,
        GlobalSecondaryIndexes: full.GlobalSecondaryIndexes!.slice(0, -1),
        AttributeDefinitions: full.AttributeDefinitions!.filter((a) => a.AttributeName !== pkName && a.AttributeName !== skName),
      }),
    );
    await clients.doc.send(new PutCommand({ TableName, Item: { pk: 'old', sk: 'x', [pkName]: 'P', [skName]: '1' } }));
    await clients.doc.send(new PutCommand({ TableName, Item: { pk: 'plain', sk: 'x' } }));
    const query = () => clients.doc.send(new QueryCommand({ TableName, IndexName: last.IndexName, KeyConditionExpression: '#pk = :p', ExpressionAttributeNames: { '#pk': pkName }, ExpressionAttributeValues: { ':p': 'P' } }));
    await expect(query()).rejects.toThrow(/index/i);

    await server.ensureTable();
    const { Table } = await clients.raw.send(new DescribeTableCommand({ TableName }));
    expect(Table!.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.IndexStatus])).toContainEqual([last.IndexName, 'ACTIVE']);
    expect((await query()).Items!.map((i) => i.pk)).toEqual(['old']);

    // Writes from now on maintain it like any other index; ensuring again changes nothing.
    await clients.doc.send(new PutCommand({ TableName, Item: { pk: 'new', sk: 'x', [pkName]: 'P', [skName]: '2' } }));
    await server.ensureTable();
    expect((await query()).Items!.map((i) => i.pk)).toEqual(['old', 'new']);
  } finally {
    await server.close();
  }
});
