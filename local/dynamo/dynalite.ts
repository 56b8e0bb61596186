/**
 * Typed access to dynalite's own modules. The shim runs dynalite in this process and reuses its
 * validation, expression evaluation and per-action logic instead of re-implementing DynamoDB.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A DynamoDB attribute map as stored by dynalite (the wire format). */
export type AttributeMap = Record<string, any>;

/** Dynalite's error convention: an Error with the HTTP status and the JSON body to send. */
export interface DynaliteError extends Error {
  statusCode?: number;
  body?: { __type: string; message?: string; [k: string]: unknown };
}

export type Callback<T = any> = (err: DynaliteError | null | undefined, result?: T) => void;

/** One LevelDB write, with the full (prefixed) key. */
export type BatchOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

export interface TableDescription {
  TableName: string;
  TableArn: string;
  TableStatus: string;
  KeySchema: Array<{ AttributeName: string; KeyType: string }>;
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  LatestStreamLabel?: string;
  [k: string]: unknown;
}

/** The Level instance dynalite opens (level 10 / abstract-level 3), with dynalite's callback wrappers. */
export interface LevelDb {
  batch(ops: BatchOp[]): Promise<void>;
  get(key: string): Promise<any>;
  put(key: string, value: unknown): Promise<void>;
  getMany(keys: string[]): Promise<any[]>;
  iterator(opts: Record<string, unknown>): {
    all(): Promise<Array<[string, any]>>;
    seek(target: string): void;
    next(): Promise<[string, any] | undefined>;
    close(): Promise<void>;
  };
  keys(opts: Record<string, unknown>): { all(): Promise<string[]> };
  clear(opts: Record<string, unknown>): Promise<void>;
  open(): Promise<void>;
}

export interface SubDb {
  get(key: string, cb: Callback): void;
  put(key: string, value: unknown, cb: Callback): void;
  del(key: string, cb: Callback): void;
  lock(key: string, fn: (release: (cb: Callback) => Callback) => void): void;
}

export interface Store {
  options: { maxItemSize: number; [k: string]: unknown };
  db: LevelDb;
  tableDb: SubDb & { awsRegion: string; awsAccountId: string };
  getTable(name: string, checkStatus: boolean | Callback<TableDescription>, cb?: Callback<TableDescription>): void;
  getItemDb(name: string): SubDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): SubDb;
  lifecycleManager: { gracefulClose(cb: (err?: Error) => void): void };
}

export type Action = (store: any, data: any, cb: Callback) => void;

export interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: any, store: Store) => string | undefined;
}

export const dynaliteDb = require('dynalite/db') as {
  create(opts: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }): Store;
  createKey(item: AttributeMap, table: TableDescription): string;
  /** An item's size as DynamoDB counts it for its limits (names and values). */
  itemSize(item: AttributeMap): number;
  validationError(msg: string): DynaliteError;
  mapPaths(paths: unknown, item: AttributeMap): AttributeMap;
  validateKey(key: AttributeMap, table: TableDescription): DynaliteError | undefined;
  validateItem(item: AttributeMap, table: TableDescription): DynaliteError | undefined;
  validateKeyPaths(paths: unknown, table: TableDescription): DynaliteError | undefined;
  getIndexActions(
    indexes: unknown[],
    existingItem: AttributeMap | undefined,
    item: AttributeMap | undefined,
    table: TableDescription,
  ): { puts: Array<{ index: string; key: string; item: AttributeMap }>; deletes: Array<{ index: string; key: string }> };
};

export const dynaliteValidations = require('dynalite/validations') as {
  checkTypes(data: any, types: unknown): any;
  checkValidations(data: any, types: unknown, custom: ActionValidation['custom'], store: Store): void;
  toLowerFirst(s: string): string;
};

/** The operations dynalite implements, by their DynamoDB names. */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable',
  'DescribeTimeToLive', 'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource',
  'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable',
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export const dynaliteActions = Object.fromEntries(
  DYNALITE_OPERATIONS.map((op) => [op, require(`dynalite/actions/${lowerFirst(op)}`) as Action]),
) as Record<DynaliteOperation, Action>;

export const dynaliteActionValidations = Object.fromEntries(
  DYNALITE_OPERATIONS.map((op) => [op, require(`dynalite/validations/${lowerFirst(op)}`) as ActionValidation]),
) as Record<DynaliteOperation, ActionValidation>;

/** Check a request's types and values as dynalite (and DynamoDB) do; returns the normalised request. */
export function validateRequest(op: DynaliteOperation, request: unknown, store: Store): any {
  const v = dynaliteActionValidations[op];
  const data = dynaliteValidations.checkTypes(request, v.types);
  dynaliteValidations.checkValidations(data, v.types, v.custom, store);
  return data;
}

/** Run one of dynalite's actions as a promise. */
export function runAction(op: DynaliteOperation, store: unknown, data: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    dynaliteActions[op](store, data, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The table's description; with `checkStatus`, a table being created or deleted is not found (as dynalite's item actions see it). */
export function getTable(store: Store, name: string, checkStatus = false): Promise<TableDescription> {
  return new Promise((resolve, reject) => store.getTable(name, checkStatus, (err, t) => (err ? reject(err) : resolve(t!))));
}

/** The LevelDB key prefixes dynalite uses for a table's items and index entries. */
export const itemPrefix = (table: string) => `item-${table}~`;
export const indexPrefix = (indexType: string, table: string, index: string) =>
  `index-${indexType.toLowerCase()}~${table}~${index}~`;
