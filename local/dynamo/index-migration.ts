/**
 * Adds to an existing table the global secondary indexes its declaration has and it lacks, and
 * fills them from the items already there. A local data folder outlives the code that creates
 * its table, so a GSI declared later (infra/app-resources.ts) would otherwise be missing from
 * every existing folder: dynalite's UpdateTable does not create indexes. In AWS, CloudFormation
 * adds the index and DynamoDB backfills it itself.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { type BatchOp, type Store, type TableDescription, dynaliteDb, getTable, indexPrefix, itemPrefix } from './dynalite.ts';
import { prefixEnd } from './keyspace.ts';
import type { TableCatalog } from './table-catalog.ts';

type IndexDescription = { IndexName: string; KeySchema: unknown; Projection: unknown; [k: string]: unknown };

/** Returns the names of the indexes added (none when the table already has them all). */
export async function addMissingIndexes(store: Store, tables: TableCatalog, declared: CreateTableCommandInput): Promise<string[]> {
  const name = declared.TableName!;
  const table = await getTable(store, name);
  const present = (table.GlobalSecondaryIndexes ?? []) as IndexDescription[];
  const missing = (declared.GlobalSecondaryIndexes ?? []).filter((index) => !present.some((p) => p.IndexName === index.IndexName));
  if (missing.length === 0) return [];

  const added: IndexDescription[] = missing.map((index) => ({
    IndexName: index.IndexName!,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
    // The shape dynalite's CreateTable gives an index.
    IndexArn: `${table.TableArn}/index/${index.IndexName}`,
    IndexSizeBytes: 0,
    ItemCount: 0,
    IndexStatus: 'ACTIVE',
    ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
  }));
  const attributes = (table.AttributeDefinitions ?? []) as Array<{ AttributeName: string }>;
  const next: TableDescription = {
    ...table,
    AttributeDefinitions: [...attributes, ...(declared.AttributeDefinitions ?? []).filter((a) => !attributes.some((b) => b.AttributeName === a.AttributeName))],
    GlobalSecondaryIndexes: [...present, ...added],
  };

  // Entries for items that already carry the new index's keys, page by page (puts are
  // idempotent, so a crash midway just runs this again at the next start).
  const items = itemPrefix(name);
  for (let after: string | undefined; ; ) {
    const page = await store.db.iterator({ ...(after ? { gt: after } : { gte: items }), lt: prefixEnd(items), limit: 1000 }).all();
    if (page.length === 0) break;
    const ops: BatchOp[] = page.flatMap(([, item]) =>
      dynaliteDb.getIndexActions(added, undefined, item, next).puts.map((put) => ({ type: 'put' as const, key: indexPrefix('Global', name, put.index) + put.key, value: put.item })),
    );
    if (ops.length > 0) await store.db.batch(ops);
    after = page.at(-1)![0];
  }
  // The description last: the index exists only once it is filled.
  await store.db.put(`table~${name}`, next);
  tables.forget(name);
  return added.map((index) => index.IndexName);
}
