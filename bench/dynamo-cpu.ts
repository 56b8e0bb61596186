/**
 * CPU time of this process per 1,000 DynamoDB operations through the real AWS SDK document client
 * over HTTP against local/dynamo, as a handler makes them (one call after another, a stream
 * consumer attached). Client and server share the process, as in the embedded cloud and the
 * tests, so the figure is what one operation costs the machine. CPU time (user + sys), not wall
 * time: the machine is shared, and load disturbs CPU time much less. Each operation runs in
 * ROUNDS slices, interleaved; the figure is the median slice.
 *
 * `npm run bench -- dynamo-cpu` (add `--profile` for where the time goes, by area and function).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../local/dynamo/index.ts';
import { profileOf } from './support/cpu-profile.ts';
import { crmItem } from './support/crm-item.ts';

const TableName = 'sheetflow';
const PER_SLICE = 200;
const ROUNDS = 7;

/** A CRM-like record (~0.5 KB): the storage benches' item with a 200-character note. */
const record = (pk: string, sk: string, i: number) => ({ ...crmItem(pk, sk, i), notes: 'x'.repeat(200) });

type Doc = DynamoDBDocumentClient;
const operations: Record<string, (doc: Doc, i: number) => Promise<unknown>> = {
  GetItem: (doc, i) => doc.send(new GetCommand({ TableName, Key: { pk: 'seed', sk: `r#${String(i % 500).padStart(4, '0')}` } })),
  'Query (10 items)': (doc, i) =>
    doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': 'seed', ':a': `r#${String(i % 490).padStart(4, '0')}`, ':b': `r#${String((i % 490) + 9).padStart(4, '0')}` },
      }),
    ),
  'BatchGetItem (10 keys)': (doc, i) =>
    doc.send(
      new BatchGetCommand({
        RequestItems: { [TableName]: { Keys: Array.from({ length: 10 }, (_, j) => ({ pk: 'seed', sk: `r#${String((i * 10 + j) % 500).padStart(4, '0')}` })) } },
      }),
    ),
  PutItem: (doc, i) => doc.send(new PutCommand({ TableName, Item: record(`put-${i % 100}`, `r#${i}`, i) })),
  UpdateItem: (doc, i) =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'seed', sk: `r#${String(i % 500).padStart(4, '0')}` },
        UpdateExpression: 'SET #n = :n ADD version :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': `renamed ${i}`, ':one': 1 },
      }),
    ),
  'TransactWriteItems (2)': (doc, i) =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: record(`tx-${i % 100}`, `a#${i}`, i) } },
          { Update: { TableName, Key: { pk: 'tx-counters', sk: `c${i % 16}` }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    ),
};

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-dynamo-cpu-'));
  const dynamo = await startDynamo({ dataDir: dir, port: 0 });
  await dynamo.ensureTable();
  dynamo.attachStreamConsumer({ batchSize: 100, maxRetries: 10, handler: async () => undefined });
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
  );
  for (let i = 0; i < 500; i++) await doc.send(new PutCommand({ TableName, Item: record('seed', `r#${String(i).padStart(4, '0')}`, i) }));

  const runSlice = async (name: string, offset: number) => {
    // The stream's delivery of earlier writes is not this slice's cost.
    while (dynamo.streamBacklog() > 0) await new Promise((r) => setTimeout(r, 5));
    const started = cpuMs();
    for (let i = 0; i < PER_SLICE; i++) await operations[name](doc, offset + i);
    while (dynamo.streamBacklog() > 0) await new Promise((r) => setTimeout(r, 5));
    return cpuMs() - started;
  };
  const slices: Record<string, number[]> = Object.fromEntries(Object.keys(operations).map((name) => [name, []]));
  for (const name of Object.keys(operations)) await runSlice(name, 0); // warm-up
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of Object.keys(operations)) slices[name].push(await runSlice(name, round * PER_SLICE));
  }
  const figures = Object.fromEntries(Object.entries(slices).map(([name, ms]) => [name, Math.round((median(ms) * 1000) / PER_SLICE)]));
  for (const [name, ms] of Object.entries(figures)) console.log(`${name.padEnd(24)} ${ms} ms CPU per 1,000`);

  if (process.argv.includes('--profile')) {
    const { summary } = await profileOf(async () => {
      for (const name of Object.keys(operations)) await runSlice(name, 10_000);
    });
    console.log(JSON.stringify(summary, null, 1));
  }
  doc.destroy();
  await dynamo.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(Object.fromEntries(Object.entries(figures).map(([name, ms]) => [`cpu_ms_per_1000_${name.split(' ')[0]}`, ms]))));
}

await main();
