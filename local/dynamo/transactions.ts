/**
 * TransactWriteItems and TransactGetItems, which dynalite lacks. A write transaction locks all
 * its items, evaluates every action against their current images (collecting a cancellation
 * reason per action, in order, as DynamoDB does), and commits all changes in one atomic batch.
 * A read transaction reads all its items from one LevelDB snapshot; since every write commits
 * as one batch, it never sees half of a transaction.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DynaliteError, LevelDb, Store, TableDescription } from './dynalite.ts';
import { dynaliteDb, itemPrefix, validateRequest } from './dynalite.ts';
import type { TableCatalog } from './table-catalog.ts';
import {
  type CancellationReason,
  idempotentParameterMismatch,
  isConditionalCheckFailure,
  parseRequest,
  transactionCanceled,
  validationException,
} from './errors.ts';
import { computeItemChange, type ItemChange, type WriteOperation } from './item-change.ts';
import type { ItemWriter } from './item-writer.ts';
import { itemKeyOf, takeReturnOnFailure } from './item-writes.ts';
import { keyspace, prefixEnd } from './keyspace.ts';

const MAX_ACTIONS = 100;
/**
 * DynamoDB's limit on the aggregate size of a write transaction's items. Counted here on what the
 * actions leave (a Put's or an Update's item as written) and on the keys of the rest, so that code
 * which passes here also passes in AWS, where an Update of a large item counts the item.
 */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
/** DynamoDB remembers a ClientRequestToken for ten minutes. */
const TOKEN_LIFETIME_MS = 10 * 60 * 1000;

const Action = z.record(z.string(), z.unknown());
const TransactWriteItem = z.object({
  ConditionCheck: Action.optional(),
  Put: Action.optional(),
  Delete: Action.optional(),
  Update: Action.optional(),
});
const TransactWriteItemsRequest = z.object({
  TransactItems: z.array(TransactWriteItem),
  ClientRequestToken: z.string().min(1).max(36).optional(),
  ReturnConsumedCapacity: z.enum(['INDEXES', 'TOTAL', 'NONE']).optional(),
  ReturnItemCollectionMetrics: z.enum(['SIZE', 'NONE']).optional(),
});
const TransactGetItemsRequest = z.object({
  TransactItems: z.array(z.object({ Get: Action })),
  ReturnConsumedCapacity: z.enum(['INDEXES', 'TOTAL', 'NONE']).optional(),
});

const KINDS = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'DeleteItem' } as const;
type Kind = keyof typeof KINDS;

interface PreparedAction {
  kind: Kind;
  data: any;
  table: TableDescription;
  itemKey: string;
  returnOnFailure: 'ALL_OLD' | 'NONE' | undefined;
}

export class Transactions {
  constructor(
    private readonly store: Store,
    private readonly tables: TableCatalog,
    private readonly writer: ItemWriter,
  ) {}

  async write(raw: Record<string, unknown>): Promise<unknown> {
    const request = parseRequest(TransactWriteItemsRequest, raw);
    checkActionCount(request.TransactItems.length);
    const actions: PreparedAction[] = [];
    for (const [i, item] of request.TransactItems.entries()) {
      const kinds = (Object.keys(KINDS) as Kind[]).filter((k) => item[k]);
      if (kinds.length !== 1) {
        throw validationException('TransactItems can only contain one of Check, Put, Update or Delete');
      }
      const kind = kinds[0];
      const body = { ...item[kind]! };
      if (kind === 'ConditionCheck' && typeof body.ConditionExpression !== 'string') {
        throw validationException(
          `1 validation error detected: Value null at 'transactItems.${i + 1}.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null`,
        );
      }
      const returnOnFailure = takeReturnOnFailure(body);
      const data = validateRequest(KINDS[kind], body, this.store);
      const table = await this.tables.get(data.TableName);
      actions.push({ kind, data, table, itemKey: itemKeyOf(KINDS[kind], data, table), returnOnFailure });
    }
    checkDistinctItems(actions);

    const token = request.ClientRequestToken;
    const fingerprint = token && createHash('sha256').update(JSON.stringify({ ...raw, ClientRequestToken: undefined })).digest('hex');
    return this.writer.apply(
      actions,
      async (current) => {
        if (token) {
          const seen = (await this.store.db.get(keyspace.token(token))) as { fingerprint: string; at: number } | undefined;
          if (seen && Date.now() - seen.at < TOKEN_LIFETIME_MS) {
            if (seen.fingerprint !== fingerprint) throw idempotentParameterMismatch();
            return { changes: [], result: {} }; // already committed: the same answer, applied once
          }
        }
        const reasons: CancellationReason[] = [];
        const changes: ItemChange[] = [];
        for (const [i, action] of actions.entries()) {
          try {
            const change = await computeItemChange(this.store, action.table, KINDS[action.kind] as WriteOperation, action.data, action.itemKey, current[i]);
            if (action.kind !== 'ConditionCheck') changes.push(change);
            reasons.push({ Code: 'None' });
          } catch (err) {
            reasons.push(cancellationReason(err, action.returnOnFailure, current[i]));
          }
        }
        // A request over the limit is refused as such whatever its conditions, as in DynamoDB.
        checkAggregateSize(actions, changes);
        if (reasons.some((r) => r.Code !== 'None')) throw transactionCanceled(reasons);
        const extraOps = token ? [{ type: 'put' as const, key: keyspace.token(token), value: { fingerprint, at: Date.now() } }] : [];
        return { changes, extraOps, result: {} };
      },
      token ? [`\u0001token\u0000${token}`] : [],
    );
  }

