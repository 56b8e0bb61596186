/**
 * LevelDB 1.20 (what classic-level 3 bundles) can answer a key's previous value from Get
 * (google/leveldb#320): versions of the key kept for a snapshot land in two files of one level, a
 * compaction moves the file with the newest down a level alone, and Get stops at the level that
 * still holds the older one. CI met it as a record read one write behind. Here the folder is laid
 * out that way by LevelDB itself (the same library and compactions, small files), then the local
 * DynamoDB is started on it: GetItem, BatchGetItem, TransactGetItems and a conditional write must
 * all see the newest version (local/dynamo/point-reads.ts).
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BatchGetCommand, GetCommand, PutCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import { dynaliteDb, itemPrefix, type TableDescription } from '../../local/dynamo/dynalite.ts';
import { applicationTableDefinition, type DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

// The LevelDB binding dynalite opens its folder with: the library whose behaviour is tried here.
const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level');

const MB = 1024 * 1024;
const key = { pk: 'stale', sk: 'record' };
const temp = tempDir();
let server: DynamoServer;
let doc: ReturnType<typeof clientsFor>['doc'];

/** A stored item of the key at `version`, about 1.1 MB (two to a file of LevelDB's least 1 MB). */
const itemAt = (version: number) => ({ pk: { S: key.pk }, sk: { S: key.sk }, version: { N: String(version) }, data: { S: randomBytes(850_000).toString('base64') } });

beforeAll(async () => {
  const db = new Level(temp.dir, { valueEncoding: 'json', maxFileSize: MB, writeBufferSize: 256 * MB });
  await db.open();
  const table = applicationTableDefinition() as unknown as TableDescription;
  const k = itemPrefix(TableName) + dynaliteDb.createKey({ pk: { S: key.pk }, sk: { S: key.sk } }, table);
  // Keys around the item's: j and l just before and after it, the filler before them all and z after.
  const [j, l, z] = [`${k.slice(0, -1)}.`, `${k}0`, `${k}~`];
  const flush = () => db.compactRange('!', '!');
  // 25 MB in one file at level 2 over the whole range: more than 25 files' worth, so that a later
  // compaction of a level-1 file with it takes no more level-1 files along (LevelDB's size limit).
  for (let n = 0; n < 25; n++) await db.put(`${k.slice(0, -1)}-${String(n).padStart(2, '0')}`, randomBytes(750_000).toString('base64'));
  await db.put(z, 'z');
  await flush();
  await db.put(j, 'j');
  await db.put(l, 'l');
  await flush();
  await db.put(j, 'j2');
  await db.put(k, itemAt(1));
  const snapshot = db.snapshot();
  await db.put(k, itemAt(2));
  await flush();
  // Level 0 into level 1 keeps both versions (the snapshot), cut into [j, k v2] and [k v1]; then
  // the range of j alone moves [j, k v2] down to level 2 and leaves [k v1] at level 1.
  await db.compactRange(j, j);
  await snapshot.close();
  // LevelDB's own Get now answers the older version: the folder holds the defect's state.
  expect(Number((await db.get(k)).version.N)).toBe(1);
  await db.close();

  server = await startTestDynamo(temp.dir);
  doc = clientsFor(server.endpoint).doc;
}, 120_000);
afterAll(async () => {
  await server?.close();
  temp.remove();
});

it('reads the newest version of an item whose older version LevelDB 1.20 finds first', async () => {
  expect((await doc.send(new GetCommand({ TableName, Key: key }))).Item?.version).toBe(2);
  expect((await doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [key] } } }))).Responses?.[TableName][0].version).toBe(2);
  expect((await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: key } }] }))).Responses?.[0].Item?.version).toBe(2);
  // A write conditional on the newest version holds; one on the older is refused.
  await expect(doc.send(new PutCommand({ TableName, Item: { ...key, version: 2 }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 1 } }))).rejects.toThrow(/conditional request failed/i);
  await doc.send(new PutCommand({ TableName, Item: { ...key, version: 3 }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 2 } }));
  expect((await doc.send(new GetCommand({ TableName, Key: key }))).Item?.version).toBe(3);
});
