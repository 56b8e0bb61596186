import { createServer, type AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../../local/dynamo/index.ts';
import { clientsFor, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

const temp = tempDir();
afterAll(() => temp.remove());

it('owns its folder alone, frees it when start-up fails, and closes idempotently', async () => {
  const first = await startTestDynamo(temp.dir);
  await expect(startDynamo({ dataDir: temp.dir, port: 0 })).rejects.toThrow();
  await clientsFor(first.endpoint).doc.send(new PutCommand({ TableName, Item: { pk: 'kept', sk: 'x' } }));
  await Promise.all([first.close(), first.close()]);

  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const port = (squatter.address() as AddressInfo).port;
  try {
    await expect(startDynamo({ dataDir: temp.dir, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    squatter.close();
  }

  const again = await startTestDynamo(temp.dir);
  try {
    const { Item } = await clientsFor(again.endpoint).doc.send(new GetCommand({ TableName, Key: { pk: 'kept', sk: 'x' } }));
    expect(Item).toEqual({ pk: 'kept', sk: 'x' });
  } finally {
    await again.close();
  }
});
