/**
 * Computes what one write does to one item, without writing: dynalite's own PutItem/UpdateItem/
 * DeleteItem action runs against a store that serves the current item and records the LevelDB
 * operations it would perform. The caller commits those operations (plus stream records) in one
 * atomic LevelDB batch, which is what makes every write path all-or-nothing across a crash.
 */
import {
  type AttributeMap,
  type BatchOp,
  type Callback,
  type Store,
  type TableDescription,
  dynaliteActions,
  indexPrefix,
  itemPrefix,
} from './dynalite.ts';

export type WriteOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

export interface ItemChange {
  table: TableDescription;
  /** dynalite's key of the item in the item sub-database. */
  itemKey: string;
  oldItem: AttributeMap | undefined;
  newItem: AttributeMap | undefined;
  /** Item and index writes, fully prefixed. */
  ops: BatchOp[];
  /** The action's response (ReturnValues, ConsumedCapacity). */
  result: Record<string, unknown>;
}

const notFound = () => Object.assign(new Error('NotFound'), { name: 'NotFoundError' });

/**
 * Runs `op` for an already-validated request against `current` (the item as stored, or undefined).
 * Rejects with dynalite's error (ConditionalCheckFailedException, ValidationException, ...).
 */
export function computeItemChange(
  store: Store,
  table: TableDescription,
  op: WriteOperation,
  data: any,
  itemKey: string,
  current: AttributeMap | undefined,
): Promise<ItemChange> {
  const ops: BatchOp[] = [];
  let newItem = current;
  const itemDb = {
    // The caller already holds the item's lock.
    lock: (_key: string, fn: (release: (cb: Callback) => Callback) => void) => fn((cb) => cb),
    get: (_key: string, cb: Callback) => (current ? cb(null, current) : cb(notFound())),
    put: (key: string, item: AttributeMap, cb: Callback) => {
      ops.push({ type: 'put', key: itemPrefix(table.TableName) + key, value: item });
      newItem = item;
      cb(null);
    },
    del: (key: string, cb: Callback) => {
      ops.push({ type: 'del', key: itemPrefix(table.TableName) + key });
      newItem = undefined;
      cb(null);
    },
  };
  const recordingStore = {
    options: store.options,
    getTable: (_name: string, a: unknown, b?: Callback) => ((b ?? a) as Callback)(null, table),
    getItemDb: () => itemDb,
    getIndexDb: (indexType: string, tableName: string, indexName: string) => {
      const prefix = indexPrefix(indexType, tableName, indexName);
      return {
        put: (key: string, value: unknown, cb: Callback) => {
          ops.push({ type: 'put', key: prefix + key, value });
          cb(null);
        },
        del: (key: string, cb: Callback) => {
          ops.push({ type: 'del', key: prefix + key });
          cb(null);
        },
      };
    },
  };
  return new Promise((resolve, reject) => {
    dynaliteActions[op](recordingStore, data, (err, result) => {
      if (err) reject(err);
      else resolve({ table, itemKey, oldItem: current, newItem, ops, result });
    });
  });
}
