/**
 * The stream log's reading horizon: batches can reach LevelDB out of sequence order, and a
 * reader must never move past a record that is still being committed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynaliteDb, type Store, type TableDescription } from '../../local/dynamo/dynalite.ts';
import { StreamLog } from '../../local/dynamo/stream-log.ts';
import { tempDir } from '../support/dynamo.ts';

const temp = tempDir();
let store: Store;
const table = {
  TableName: 't',
  TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t',
  TableStatus: 'ACTIVE',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  LatestStreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/label',
} satisfies TableDescription;

beforeAll(async () => {
  store = dynaliteDb.create({ path: temp.dir });
  await store.db.open();
});
afterAll(async () => {
  await new Promise<void>((resolve) => store.lifecycleManager.gracefulClose(() => resolve()));
  temp.remove();
});

const item = (id: string, n: number) => ({ id: { S: id }, n: { N: String(n) } });

it('holds back records behind one still being committed, then releases them in order', async () => {
  const log = await StreamLog.open(store.db);
  const first = log.record({ table, oldItem: undefined, newItem: item('a', 1) })!;
  const second = log.record({ table, oldItem: undefined, newItem: item('b', 1) })!;
  expect(second.seq).toBe(first.seq + 1);

  await store.db.batch([second.op]);
  log.settle([second.seq], true);
  expect(await log.read(0, 10)).toEqual([]);

  await store.db.batch([first.op]);
  log.settle([first.seq], true);
  const records = await log.read(0, 10);
  expect(records.map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['a', 'b']);
  expect(await log.read(first.seq, 10)).toHaveLength(1);
});

it('skips a sequence whose batch failed, and records nothing for an unchanged item', async () => {
  const log = await StreamLog.open(store.db);
  const failed = log.record({ table, oldItem: item('c', 1), newItem: item('c', 2) })!;
  const later = log.record({ table, oldItem: item('d', 1), newItem: undefined })!;
  await store.db.batch([later.op]);
  log.settle([later.seq], true);
  log.settle([failed.seq], false);
  const records = await log.read(failed.seq - 1, 10);
  expect(records.map((r) => `${r.eventName} ${r.dynamodb?.Keys?.id?.S}`)).toEqual(['REMOVE d']);
  expect(log.record({ table, oldItem: item('e', 1), newItem: { n: { N: '1' }, id: { S: 'e' } } })).toBeUndefined();
});

it('numbers on after a restart', async () => {
  const before = await StreamLog.open(store.db);
  const last = before.record({ table, oldItem: undefined, newItem: item('f', 1) })!;
  await store.db.batch([last.op]);
  before.settle([last.seq], true);
  const after = await StreamLog.open(store.db);
  expect(after.record({ table, oldItem: undefined, newItem: item('g', 1) })!.seq).toBe(last.seq + 1);
});

it('counts as its backlog the records committed that the slowest consumer has yet to process', async () => {
  const log = await StreamLog.open(store.db);
  expect(log.backlog()).toBe(0);
  log.attach(0);
  log.attach(1);
  const writes = ['f', 'g', 'h'].map((id) => log.record({ table, oldItem: undefined, newItem: item(id, 1) })!);
  await store.db.batch(writes.map((write) => write.op));
  const start = writes[0].seq - 1;
  await log.consumed(0, start);
  await log.consumed(1, start);
  // Committed but not settled: no consumer can read them yet, and they are no backlog yet either.
  expect(log.backlog()).toBe(0);
  log.settle(writes.map((write) => write.seq), true);
  expect(log.backlog()).toBe(3);
  await log.consumed(0, writes[2].seq);
  expect(log.backlog()).toBe(3);
  await log.consumed(1, writes[1].seq);
  expect(log.backlog()).toBe(1);
  await log.consumed(1, writes[2].seq);
  expect(log.backlog()).toBe(0);
});
