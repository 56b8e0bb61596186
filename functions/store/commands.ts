/**
 * The table's commands, the only place (with table.ts) that speaks the DynamoDB SDK: each call
 * names the table itself, so a module above knows its items and keys, not the client. Failures
 * are the SDK's as they come; `callStore` makes one the store's (a StoreError with the cause),
 * and `conditionFailed`/`cancellationCodes` read the two a conditional write answers with.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './table.ts';
import { StoreError } from './store-error.ts';

export { tableName };

export type Item = Record<string, unknown>;
/** One write of a transaction (each names the table: `tableName()`). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Input<T> = Omit<T, 'TableName'>;

export const getItem = (input: Input<GetCommandInput>) => documentClient.send(new GetCommand({ TableName: tableName(), ...input }));
export const putItem = (input: Input<PutCommandInput>) => documentClient.send(new PutCommand({ TableName: tableName(), ...input }));
export const deleteItem = (input: Input<DeleteCommandInput>) => documentClient.send(new DeleteCommand({ TableName: tableName(), ...input }));
export const updateItem = (input: Input<UpdateCommandInput>) => documentClient.send(new UpdateCommand({ TableName: tableName(), ...input }));
/** One page of a Query. */
export const queryItems = (input: Input<QueryCommandInput>) => documentClient.send(new QueryCommand({ TableName: tableName(), ...input }));
export const transactWriteItems = (items: TransactItem[]) => documentClient.send(new TransactWriteCommand({ TransactItems: items }));

/** A table call whose failure is the store's (a StoreError with the SDK's error as cause). */
export async function callStore<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw new StoreError(`could not ${what}`, { cause: err });
  }
}

/** Every item a Query finds, page after page (a partition of derived items, read whole), or up to `enough` of them. */
export async function queryAll(what: string, input: Omit<Input<QueryCommandInput>, 'ExclusiveStartKey'>, enough = Infinity): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await callStore(what, () => queryItems({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < enough);
  return items.slice(0, enough);
}

/** How many items a query names, every page counted (`Select: COUNT`: the items are read, not sent). */
export async function countAll(what: string, input: Omit<Input<QueryCommandInput>, 'ExclusiveStartKey' | 'Select'>): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const page = await callStore(what, () => queryItems({ ...input, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * The items of these keys (missing ones are left out), `perRequest` keys to a BatchGetItem (at
 * most 100; fewer where items are large: the answer holds at most 16 MB), strongly consistent,
 * asking again for keys left unprocessed under load. With `fields`, only those of each item.
 */
export async function batchGetAll(what: string, keys: Item[], options: { perRequest?: number; fields?: readonly string[] } = {}): Promise<Item[]> {
  const { perRequest = 100, fields } = options;
  const projection = fields && { ProjectionExpression: fields.map((_, i) => `#f${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(fields.map((field, i) => [`#f${i}`, field])) };
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += perRequest) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
      [tableName()]: { Keys: keys.slice(start, start + perRequest), ConsistentRead: true, ...projection },
    };
    while (request && Object.keys(request).length > 0) {
      const result = await callStore(what, () => documentClient.send(new BatchGetCommand({ RequestItems: request })));
      found.push(...(result.Responses?.[tableName()] ?? []));
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return found;
}

/** Puts every item, 25 to a BatchWriteItem, putting again those left unprocessed under load. Failures are the SDK's (see callStore). */
export async function batchPutAll(items: Item[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let request: Record<string, unknown[]> | undefined = { [tableName()]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (request && Object.keys(request).length > 0) {
      const result = await documentClient.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  }
}

/** Whether a conditional write failed its condition (the SDK's error as thrown, or as a StoreError's cause). */
export function conditionFailed(err: unknown): boolean {
  const error = err instanceof StoreError ? err.cause : err;
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * The code of each write of a cancelled transaction, in order (`None`, `ConditionalCheckFailed`,
 * `TransactionConflict`, ...); undefined when the error is no cancellation.
 */
export function cancellationCodes(err: unknown): Array<string | undefined> | undefined {
  if ((err as Error | undefined)?.name !== 'TransactionCanceledException') return undefined;
  return ((err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((reason) => reason.Code);
}

/** How often a transaction cancelled by a concurrent one on the same item is tried (transactRetryingConflicts). */
const CONFLICT_ATTEMPTS = 4;

/**
 * A transaction tried again while DynamoDB cancels it for a concurrent one on the same item
 * (TransactionConflict, no condition failed): two administrators' changes both writing the
 * directory's version, two notifications of one user both counting. A failed condition, or a
 * conflict past the attempts, is thrown as it came.
 */
export async function transactRetryingConflicts(items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await transactWriteItems(items);
      return;
    } catch (err) {
      if (attempt >= CONFLICT_ATTEMPTS || !isConflictOnly(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    }
  }
}

function isConflictOnly(err: unknown): boolean {
  const codes = cancellationCodes(err) ?? [];
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}
