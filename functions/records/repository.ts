/**
 * Records in the table: every write is conditional on the version the caller last saw, and
 * every change writes a history item (who, when, field, old, new) in the same transaction, so
 * a stale edit is refused with the current record and no change goes unrecorded.
 *
 * A write is first planned (`creation`, `change`: the record as it will be and its items: the
 * record, its history item and the items derived from it, see derived-items.ts) and then
 * committed, alone or with others in one transaction (a lead conversion writes four).
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient, tableName } from '../table.ts';
import { HISTORY_SK_PREFIX, RECORD_SK, changeKeys, historySk, indexKeys, listKeys, recordPk, trashKeys, type RecordType } from './keys.ts';
import { RecordNotFoundError, RecordStoreError, VersionConflictError, type StoredRecord } from './errors.ts';
import { assertFits } from './item-size.ts';
import { derivedWrites, type IndexedType } from './derived-items.ts';

export type Fields = Record<string, unknown>;

/** Who makes a change: the verified subject of the caller's token. */
export interface Actor {
  tenant: string;
  sub: string;
  /**
   * The owners whose records of a type (its key) the actor may see; undefined: every record.
   * Set from the caller's role (access/permissions.ts); a record outside it does not exist for them.
   */
  visibleOwners?: (type: RecordType) => ReadonlySet<string> | undefined;
}

/** Whether the record is in the actor's scope (its owner is one whose records they see). */
export function inScope(actor: Actor, type: RecordType, record: { owner?: unknown }): boolean {
  const owners = actor.visibleOwners?.(type);
  return !owners || owners.has(record.owner as string);
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface HistoryItem {
  version: number;
  action: 'created' | 'updated' | 'deleted' | 'restored';
  at: string;
  by: string;
  changes: FieldChange[];
  /** The idempotency key of the request that made the change (bulk), so a retry can recognise it. */
  request?: string;
}

export interface Page {
  items: StoredRecord[];
  nextCursor?: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A planned write of one record: the record as it will be and the items that write it. */
export interface RecordWrite {
  type: RecordType;
  id: string;
  /** 0 for a creation. */
  expectedVersion: number;
  record: StoredRecord;
  items: TransactItem[];
}

/** Attributes of the item that are the table's business, not the record's. */
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk', 'recordType', 'expiresAt']);

const META = new Set(['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'owner', 'deletedAt', 'deletedBy', 'purgeAt']);
export const isMeta = (field: string) => META.has(field);

/** The live record (not one in the trash). */
export async function getRecord(actor: Actor, type: RecordType, id: string): Promise<StoredRecord> {
  const item = await readRecord(actor.tenant, type, id);
  if (!item || item.deletedAt || !inScope(actor, type, item)) throw new RecordNotFoundError(type, id);
  return item;
}

/** The record as stored, in the trash or not. */
export async function readRecord(tenant: string, type: RecordType, id: string): Promise<StoredRecord | undefined> {
  const result = await callStore('read record', () =>
    documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: recordPk(tenant, type, id), sk: RECORD_SK }, ConsistentRead: true })),
  );
  return result.Item ? toRecord(result.Item) : undefined;
}

/** Many records at once (missing ones are left out), e.g. to check that relations point somewhere. */
export async function readRecords(tenant: string, keys: Array<{ type: RecordType; id: string }>): Promise<StoredRecord[]> {
  const found: StoredRecord[] = [];
  const unique = [...new Map(keys.map((key) => [recordPk(tenant, key.type, key.id), key])).keys()];
  for (let start = 0; start < unique.length; start += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [tableName()]: { Keys: unique.slice(start, start + 100).map((pk) => ({ pk, sk: RECORD_SK })), ConsistentRead: true },
    };
    // BatchGetItem may leave keys unprocessed under load; ask again for those.
    while (request && Object.keys(request).length > 0) {
      const result = await callStore('read records', () => documentClient.send(new BatchGetCommand({ RequestItems: request })));
      found.push(...(result.Responses?.[tableName()] ?? []).map(toRecord));
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return found;
}

/** One page of a tenant's live (or trashed) records of a type, in creation order; `after` is the last id seen. */
export async function listRecords(actor: Actor, type: RecordType, page: { limit: number; after?: string; trash?: boolean }): Promise<Page> {
  const keysOf = page.trash ? trashKeys : listKeys;
  const result = await callStore('list records', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keysOf(actor.tenant, type, '').gsi1pk },
        Limit: page.limit,
        // The cursor is only an id: the start key is rebuilt with the caller's tenant.
        ExclusiveStartKey: page.after ? { pk: recordPk(actor.tenant, type, page.after), sk: RECORD_SK, ...keysOf(actor.tenant, type, page.after) } : undefined,
      }),
    ),
  );
  const items = (result.Items ?? []).map(toRecord);
  // The cursor is the last record read, seen or not, so that the next page goes on from there.
  const last = items.at(-1);
  const owners = actor.visibleOwners?.(type);
  return { items: owners ? items.filter((record) => owners.has(record.owner as string)) : items, nextCursor: result.LastEvaluatedKey && last ? last.id : undefined };
}

