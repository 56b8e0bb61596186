/**
 * Records in the table: every write is conditional on the version the caller last saw, and
 * every change writes a history item (who, when, field, old, new) in the same transaction, so
 * a stale edit is refused with the current record and no change goes unrecorded.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient, tableName } from '../table.ts';
import { HISTORY_SK_PREFIX, RECORD_SK, historySk, listKeys, recordPk, type RecordType } from './keys.ts';
import { RecordNotFoundError, RecordStoreError, VersionConflictError, type StoredRecord } from './errors.ts';

export type Fields = Record<string, unknown>;

/** Who makes a change: the verified subject of the caller's token. */
export interface Actor {
  tenant: string;
  sub: string;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface HistoryItem {
  version: number;
  action: 'created' | 'updated' | 'deleted';
  at: string;
  by: string;
  changes: FieldChange[];
}

export interface Page {
  items: StoredRecord[];
  nextCursor?: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'recordType']);

export async function getRecord(actor: Actor, type: RecordType, id: string): Promise<StoredRecord> {
  const item = await readItem(actor.tenant, type, id);
  if (!item) throw new RecordNotFoundError(type, id);
  return item;
}

/** One page of a tenant's records of a type, in creation order; `after` is the last id seen. */
export async function listRecords(actor: Actor, type: RecordType, page: { limit: number; after?: string }): Promise<Page> {
  const { gsi1pk } = listKeys(actor.tenant, type, '');
  const result = await send('list records', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk },
        Limit: page.limit,
        // The cursor is only an id: the start key is rebuilt with the caller's tenant.
        ExclusiveStartKey: page.after
          ? { pk: recordPk(actor.tenant, type, page.after), sk: RECORD_SK, ...listKeys(actor.tenant, type, page.after) }
          : undefined,
      }),
    ),
  );
  const items = (result.Items ?? []).map(toRecord);
  const last = items.at(-1);
  return { items, nextCursor: result.LastEvaluatedKey && last ? last.id : undefined };
}

export async function createRecord(actor: Actor, type: RecordType, fields: Fields): Promise<StoredRecord> {
  const now = new Date().toISOString();
  const record: StoredRecord = {
    ...withoutNulls(fields),
    id: ulid(),
    version: 1,
    createdAt: now,
    createdBy: actor.sub,
    updatedAt: now,
    updatedBy: actor.sub,
    owner: actor.sub,
  };
  const changes = Object.keys(withoutNulls(fields)).map((field) => ({ field, old: null, new: fields[field] }));
  await commit(actor, type, record.id, 0, {
    Put: { TableName: tableName(), Item: toItem(actor.tenant, type, record), ConditionExpression: 'attribute_not_exists(pk)' },
  }, historyItem(actor, type, record.id, 1, 'created', changes, now));
  return record;
}

/** Applies a change of single fields to the version the caller saw; a null clears a field. */
export async function updateRecord(actor: Actor, type: RecordType, id: string, expectedVersion: number, fields: Fields): Promise<StoredRecord> {
  const current = await getRecord(actor, type, id);
  if (current.version !== expectedVersion) throw new VersionConflictError(expectedVersion, current);
  const changes = Object.entries(fields)
    .filter(([field, value]) => !sameValue(current[field], value))
    .map(([field, value]) => ({ field, old: current[field] ?? null, new: value }));
  const now = new Date().toISOString();
  const next: StoredRecord = withoutNulls({
    ...current,
    ...fields,
    version: current.version + 1,
    updatedAt: now,
    updatedBy: actor.sub,
  }) as StoredRecord;
  await commit(actor, type, id, expectedVersion, {
    Put: {
      TableName: tableName(),
      Item: toItem(actor.tenant, type, next),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  }, historyItem(actor, type, id, next.version, 'updated', changes, now));
  return next;
}

export async function deleteRecord(actor: Actor, type: RecordType, id: string, expectedVersion: number): Promise<void> {
  const current = await getRecord(actor, type, id);
  if (current.version !== expectedVersion) throw new VersionConflictError(expectedVersion, current);
  const changes = Object.keys(current)
    .filter((field) => !isMeta(field))
    .map((field) => ({ field, old: current[field], new: null }));
  await commit(actor, type, id, expectedVersion, {
    Delete: {
      TableName: tableName(),
      Key: { pk: recordPk(actor.tenant, type, id), sk: RECORD_SK },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  }, historyItem(actor, type, id, expectedVersion + 1, 'deleted', changes, new Date().toISOString()));
}

/** The record's change history, oldest first. */
export async function recordHistory(actor: Actor, type: RecordType, id: string): Promise<HistoryItem[]> {
  const result = await send('read history', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
        ExpressionAttributeValues: { ':pk': recordPk(actor.tenant, type, id), ':history': HISTORY_SK_PREFIX },
      }),
    ),
  );
  return (result.Items ?? []).map(({ pk, sk, ...entry }) => entry as HistoryItem);
}

/**
 * Writes the record and its history item atomically. When the record's condition fails, the
 * record changed (or vanished) since it was read: the caller gets the current one.
 */
async function commit(actor: Actor, type: RecordType, id: string, expectedVersion: number, write: TransactItem, history: TransactItem) {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: [write, history] }));
  } catch (err) {
    const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if ((err as Error).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed') {
      const current = await readItem(actor.tenant, type, id);
      if (!current) throw new RecordNotFoundError(type, id);
      throw new VersionConflictError(expectedVersion, current);
    }
    throw new RecordStoreError(`could not write ${type.toLowerCase()} ${id}`, { cause: err });
  }
}

async function readItem(tenant: string, type: RecordType, id: string): Promise<StoredRecord | undefined> {
  const result = await send('read record', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName(), Key: { pk: recordPk(tenant, type, id), sk: RECORD_SK }, ConsistentRead: true }),
    ),
  );
  return result.Item ? toRecord(result.Item) : undefined;
}

function historyItem(actor: Actor, type: RecordType, id: string, version: number, action: HistoryItem['action'], changes: FieldChange[], at: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: recordPk(actor.tenant, type, id), sk: historySk(version), version, action, at, by: actor.sub, changes },
      // A history item is written once; meeting one means two writers raced for this version.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function toItem(tenant: string, type: RecordType, record: StoredRecord): Record<string, unknown> {
  return { ...record, pk: recordPk(tenant, type, record.id), sk: RECORD_SK, ...listKeys(tenant, type, record.id), recordType: type };
}

function toRecord(item: Record<string, unknown>): StoredRecord {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !KEY_ATTRIBUTES.has(key))) as StoredRecord;
}

const META = new Set(['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'owner']);
const isMeta = (field: string) => META.has(field);

function withoutNulls<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined)) as T;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

async function send<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw new RecordStoreError(`could not ${what}`, { cause: err });
  }
}
