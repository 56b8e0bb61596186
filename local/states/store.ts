/**
 * The engine's records in DynamoDB (one table with the app table's key schema: pk/sk strings and
 * gsi1..gsi4). Plain conditional writes only, no transactions.
 *
 *   state machine   pk SFN#SM#<arn>          sk SM          gsi1 SFN#SMS / <name>
 *   execution       pk SFN#EXEC#<arn>        sk EXEC        gsi1 SFN#EXECS#<sm> / <start>#<arn>
 *                                                           gsi2 SFN#EXECS#<sm>#<status> / <start>#<arn>
 *                                                           gsi3 SFN#TIMER / <due ms, padded>   (while a timer is set)
 *                                                           gsi4 SFN#ACTIVE / <arn>              (while it has work to resume)
 *   history events  pk SFN#EXEC#<arn>        sk EV#<id of the first, padded>   (the events of one save)
 *
 * The latest history events ride inside the execution record (`recentEvents`), so that a save
 * is one write; every few dozen events they move out to a history item, written before the
 * record that drops them. Readers merge both, by event id, below the record's `nextEventId`.
 * A crash between the two writes leaves at worst a duplicate, which the merge removes.
 * Task tokens need no records: see task-token.ts.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { applicationTableDefinition } from '../dynamo/table-definition.ts';
import { ApiError } from './errors.ts';
import type { HistoryEvent } from './history.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: number;
  updateDate?: number;
}

export interface ExecutionRecord {
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  definition: string;
  /** The runtime state (threads, variables), JSON; see execution.ts. */
  snapshot: string;
  /** The latest history events (JSON array), kept in the record so that a save is one write. */
  recentEvents?: string;
  nextEventId: number;
  version: number;
  /** The task that started this execution (startExecution.sync:2), to be told when it closes. */
  parent?: { executionArn: string; threadId: string };
  /** Earliest timer (epoch ms) of any waiting thread, or of the execution's own timeout. */
  dueAt?: number;
  /** True while some thread can make progress without an outside event. */
  active: boolean;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const PAD = 16;
const pad = (n: number) => String(n).padStart(PAD, '0');
const encodeToken = (key: unknown) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);
function decodeToken(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw new ApiError('InvalidToken', `Invalid Token: '${token}'`, 400, { cause: err });
  }
}

/**
 * A record as stored, without its key and index attributes: they are derived at each write, and
 * a record read back must not carry stale ones into the next (a closed execution kept in the
 * timer index would be woken at every poll).
 */
function withoutKeys<T>(item: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key !== 'pk' && key !== 'sk' && !/^gsi\d+(pk|sk)$/.test(key)) record[key] = value;
  }
  return record as T;
}

