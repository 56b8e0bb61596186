/**
 * Records in the table: every write is conditional on the version the caller last saw, and
 * every change writes a history item (who, when, field, old, new) in the same transaction, so
 * a stale edit is refused with the current record and no change goes unrecorded.
 *
 * A write is first planned (`creation`, `change`: the record as it will be and its items: the
 * record, its history item and the items derived from it, see derived-items.ts) and then
 * committed, alone or with others in one transaction (a lead conversion writes four).
 *
 * Reads keep to the actor's scope (access/record-scope.ts: records they own or are assigned to; `getRecord`, `findRecord`, `visibleRecords`, `listRecords`,
 * `recordHistory`, and the current record a conflict answers with): a record outside it does
 * not exist for them, and nothing they are answered names it. The system's own bookkeeping
 * (a merge finding every record that points at another, an import's duplicates, snapshots,
 * purges) reads past every scope through the functions named `...Unscoped`, and never answers a
 * caller with what they return (test/access/unscoped-reads.test.ts lists who calls them, and why).
 */
import { ulid } from 'ulid';
import { batchGetAll, callStore, cancellationCodes, getItem, queryAll, queryItems, tableName, transactWriteItems, type TransactItem } from '../store/commands.ts';
import { StoreError } from '../store/store-error.ts';
import { HISTORY_SK_PREFIX, RECORD_SK, changeKeys, historySk, indexKeys, listKeys, recordPk, trashKeys, type RecordType } from './keys.ts';
import { RecordNotFoundError, VersionConflictError, type StoredRecord } from './errors.ts';
import { assertFits } from './item-size.ts';
import { derivedWrites, type IndexedType } from './derived-items.ts';
import { inScope } from '../access/record-scope.ts';
import type { Actor, Writer } from '../access/actor.ts';
import { RECORD_TYPES } from './record-types.ts';

export type Fields = Record<string, unknown>;

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

/** The live record (not one in the trash) in the actor's scope; else not found. */
export async function getRecord(actor: Actor, type: RecordType, id: string): Promise<StoredRecord> {
  const item = await findRecord(actor, type, id);
  if (!item || item.deletedAt) throw new RecordNotFoundError(type, id);
  return item;
}

/** The record in the actor's scope, in the trash or not; undefined when it does not exist for them. */
export async function findRecord(actor: Actor, type: RecordType, id: string): Promise<StoredRecord | undefined> {
  const item = await readRecordUnscoped(actor.tenant, type, id);
  return item && inScope(actor, type, item) ? item : undefined;
}

/**
 * The live records in the actor's scope among those named; the rest (gone, trashed, out of scope)
 * are left out alike. With `only`, just those fields of each (and what the scope is decided by):
 * a search or the names of a relation column read a name, not 300 records of up to 400 KB.
 */
export async function visibleRecords(actor: Actor, keys: Array<{ type: RecordType; id: string }>, only?: readonly string[]): Promise<StoredRecord[]> {
  const fields = only && [...new Set([...only, ...SCOPE_FIELDS])];
  return (await readTyped(actor.tenant, keys, fields)).filter(({ type, record }) => !record.deletedAt && inScope(actor, type, record)).map(({ record }) => record);
}

/** What a record's liveness and scope are read from, of every type (owner, assignees). */
const SCOPE_FIELDS = ['id', 'version', 'recordType', 'deletedAt', 'owner', ...new Set(RECORD_TYPES.flatMap((type) => type.assignees ?? []))];

/** The record as stored, in the trash or not, whoever owns it: for the system's bookkeeping only. */
export async function readRecordUnscoped(tenant: string, type: RecordType, id: string): Promise<StoredRecord | undefined> {
  const result = await callStore('read record', () => getItem({ Key: { pk: recordPk(tenant, type, id), sk: RECORD_SK }, ConsistentRead: true }));
  return result.Item ? toRecord(result.Item) : undefined;
}

/** Many records at once as stored (missing ones are left out), whoever owns them: for the system's bookkeeping only. */
export async function readRecordsUnscoped(tenant: string, keys: Array<{ type: RecordType; id: string }>): Promise<StoredRecord[]> {
  return (await readTyped(tenant, keys)).map(({ record }) => record);
}

/** Records by key, each with its type (and only `fields` of it, when named). */
async function readTyped(tenant: string, keys: Array<{ type: RecordType; id: string }>, fields?: readonly string[]): Promise<Array<{ type: RecordType; record: StoredRecord }>> {
  const unique = [...new Map(keys.map((key) => [recordPk(tenant, key.type, key.id), key])).keys()];
  const items = await batchGetAll('read records', unique.map((pk) => ({ pk, sk: RECORD_SK })), { fields });
  return items.map((item) => ({ type: item.recordType as RecordType, record: toRecord(item) }));
}

interface ListPage {
  limit: number;
  /** The `nextCursor` of the page before. */
  after?: string;
  trash?: boolean;
}

/**
 * One page of a tenant's live (or trashed) records of a type, in creation order, in the actor's
 * scope. A page may hold fewer than `limit` (the records read that are out of scope are left
 * out) and still have a next one. The cursor goes on from the last record read; when the actor
 * may not see that record, the cursor is not its id but a position just past it (a prefix of
 * its id and `~`, before the record that follows), so a page never names a record out of scope.
 */
export async function listRecords(actor: Actor, type: RecordType, page: ListPage): Promise<Page> {
  // One more than the page: the record after the last one places a cursor that names neither.
  const { items, more } = await queryList(actor.tenant, type, { ...page, limit: page.limit + 1 });
  const read = items.slice(0, page.limit);
  const last = read.at(-1);
  const visible = read.filter((record) => inScope(actor, type, record));
  if (!last || (items.length <= page.limit && !more)) return { items: visible };
  const next = items[page.limit] ?? (await queryList(actor.tenant, type, { ...page, limit: 1, after: last.id })).items[0];
  if (!next) return { items: visible };
  return { items: visible, nextCursor: inScope(actor, type, last) ? last.id : positionBetween(last.id, next.id) };
}

