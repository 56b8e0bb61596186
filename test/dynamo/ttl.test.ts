import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { clientsFor, recordingConsumer, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

let server: DynamoServer;
let clients: ReturnType<typeof clientsFor>;
const temp = tempDir();
const seen = recordingConsumer();

beforeAll(async () => {
  server = await startTestDynamo(temp.dir);
  clients = clientsFor(server.endpoint);
  server.attachStreamConsumer(seen.consumer);
});
afterAll(async () => {
  await server?.close();
  temp.remove();
});

const key = (pk: string, sk = 'x') => ({ pk, sk });
const now = () => Math.floor(Date.now() / 1000);
const exists = async (pk: string) => Boolean((await clients.doc.send(new GetCommand({ TableName, Key: key(pk) }))).Item);
const removals = (pk: string) => seen.records().filter((r: DynamoDBRecord) => r.eventName === 'REMOVE' && r.dynamodb?.Keys?.pk?.S === pk);

describe('TimeToLive', () => {
  it('is enabled on the application table by ensureTable, on the declared attribute', async () => {
    const { TimeToLiveDescription } = await clients.raw.send(new DescribeTimeToLiveCommand({ TableName }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: TABLE.timeToLiveAttribute });
  });

  it('is off on a new table, can be enabled once, and refuses a second attribute', async () => {
    const TableName = 'other';
    const definition = {
      TableName,
      BillingMode: 'PAY_PER_REQUEST' as const,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
    };
    await clients.raw.send(new CreateTableCommand(definition));
    expect((await clients.raw.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    const enabled = await clients.raw.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }),
    );
    expect(enabled.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'ttl' });
    await expect(
      clients.raw.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'other' } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      clients.raw.send(new UpdateTimeToLiveCommand({ TableName: 'no-such-table', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    await clients.raw.send(new DeleteTableCommand({ TableName }));
    await clients.raw.send(new CreateTableCommand(definition));
    expect((await clients.raw.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('sweeps expired items only, through every write path, as REMOVE records from the service', async () => {
    const { doc } = clients;
    const past = now() - 60;
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-put'), expiresAt: past } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-future'), expiresAt: now() + 3600 } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-string'), expiresAt: String(past) } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-none') } }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-ancient'), expiresAt: past - 6 * 365 * 24 * 3600 } }));
    // expired by an update, by a transaction; and one that expired but was extended before the sweep
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-updated'), expiresAt: now() + 3600 } }));
    await doc.send(new UpdateCommand({ TableName, Key: key('ttl-updated'), UpdateExpression: 'SET expiresAt = :t', ExpressionAttributeValues: { ':t': past } }));
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { ...key('ttl-tx'), expiresAt: past } } }] }));
    await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-extended'), expiresAt: past } }));
    await doc.send(new UpdateCommand({ TableName, Key: key('ttl-extended'), UpdateExpression: 'SET expiresAt = :t', ExpressionAttributeValues: { ':t': now() + 3600 } }));

    // DynamoDB deletes expired items eventually; until then they are still readable.
    expect(await exists('ttl-put')).toBe(true);
    expect(await server.sweepExpired()).toBe(3);

    for (const pk of ['ttl-put', 'ttl-updated', 'ttl-tx']) expect(await exists(pk)).toBe(false);
    for (const pk of ['ttl-future', 'ttl-string', 'ttl-none', 'ttl-ancient', 'ttl-extended']) expect(await exists(pk)).toBe(true);

    await expect.poll(() => removals('ttl-tx')).toHaveLength(1);
    const [remove] = removals('ttl-put');
    expect(remove.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(remove.dynamodb?.OldImage?.expiresAt).toEqual({ N: String(past) });
    expect(removals('ttl-extended')).toHaveLength(0);
    expect(seen.records().filter((r) => r.eventName === 'REMOVE').every((r) => r.userIdentity)).toBe(true);
    expect(await server.sweepExpired()).toBe(0);
  });

  it('runs by itself on its interval and keeps the setting across a restart', async () => {
    const own = tempDir();
    try {
      const first = await startTestDynamo(own.dir);
      await first.close();
      const second = await startTestDynamo(own.dir, { ttlSweepIntervalMs: 50 });
      try {
        const { raw, doc } = clientsFor(second.endpoint);
        expect((await raw.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
        await doc.send(new PutCommand({ TableName, Item: { ...key('ttl-auto'), expiresAt: now() - 1 } }));
        await expect.poll(async () => (await doc.send(new GetCommand({ TableName, Key: key('ttl-auto') }))).Item).toBeUndefined();
      } finally {
        await second.close();
      }
    } finally {
      own.remove();
    }
  });

  it('indexes items that existed before TimeToLive was enabled', async () => {
    const { raw, doc } = clients;
    const TableName = 'late-ttl';
    await raw.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      }),
    );
    await doc.send(new PutCommand({ TableName, Item: { id: 'old', ttl: now() - 10 } }));
    await doc.send(new PutCommand({ TableName, Item: { id: 'young', ttl: now() + 3600 } }));
    expect(await server.sweepExpired()).toBe(0);
    await raw.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
    expect(await server.sweepExpired()).toBe(1);
    expect((await doc.send(new GetCommand({ TableName, Key: { id: 'old' } }))).Item).toBeUndefined();
    expect((await doc.send(new GetCommand({ TableName, Key: { id: 'young' } }))).Item).toBeDefined();
  });
});
