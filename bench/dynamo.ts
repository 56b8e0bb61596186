/**
 * The local DynamoDB shim against straight dynalite, in the same run and the same process, through
 * the same AWS SDK client: single PutItem/s, BatchWriteItem items/s, Query of 1,000 items (ms),
 * and TransactWriteItems of 4 items/s (shim only: dynalite has none). Ratios are the shim's cost
 * relative to dynalite's (1.0 = same, 1.5 = the allowed maximum).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { applicationTableDefinition, startDynamo } from '../local/dynamo/index.ts';
import { crmItem } from './support/crm-item.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: { path: string; createTableMs: number }) => Server;

const TableName = 'sheetflow';
const PUTS = 2000;
const BATCH_ITEMS = 10_000;
const QUERY_REPEATS = 20;
const TRANSACTIONS = 400;
const CONCURRENCY = 8;
const SLICES = 10;

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-dynamo-'));
  dirs.push(dir);
  return dir;
};

function docClient(endpoint: string) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 }),
  );
}

async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

type Doc = ReturnType<typeof docClient>;

/** Each workload runs a slice of `count` operations and returns the seconds it took. */
const workloads = {
  async puts(doc: Doc, slice: string, count: number) {
    return inParallel(count, CONCURRENCY, (i) => doc.send(new PutCommand({ TableName, Item: crmItem(`put-${slice}-${i % 200}`, `r#${i}`, i) })));
  },
  async batches(doc: Doc, slice: string, count: number) {
    return inParallel(count / 25, CONCURRENCY / 2, (b) =>
      doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [TableName]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: crmItem(`batch-${slice}-${b % 50}`, `r#${b}-${j}`, b * 25 + j) } })),
          },
        }),
      ),
    );
  },
  async queries(doc: Doc, _slice: string, count: number) {
    const started = performance.now();
    for (let r = 0; r < count; r++) {
      let items = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'query' }, ExclusiveStartKey }));
        items += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      if (items !== 1000) throw new Error(`query returned ${items} items, expected 1000`);
    }
    return (performance.now() - started) / 1000;
  },
  async transactions(doc: Doc, slice: string, count: number) {
    return inParallel(count, CONCURRENCY, (i) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: crmItem(`tx-${slice}-${i}`, 'a', i), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName, Item: crmItem(`tx-${slice}-${i}`, 'b', i) } },
            { Update: { TableName, Key: { pk: `tx-${slice}-${i}`, sk: 'c' }, UpdateExpression: 'ADD version :one', ExpressionAttributeValues: { ':one': 1 } } },
            { Update: { TableName, Key: { pk: 'tx-counters', sk: `c${i % 64}` }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
  },
};

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

async function seedQuery(doc: Doc) {
  for (let b = 0; b < 40; b++) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [TableName]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: crmItem('query', `r#${String(b * 25 + j).padStart(4, '0')}`, j) } })) },
      }),
    );
  }
}

async function main() {
  const shim = await startDynamo({ dataDir: tempDir(), port: 0 });
  await shim.ensureTable();
  // A consumer is attached, as in the embedded cloud: the stream's delivery is part of the cost.
  shim.attachStreamConsumer({ batchSize: 100, maxRetries: 10, handler: async () => undefined });

  const direct = dynalite({ path: tempDir(), createTableMs: 0 });
  await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', () => resolve()));
  const directEndpoint = `http://127.0.0.1:${(direct.address() as AddressInfo).port}`;
  const docs = { shim: docClient(shim.endpoint), direct: docClient(directEndpoint) };
  const { StreamSpecification: _unsupported, ...definition } = applicationTableDefinition();
  await docs.direct.send(new CreateTableCommand(definition));
  await new Promise((r) => setTimeout(r, 50));

  await seedQuery(docs.shim);
  await seedQuery(docs.direct);

  // The machine is shared, so its load drifts: the two targets take turns in short slices, in
  // alternating order, and each figure is total work over total time. Slice 0 warms up.
  const totals = { puts: { shim: 0, direct: 0 }, batches: { shim: 0, direct: 0 }, queries: { shim: 0, direct: 0 } };
  const perSlice = { puts: PUTS / SLICES, batches: BATCH_ITEMS / SLICES, queries: QUERY_REPEATS / SLICES };
  for (let slice = 0; slice <= SLICES; slice++) {
    const order = slice % 2 ? (['shim', 'direct'] as const) : (['direct', 'shim'] as const);
    for (const name of ['puts', 'batches', 'queries'] as const) {
      for (const target of order) {
        const seconds = await workloads[name](docs[target], `${slice}`, perSlice[name]);
        if (slice > 0) totals[name][target] += seconds;
      }
    }
    if (slice > 0) console.log(`slice ${slice}/${SLICES}: ${JSON.stringify(totals)}`);
  }
  await workloads.transactions(docs.shim, 'warm', TRANSACTIONS / 10);
  const transact4 = TRANSACTIONS / (await workloads.transactions(docs.shim, 'measured', TRANSACTIONS));
  console.log(`shim TransactWriteItems (4 items)/s ${round1(transact4)}`);

  await shim.close();
  await new Promise((resolve) => direct.close(resolve));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

  console.log('ratios are shim cost / dynalite cost (lower is better; the limit is 1.5)');
  console.log(
    JSON.stringify({
      put_per_s_shim: round1(PUTS / totals.puts.shim),
      put_per_s_direct: round1(PUTS / totals.puts.direct),
      put_ratio: round2(totals.puts.shim / totals.puts.direct),
      batch_items_per_s_shim: round1(BATCH_ITEMS / totals.batches.shim),
      batch_items_per_s_direct: round1(BATCH_ITEMS / totals.batches.direct),
      batch_ratio: round2(totals.batches.shim / totals.batches.direct),
      query_1000_ms_shim: round2((totals.queries.shim * 1000) / QUERY_REPEATS),
      query_1000_ms_direct: round2((totals.queries.direct * 1000) / QUERY_REPEATS),
      query_ratio: round2(totals.queries.shim / totals.queries.direct),
      transact4_per_s: round1(transact4),
    }),
  );
}

await main();