/** Every record of a type as listed, whoever owns it, a page at a time: for the system's bookkeeping only (snapshots, an import's duplicates). */
export async function listRecordsUnscoped(tenant: string, type: RecordType, page: ListPage): Promise<Page> {
  const { items, more } = await queryList(tenant, type, page);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? last.id : undefined };
}

/**
 * A position after `id` and before `next` (ids in order) that names neither: `id` up to the first
 * character where the two differ, and `~`, which sorts after every character of an id.
 */
function positionBetween(id: string, next: string): string {
  let common = 0;
  while (id[common] === next[common]) common++;
  return `${id.slice(0, common + 1)}~`;
}

async function queryList(tenant: string, type: RecordType, page: ListPage): Promise<{ items: StoredRecord[]; more: boolean }> {
  const keysOf = page.trash ? trashKeys : listKeys;
  const result = await callStore('list records', () =>
    queryItems({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keysOf(tenant, type, '').gsi1pk },
      Limit: page.limit,
      // The cursor is an id or a position: the start key is rebuilt with the caller's tenant.
      ExclusiveStartKey: page.after ? { pk: recordPk(tenant, type, page.after), sk: RECORD_SK, ...keysOf(tenant, type, page.after) } : undefined,
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), more: result.LastEvaluatedKey !== undefined };
}

/**
 * A tenant's records of a type, live and trashed, whose last change was stamped at `since` or
 * later (gsi5), oldest change first, every page of them; or, with `atMost`, pages only until more
 * than that many are found (the caller sees a longer list and knows there are too many to read).
 */
export async function listChangedSinceUnscoped(tenant: string, type: RecordType, since: string, atMost = Infinity): Promise<StoredRecord[]> {
  const found: StoredRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await callStore('list changed records', () =>
      queryItems({
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk >= :since',
        ExpressionAttributeValues: { ':pk': changeKeys(tenant, type, { id: '' }).gsi5pk, ':since': since },
        ExclusiveStartKey: start,
      }),
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
export function creation(actor: Writer, indexed: IndexedType, fields: Fields, at: string, id: string = ulid(), request?: string): RecordWrite {
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
export function change(actor: Writer, indexed: IndexedType, current: StoredRecord, fields: Fields, at: string, options: ChangeOptions = {}): RecordWrite {
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
 * condition fails, it changed (or vanished) since it was read: the caller gets the current one,
 * if they may see it; one handed out of their scope meanwhile is not found, as any other.
 */
export async function commit(actor: Actor, writes: RecordWrite[]): Promise<void> {
  try {
    await transactWriteItems(writes.flatMap((write) => write.items));
  } catch (err) {
    const failed = cancellationCodes(err)?.indexOf('ConditionalCheckFailed') ?? -1;
    const write = failed >= 0 ? writeAt(writes, failed) : undefined;
    if (write) {
      const current = await findRecord(actor, write.type, write.id);
      if (!current || (current.deletedAt && write.expectedVersion > 0)) throw new RecordNotFoundError(write.type, write.id, { cause: err });
      throw new VersionConflictError(write.expectedVersion, current);
    }
    throw new StoreError(`could not write ${writes.map((w) => `${w.type.toLowerCase()} ${w.id}`).join(', ')}`, { cause: err });
  }
}

/** Whether the change that made `version` of the record came from the request with `key`. */
export async function madeByRequest(tenant: string, type: RecordType, id: string, version: number, key: string): Promise<boolean> {
  const result = await callStore('read history', () => getItem({ Key: { pk: recordPk(tenant, type, id), sk: historySk(version) }, ConsistentRead: true }));
  return result.Item?.request === key;
}

/**
 * The record's change history, oldest first, every page of it (a long history of large
 * changes passes Query's 1 MB a page), when the actor may see the record: live, in the trash,
 * or purged for good (its history outlives it). Scope is judged by the record's owner and
 * assignees, or once the record is gone, by those its history ends with (its creator, or the
 * last `owner` change; the last value of each assignee field). A record that never existed,
 * or that the actor may not see, is not found alike.
 */
export async function recordHistory(actor: Actor, type: RecordType, id: string): Promise<HistoryItem[]> {
  // The record and its history are one item collection: one Query reads both.
  const items = await queryAll('read history', {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': recordPk(actor.tenant, type, id) },
    ConsistentRead: true,
  });
  const record = items.find((item) => item.sk === RECORD_SK);
  const history = items.filter((item) => (item.sk as string).startsWith(HISTORY_SK_PREFIX)).map(({ pk, sk, ...entry }) => entry as unknown as HistoryItem);
  if (history.length === 0 || !inScope(actor, type, record ?? holdersInHistory(history))) throw new RecordNotFoundError(type, id);
  return history;
}

/**
 * The owner and the other fields as the last change the history holds left them: whoever
 * created the record owns it unless a change handed it on, and a field holds its last new value.
 */
function holdersInHistory(history: HistoryItem[]): Record<string, unknown> {
  const last: Record<string, unknown> = { owner: history.find((entry) => entry.action === 'created')?.by };
  for (const entry of history) for (const change of entry.changes) last[change.field] = change.new;
  return last;
}

function writeAt(writes: RecordWrite[], itemIndex: number): RecordWrite | undefined {
  let end = 0;
  return writes.find((write) => (end += write.items.length) > itemIndex);
}

function historyItem(actor: Writer, type: RecordType, id: string, entry: HistoryItem): TransactItem {
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