/**
 * A tenant's records of a type, live and trashed, whose last change was stamped at `since` or
 * later (gsi5), oldest change first, every page of them; or, with `atMost`, pages only until more
 * than that many are found (the caller sees a longer list and knows there are too many to read).
 */
export async function listChangedSince(tenant: string, type: RecordType, since: string, atMost = Infinity): Promise<StoredRecord[]> {
  const found: StoredRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await callStore('list changed records', () =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi5',
          KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk >= :since',
          ExpressionAttributeValues: { ':pk': changeKeys(tenant, type, { id: '' }).gsi5pk, ':since': since },
          ExclusiveStartKey: start,
        }),
      ),
    );
    found.push(...(result.Items ?? []).map(toRecord));
    start = result.LastEvaluatedKey;
  } while (start && found.length <= atMost);
  return found;
}

/**
 * Plans the creation of a record from validated fields; `indexed`: its type and the tenant's
 * relations of it; `request`: the idempotency key of what creates it (an import job), kept in
 * the history item so that a retry can recognise its own creation (`madeByRequest`).
 */
export function creation(actor: Actor, indexed: IndexedType, fields: Fields, at: string, id: string = ulid(), request?: string): RecordWrite {
  const type = indexed.key;
  const set = withoutNulls(fields);
  const record: StoredRecord = { ...set, id, version: 1, createdAt: at, createdBy: actor.sub, updatedAt: at, updatedBy: actor.sub, owner: actor.sub };
  const changes = Object.keys(set).map((field) => ({ field, old: null, new: set[field] }));
  return {
    type,
    id,
    expectedVersion: 0,
    record,
    items: [
      { Put: { TableName: tableName(), Item: toItem(actor.tenant, type, record, Object.keys(set)), ConditionExpression: 'attribute_not_exists(pk)' } },
      historyItem(actor, type, id, { version: 1, action: 'created', at, by: actor.sub, changes, ...(request ? { request } : {}) }),
      ...derivedItems(actor.tenant, indexed, undefined, record),
    ],
  };
}

export interface ChangeOptions {
  action?: HistoryItem['action'];
  /** Metadata to set (a null removes it), e.g. `deletedAt` when trashing. Not listed as field changes. */
  meta?: Record<string, unknown>;
  /** The idempotency key of the request, kept in the history item. */
  request?: string;
}

/** Plans a change of single fields of `current` (a null clears a field); the write holds only if it is still at its version. */
export function change(actor: Actor, indexed: IndexedType, current: StoredRecord, fields: Fields, at: string, options: ChangeOptions = {}): RecordWrite {
  const type = indexed.key;
  const changes = Object.entries(fields)
    .filter(([field, value]) => !sameValue(current[field], value))
    .map(([field, value]) => ({ field, old: current[field] ?? null, new: value ?? null }));
  const record = withoutNulls({ ...current, ...fields, ...options.meta, version: current.version + 1, updatedAt: at, updatedBy: actor.sub }) as StoredRecord;
  const history: HistoryItem = { version: record.version, action: options.action ?? 'updated', at, by: actor.sub, changes, request: options.request };
  return {
    type,
    id: current.id,
    expectedVersion: current.version,
    record,
    items: [
      {
        Put: {
          TableName: tableName(),
          Item: toItem(actor.tenant, type, record, Object.keys(fields)),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': current.version },
        },
      },
      historyItem(actor, type, current.id, history),
      ...derivedItems(actor.tenant, indexed, current, record),
    ],
  };
}