  async get(raw: Record<string, unknown>): Promise<unknown> {
    const request = parseRequest(TransactGetItemsRequest, raw);
    checkActionCount(request.TransactItems.length);
    const gets: Array<{ data: any; table: TableDescription; itemKey: string }> = [];
    for (const { Get } of request.TransactItems) {
      const data = validateRequest('GetItem', { ...Get }, this.store);
      const table = await this.tables.get(data.TableName);
      const invalid = dynaliteDb.validateKey(data.Key, table) ?? dynaliteDb.validateKeyPaths(data._projection?.nestedPaths, table);
      if (invalid) throw invalid;
      gets.push({ data, table, itemKey: dynaliteDb.createKey(data.Key, table) });
    }
    checkDistinctItems(gets);
    const items = await this.store.db.getMany(gets.map((g) => itemPrefix(g.table.TableName) + g.itemKey));
    return {
      Responses: gets.map((g, i) => {
        const item = items[i];
        if (!item) return {};
        return { Item: g.data._projection ? dynaliteDb.mapPaths(g.data._projection.paths, item) : item };
      }),
    };
  }
}

/** Drops ClientRequestTokens past their lifetime, so that remembering them costs bounded space. */
export async function forgetExpiredTokens(db: LevelDb): Promise<void> {
  const entries = await db.iterator({ gte: keyspace.tokens, lt: prefixEnd(keyspace.tokens) }).all();
  const expired = entries.filter(([, seen]) => Date.now() - (seen as { at: number }).at >= TOKEN_LIFETIME_MS);
  if (expired.length) await db.batch(expired.map(([key]) => ({ type: 'del' as const, key })));
}

function checkAggregateSize(actions: PreparedAction[], changes: ItemChange[]): void {
  const written = changes.reduce((sum, change) => sum + (change.newItem ? dynaliteDb.itemSize(change.newItem) : 0), 0);
  const keys = actions.filter((action) => action.kind === 'Delete' || action.kind === 'ConditionCheck').reduce((sum, action) => sum + dynaliteDb.itemSize(action.data.Key), 0);
  if (written + keys > MAX_TRANSACTION_BYTES) throw validationException('Transaction item size has exceeded the 4 MB limit');
}

function checkActionCount(count: number): void {
  if (count < 1 || count > MAX_ACTIONS) {
    throw validationException(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${
        count < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ACTIONS}`
      }`,
    );
  }
}

function checkDistinctItems(refs: Array<{ table: TableDescription; itemKey: string }>): void {
  const seen = new Set(refs.map((r) => `${r.table.TableName}\u0000${r.itemKey}`));
  if (seen.size !== refs.length) throw validationException('Transaction request cannot include multiple operations on one item');
}

function cancellationReason(err: unknown, returnOnFailure: string | undefined, current: any): CancellationReason {
  if (isConditionalCheckFailure(err)) {
    return {
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed',
      ...(returnOnFailure === 'ALL_OLD' && current ? { Item: current } : {}),
    };
  }
  const body = (err as DynaliteError)?.body;
  if (body?.__type?.endsWith('#ValidationException')) return { Code: 'ValidationError', Message: body.message };
  throw err;
}