export class StatesStore {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /**
   * Creates the table (the app table's keys and indexes) if it does not exist, so the engine can
   * own a table of its own: without a stream, since its checkpoints are nobody's change feed.
   */
  async ensureTable(): Promise<void> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      return;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    const { StreamSpecification: _none, ...definition } = applicationTableDefinition(this.tableName);
    await this.client.send(new CreateTableCommand(definition));
  }

  // ---- state machines

  async putStateMachine(sm: StateMachineRecord, mode: 'create' | 'update'): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SFN#SM#${sm.arn}`, sk: 'SM', gsi1pk: 'SFN#SMS', gsi1sk: sm.name, ...sm },
          ConditionExpression: mode === 'create' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${arn}`, sk: 'SM' } }));
    return Item ? withoutKeys<StateMachineRecord>(Item) : undefined;
  }

  async deleteStateMachine(arn: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${arn}`, sk: 'SM' } }));
  }

  async listStateMachines(limit: number, nextToken?: string): Promise<Page<StateMachineRecord>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SFN#SMS' },
        Limit: limit,
        ExclusiveStartKey: decodeToken(nextToken),
      }),
    );
    return { items: (out.Items ?? []) as StateMachineRecord[], nextToken: encodeToken(out.LastEvaluatedKey) };
  }

  // ---- executions

  private executionItem(record: ExecutionRecord): Record<string, unknown> {
    const order = `${new Date(record.startDate).toISOString()}#${record.arn}`;
    return {
      pk: `SFN#EXEC#${record.arn}`,
      sk: 'EXEC',
      ...record,
      gsi1pk: `SFN#EXECS#${record.stateMachineArn}`,
      gsi1sk: order,
      gsi2pk: `SFN#EXECS#${record.stateMachineArn}#${record.status}`,
      gsi2sk: order,
      ...(record.dueAt !== undefined && record.status === 'RUNNING' ? { gsi3pk: 'SFN#TIMER', gsi3sk: `${pad(record.dueAt)}#${record.arn}` } : {}),
      ...(record.active && record.status === 'RUNNING' ? { gsi4pk: 'SFN#ACTIVE', gsi4sk: record.arn } : {}),
    };
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#EXEC#${arn}`, sk: 'EXEC' }, ConsistentRead: true }),
    );
    return Item ? withoutKeys<ExecutionRecord>(Item) : undefined;
  }

  /** Writes new history events, then the execution record, if nobody else wrote it since `version - 1`. */
  async saveExecution(record: ExecutionRecord, events: HistoryEvent[]): Promise<void> {
    if (events.length) await this.writeEvents(record.arn, events);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.executionItem(record),
        // The first save creates the record; every later one follows the previous save.
        ...(record.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': record.version - 1 } }),
      }),
    );
  }

  /** The events of one save go into one item (or a few, to stay far below the 400 KB item limit). */
  private async writeEvents(arn: string, events: HistoryEvent[]): Promise<void> {
    const items: Array<Record<string, unknown>> = [];
    let chunk: HistoryEvent[] = [];
    let size = 0;
    const flush = () => {
      if (chunk.length) items.push({ pk: `SFN#EXEC#${arn}`, sk: `EV#${pad(chunk[0].id)}`, events: JSON.stringify(chunk) });
      chunk = [];
      size = 0;
    };
    for (const event of events) {
      const length = JSON.stringify(event).length;
      if (size + length > 200_000) flush();
      chunk.push(event);
      size += length;
    }
    flush();
    if (items.length === 1) {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: items[0] }));
      return;
    }
    for (let i = 0; i < items.length; i += 25) {
      let requests: any[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
  ): Promise<Page<ExecutionRecord>> {
    const index = status ? 'gsi2' : 'gsi1';
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': `SFN#EXECS#${stateMachineArn}${status ? `#${status}` : ''}` },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeToken(nextToken),
      }),
    );
    return { items: (out.Items ?? []).map((item) => withoutKeys<ExecutionRecord>(item)), nextToken: encodeToken(out.LastEvaluatedKey) };
  }

  /** Every item a query finds, across pages. */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Array<Record<string, any>>> {
    const items: Array<Record<string, any>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** History events with id below `below` (the committed mark), oldest first unless reversed. */
  async history(record: ExecutionRecord, limit: number, reverse: boolean, nextToken?: string): Promise<Page<HistoryEvent>> {
    const { arn, nextEventId: below } = record;
    const events: HistoryEvent[] = JSON.parse(record.recentEvents ?? '[]');
    const stored = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': `SFN#EXEC#${arn}`, ':ev': 'EV#' },
    });
    for (const item of stored) events.push(...(JSON.parse(item.events as string) as HistoryEvent[]));
    // A save that crashed half-way may have left events at or above the committed mark.
    const byId = new Map(events.filter((e) => e.id < below).map((e) => [e.id, e]));
    const committed = [...byId.values()].sort((a, b) => (reverse ? b.id - a.id : a.id - b.id));
    const offset = (decodeToken(nextToken)?.offset as number | undefined) ?? 0;
    const items = committed.slice(offset, offset + limit);
    return { items, nextToken: offset + limit < committed.length ? encodeToken({ offset: offset + limit }) : undefined };
  }

  /** ARNs of running executions with a timer due at or before `until`. */
  async dueExecutions(until: number): Promise<Array<{ arn: string; dueAt: number }>> {
    const items = await this.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :until',
      ExpressionAttributeValues: { ':pk': 'SFN#TIMER', ':until': `${pad(until + 1)}` },
      ProjectionExpression: 'arn, dueAt',
    });
    return items.map((item) => ({ arn: item.arn as string, dueAt: item.dueAt as number }));
  }

  /** ARNs of running executions that had work in progress when last saved. */
  async activeExecutions(): Promise<string[]> {
    const items = await this.queryAll({
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': 'SFN#ACTIVE' },
      ProjectionExpression: 'arn',
    });
    return items.map((item) => item.arn as string);
  }
}