/**
 * Writes the planned records and their history items in one transaction. When a record's
 * condition fails, it changed (or vanished) since it was read: the caller gets the current one.
 */
export async function commit(actor: Actor, writes: RecordWrite[]): Promise<void> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: writes.flatMap((write) => write.items) }));
  } catch (err) {
    const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    const failed = reasons?.findIndex((reason) => reason.Code === 'ConditionalCheckFailed') ?? -1;
    const write = (err as Error).name === 'TransactionCanceledException' && failed >= 0 ? writeAt(writes, failed) : undefined;
    if (write) {
      const current = await readRecord(actor.tenant, write.type, write.id);
      if (!current || (current.deletedAt && write.expectedVersion > 0)) throw new RecordNotFoundError(write.type, write.id);
      throw new VersionConflictError(write.expectedVersion, current);
    }
    throw new RecordStoreError(`could not write ${writes.map((w) => `${w.type.toLowerCase()} ${w.id}`).join(', ')}`, { cause: err });
  }
}

/** Whether the change that made `version` of the record came from the request with `key`. */
export async function madeByRequest(tenant: string, type: RecordType, id: string, version: number, key: string): Promise<boolean> {
  const result = await callStore('read history', () =>
    documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: recordPk(tenant, type, id), sk: historySk(version) }, ConsistentRead: true })),
  );
  return result.Item?.request === key;
}

/**
 * The record's change history, oldest first, every page of it (a long history of large
 * changes passes Query's 1 MB a page). A record that never existed has none: not found; one in
 * the trash keeps its own.
 */
export async function recordHistory(actor: Actor, type: RecordType, id: string): Promise<HistoryItem[]> {
  const items = await queryAll('read history', {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
    ExpressionAttributeValues: { ':pk': recordPk(actor.tenant, type, id), ':history': HISTORY_SK_PREFIX },
  });
  if (items.length === 0) throw new RecordNotFoundError(type, id);
  return items.map(({ pk, sk, ...entry }) => entry as unknown as HistoryItem);
}

function writeAt(writes: RecordWrite[], itemIndex: number): RecordWrite | undefined {
  let end = 0;
  return writes.find((write) => (end += write.items.length) > itemIndex);
}

function historyItem(actor: Actor, type: RecordType, id: string, entry: HistoryItem): TransactItem {
  const item = { pk: recordPk(actor.tenant, type, id), sk: historySk(entry.version), ...entry };
  assertFits(item, entry.changes.map((c) => c.field));
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      // A history item is written once; meeting one means two writers raced for this version.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The derived items (derived-items.ts) that change with the record, in the same transaction. */
function derivedItems(tenant: string, indexed: IndexedType, before: StoredRecord | undefined, after: StoredRecord): TransactItem[] {
  const writes = derivedWrites(tenant, indexed, before, after);
  return [...writes.put.map((Item): TransactItem => ({ Put: { TableName: tableName(), Item } })), ...writes.delete.map((Key): TransactItem => ({ Delete: { TableName: tableName(), Key } }))];
}

/** The item of a record with every index key; `changed` names the fields to blame if it is too large. */
function toItem(tenant: string, type: RecordType, record: StoredRecord, changed: string[]): Record<string, unknown> {
  const { purgeAt } = record;
  const item = {
    ...record,
    pk: recordPk(tenant, type, record.id),
    sk: RECORD_SK,
    ...indexKeys(tenant, type, record),
    recordType: type,
    // The table's TTL removes a trashed record for good once its time in the trash is over.
    expiresAt: typeof purgeAt === 'string' ? Math.floor(Date.parse(purgeAt) / 1000) : undefined,
  };
  assertFits(item, changed);
  return item;
}

function toRecord(item: Record<string, unknown>): StoredRecord {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !STORAGE_ATTRIBUTES.has(key))) as StoredRecord;
}

function withoutNulls<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined)) as T;
}

/** Whether two values of a field are the same (null and absent alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A table call whose failure is the store's (a RecordStoreError with the SDK's error as cause). */
export async function callStore<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw new RecordStoreError(`could not ${what}`, { cause: err });
  }
}

/** Every item a Query finds, page after page (a partition of derived items, read whole), or up to `enough` of them. */
export async function queryAll(what: string, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>, enough = Infinity): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await callStore(what, () => documentClient.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < enough);
  return items.slice(0, enough);
}
