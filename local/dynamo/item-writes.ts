/**
 * PutItem, UpdateItem, DeleteItem and BatchWriteItem through the item writer, so that each one
 * emits its stream records and keeps the expiry index, atomically with the write. Adds what
 * dynalite lacks: ReturnValuesOnConditionCheckFailure (the failed item in the exception).
 */
import type { Store, TableDescription } from './dynalite.ts';
import { dynaliteDb, validateRequest } from './dynalite.ts';
import type { TableCatalog } from './table-catalog.ts';
import { computeItemChange, type ItemChange, type WriteOperation } from './item-change.ts';
import type { ItemWriter } from './item-writer.ts';
import { conditionalCheckFailed, isConditionalCheckFailure, validationException } from './errors.ts';

type ReturnOnFailure = 'ALL_OLD' | 'NONE' | undefined;

/** Dynalite's validators drop members they do not know; this one they lack. */
export function takeReturnOnFailure(request: Record<string, unknown>): ReturnOnFailure {
  const value = request.ReturnValuesOnConditionCheckFailure;
  if (value === undefined || value === null) return undefined;
  if (value !== 'ALL_OLD' && value !== 'NONE') {
    throw validationException(
      `1 validation error detected: Value '${String(value)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
    );
  }
  return value;
}

/** dynalite's key of the item a single-item request addresses, after checking it against the schema. */
export function itemKeyOf(op: WriteOperation | 'ConditionCheck', data: any, table: TableDescription): string {
  const invalid = op === 'PutItem' ? dynaliteDb.validateItem(data.Item, table) : dynaliteDb.validateKey(data.Key, table);
  if (invalid) throw invalid;
  return dynaliteDb.createKey(op === 'PutItem' ? data.Item : data.Key, table);
}

export class ItemWrites {
  constructor(
    private readonly store: Store,
    private readonly tables: TableCatalog,
    private readonly writer: ItemWriter,
  ) {}

  async single(op: WriteOperation, request: Record<string, unknown>): Promise<unknown> {
    const returnOnFailure = takeReturnOnFailure(request);
    const data = validateRequest(op, request, this.store);
    const table = await this.tables.get(data.TableName);
    const itemKey = itemKeyOf(op, data, table);
    return this.writer.apply([{ table, itemKey }], async ([current]) => {
      try {
        const change = await computeItemChange(this.store, table, op, data, itemKey, current);
        return { changes: [change], result: change.result };
      } catch (err) {
        if (isConditionalCheckFailure(err) && returnOnFailure === 'ALL_OLD' && current) throw conditionalCheckFailed(current);
        throw err;
      }
    });
  }

  /** All of a batch's items are committed in one LevelDB batch: nothing is ever left unprocessed. */
  async batch(request: Record<string, unknown>): Promise<unknown> {
    const data = validateRequest('BatchWriteItem', request, this.store);
    const writes: Array<{ op: WriteOperation; data: any; table: TableDescription; itemKey: string }> = [];
    for (const [tableName, requests] of Object.entries(data.RequestItems as Record<string, any[]>)) {
      const table = await this.tables.get(tableName);
      const seen = new Set<string>();
      for (const req of requests) {
        const write = req.PutRequest
          ? { op: 'PutItem' as const, data: { TableName: tableName, Item: req.PutRequest.Item } }
          : { op: 'DeleteItem' as const, data: { TableName: tableName, Key: req.DeleteRequest.Key } };
        let itemKey: string;
        try {
          itemKey = itemKeyOf(write.op, write.data, table);
        } catch {
          throw validationException('The provided key element does not match the schema');
        }
        if (seen.has(itemKey)) throw validationException('Provided list of item keys contains duplicates');
        seen.add(itemKey);
        if (data.ReturnConsumedCapacity) (write.data as any).ReturnConsumedCapacity = data.ReturnConsumedCapacity;
        writes.push({ ...write, table, itemKey });
      }
    }
    return this.writer.apply(writes, async (current) => {
      const changes: ItemChange[] = [];
      for (const [i, w] of writes.entries()) {
        changes.push(await computeItemChange(this.store, w.table, w.op, w.data, w.itemKey, current[i]));
      }
      return { changes, result: { UnprocessedItems: {}, ...consumedCapacity(data.ReturnConsumedCapacity, changes) } };
    });
  }
}

function consumedCapacity(mode: string | undefined, changes: ItemChange[]) {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const units = new Map<string, number>();
  for (const c of changes) {
    const used = (c.result.ConsumedCapacity as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0;
    units.set(c.table.TableName, (units.get(c.table.TableName) ?? 0) + used);
  }
  return {
    ConsumedCapacity: [...units].map(([TableName, CapacityUnits]) => ({
      TableName,
      CapacityUnits,
      ...(mode === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
    })),
  };
}
