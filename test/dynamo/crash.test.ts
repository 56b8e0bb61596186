/**
 * kill -9 in the middle of transactions: after a restart on the same folder every transaction
 * is all-or-nothing, every acknowledged one is there, and the stream holds exactly one record
 * per committed change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clientsFor, deliveredUpToMarker, recordingConsumer, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

const temp = tempDir();
afterAll(() => temp.remove());

const COUNTERS = ['c0', 'c1', 'c2', 'c3'];
const WORKERS = 8;

function startChild(dir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const script = fileURLToPath(new URL('../support/dynamo-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`crash server exited early (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, endpoint: JSON.parse(line).endpoint }));
  });
}

it('leaves no transaction half-applied after kill -9, and loses none it acknowledged', async () => {
  const { child, endpoint } = await startChild(temp.dir);
  const { doc } = clientsFor(endpoint);
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;

  // Each transaction bumps four shared counters and records itself: five items, one outcome.
  const worker = async () => {
    while (!killed) {
      const id = `tx-${next++}`;
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              ...COUNTERS.map((c) => ({
                Update: { TableName, Key: { pk: 'crash', sk: c }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } },
              })),
              { Put: { TableName, Item: { pk: 'crash-tx', sk: id }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        acknowledged.push(id);
      } catch {
        if (!killed) throw new Error(`transaction ${id} failed before the kill`);
      }
    }
  };
  const workers = Array.from({ length: WORKERS }, worker);
  await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(150);
  killed = true;
  child.kill('SIGKILL');
  await Promise.allSettled(workers);
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve(undefined) : child.once('exit', resolve)));

  const server = await startTestDynamo(temp.dir);
  try {
    const { doc: after } = clientsFor(server.endpoint);
    const counters = await Promise.all(
      COUNTERS.map(async (c) => (await after.send(new GetCommand({ TableName, Key: { pk: 'crash', sk: c } }))).Item?.n as number),
    );
    const committed = new Set<string>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await after.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'crash-tx' }, ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) committed.add(item.sk);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);

    // all-or-nothing: every counter moved once per committed transaction
    expect(counters).toEqual(COUNTERS.map(() => committed.size));
    // durable: nothing acknowledged is lost
    expect(acknowledged.filter((id) => !committed.has(id))).toEqual([]);

    // the stream survived too: one record per change of each committed transaction
    const seen = recordingConsumer();
    server.attachStreamConsumer(seen.consumer);
    const expected = committed.size * (COUNTERS.length + 1);
    await deliveredUpToMarker(after, seen.records, 'crash-marker', 30_000);
    expect(seen.records().filter((r) => r.dynamodb?.Keys?.pk?.S !== 'crash-marker')).toHaveLength(expected);
    const c0 = seen.records().filter((r) => r.dynamodb?.Keys?.sk?.S === 'c0').map((r) => Number(r.dynamodb?.NewImage?.n?.N));
    expect(c0).toEqual(Array.from({ length: committed.size }, (_, i) => i + 1));
  } finally {
    await server.close();
  }
});
