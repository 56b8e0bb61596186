/**
 * The DynamoDB JSON endpoint the AWS SDK talks to. Operations dynalite implements faithfully go
 * straight to its actions, in this process; the ones the shim owns (every write, transactions,
 * TimeToLive) go to the shim's modules.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { DYNALITE_OPERATIONS, type Store, runAction, validateRequest } from './dynalite.ts';
import type { TableCatalog } from './table-catalog.ts';
import { DynamoServiceError, fromDynalite, parseRequest, serializationException, unknownOperation, validationException } from './errors.ts';
import type { ItemWrites } from './item-writes.ts';
import type { Transactions } from './transactions.ts';
import { type TimeToLive, UpdateTimeToLiveRequest } from './time-to-live.ts';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const TARGET_PREFIX = 'DynamoDB_20120810.';

type Handler = (request: Record<string, unknown>) => Promise<unknown>;

/** dynalite's item reads, whose table lookups the catalog serves. */
const READS: ReadonlySet<string> = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

export interface EndpointParts {
  store: Store;
  tables: TableCatalog;
  itemWrites: ItemWrites;
  transactions: Transactions;
  ttl: TimeToLive;
}

/** One DynamoDB operation by name, with its request as the JSON API takes it; errors are DynamoServiceError. */
export type DynamoDispatch = (operation: string, request: Record<string, unknown>) => Promise<unknown>;

/** The operations the endpoint serves, callable in this process (a request object is used once: validation edits it). */
export function createDispatch(parts: EndpointParts): DynamoDispatch {
  const handlers = operationHandlers(parts);
  return async (operation, request) => {
    const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
    if (!handler) throw unknownOperation();
    try {
      return (await handler(request)) ?? {};
    } catch (err) {
      throw fromDynalite(err);
    }
  };
}

export function createEndpoint(dispatch: DynamoDispatch): Server {
  return createServer((req, res) => {
    readBody(req)
      .then((body) => serve(dispatch, req, body))
      .then(
        (result) => send(req, res, 200, result),
        (err) => {
          const error = fromDynalite(err);
          if (error.statusCode >= 500) console.error('[dynamo] internal error:', err);
          send(req, res, error.statusCode, error.body());
        },
      );
  });
}

function operationHandlers({ store, tables, itemWrites, transactions, ttl }: EndpointParts): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const op of DYNALITE_OPERATIONS) {
    // The reads look their table up in the catalog; the table actions read it from LevelDB (they
    // change it, and DescribeTable shows its status of the moment).
    const actionStore = READS.has(op) ? tables.readStore : store;
    handlers[op] = async (request) => runAction(op, actionStore, validateRequest(op, request, store));
  }
  /** A dynalite table operation; the catalog must not go on serving the table as it was. */
  const changeTable = async (op: 'UpdateTable' | 'DeleteTable', request: Record<string, unknown>) => {
    const data = validateRequest(op, request, store);
    tables.forget(data.TableName);
    try {
      return await runAction(op, store, data);
    } finally {
      tables.forget(data.TableName);
    }
  };
  return {
    ...handlers,
    PutItem: (r) => itemWrites.single('PutItem', r),
    UpdateItem: (r) => itemWrites.single('UpdateItem', r),
    DeleteItem: (r) => itemWrites.single('DeleteItem', r),
    BatchWriteItem: (r) => itemWrites.batch(r),
    TransactWriteItems: (r) => transactions.write(r),
    TransactGetItems: (r) => transactions.get(r),
    CreateTable: async (r) => {
      const result = await createTable(store, r);
      tables.forget(String(r.TableName));
      return result;
    },
    UpdateTable: (r) => changeTable('UpdateTable', r),
    DeleteTable: async (r) => {
      const result = await changeTable('DeleteTable', r);
      // A table created again under this name starts without TTL, as in DynamoDB.
      const tableName = String(r.TableName);
      const attribute = ttl.attributeOf(tableName);
      if (attribute) await ttl.update({ TableName: tableName, TimeToLiveSpecification: { Enabled: false, AttributeName: attribute } });
      return result;
    },
    DescribeTimeToLive: async (r) => {
      const data = validateRequest('DescribeTimeToLive', r, store);
      await tables.get(data.TableName);
      return ttl.describe(data.TableName);
    },
    UpdateTimeToLive: async (r) => {
      const request = parseRequest(UpdateTimeToLiveRequest, r);
      await tables.get(request.TableName);
      return ttl.update(request);
    },
  };
}

/** Dynalite's CreateTable ignores StreamSpecification; the shim records it on the table. */
async function createTable(store: Store, request: Record<string, unknown>) {
  // Read before validation: dynalite's type check deletes members it does not know.
  const spec = request.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  const data = validateRequest('CreateTable', request, store);
  if (spec?.StreamEnabled) {
    const label = new Date().toISOString().replace(/Z$/, '');
    const { awsRegion, awsAccountId } = store.tableDb;
    data.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.StreamViewType ?? 'NEW_AND_OLD_IMAGES' };
    data.LatestStreamLabel = label;
    data.LatestStreamArn = `arn:aws:dynamodb:${awsRegion}:${awsAccountId}:table/${data.TableName}/stream/${label}`;
  }
  return runAction('CreateTable', store, data);
}

async function serve(dispatch: DynamoDispatch, req: IncomingMessage, body: string): Promise<unknown> {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) throw unknownOperation();
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch (err) {
    throw new DynamoServiceError('com.amazon.coral.service#SerializationException', 'Malformed JSON', 400, {}, { cause: err });
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw serializationException('Expected a JSON object');
  return dispatch(target.slice(TARGET_PREFIX.length), request as Record<string, unknown>);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) reject(validationException('Request too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(req: IncomingMessage, res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  const contentType = String(req.headers['content-type'] ?? '').startsWith('application/json') ? 'application/json' : 'application/x-amz-json-1.0';
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomBytes(26).toString('hex').toUpperCase(),
  });
  res.end(body);
}
