/**
 * The engine's records in DynamoDB (one table with the app table's key schema: pk/sk strings and
 * gsi1..gsi4). Plain conditional writes only, no transactions.
 *
 *   state machine   pk SFN#SM#<arn>          sk SM          gsi1 SFN#SMS / <name>
 *   execution       pk SFN#EXEC#<arn>        sk EXEC        gsi1 SFN#EXECS#<sm> / <start>#<arn>
 *                                                           gsi2 SFN#EXECS#<sm>#<status> / <start>#<arn>
 *                                                           gsi3 SFN#TIMER / <due ms, padded>   (while a timer is set)
 *                                                           gsi4 SFN#ACTIVE / <arn>              (while it has work to resume)
 *   history events  pk SFN#EXEC#<arn>        sk EV#<id of the first, padded>#<part>   (the events of one save)
 *   large fields    pk SFN#EXEC#<arn>        sk BLOB#<field>#<version>#<part>   (input, output, snapshot)
 *   definition      pk SFN#DEF#<sha-256>     sk DEF                              (each text once)
 *
 * The latest history events ride inside the execution record (`recentEvents`), so that a save
 * is one write; every few dozen events, or once they weigh more than RECENT_EVENTS_BYTES, they
 * move out to history items, written before the record that drops them. Readers merge both, by
 * event id, below the record's `nextEventId`. A crash between the two writes leaves at worst a
 * duplicate, which the merge removes.
 *
 * No stored item comes near DynamoDB's 400 KB: the events of a save are cut into parts of at
 * most PART_CHARS characters, and a field of the record larger than INLINE_BYTES (an input or output of up
 * to AWS's 256 KiB, a snapshot holding them) is written as parts keyed by the record version
 * that first holds it, before that record; parts no record refers to any more are deleted after
 * it. Definitions are stored once, by hash, and named by it in the records.
 * Task tokens need no records: see task-token.ts.
 */
import { CreateTableCommand, DescribeTableCommand, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { applicationTableDefinition } from '../dynamo/table-definition.ts';
import type { DocumentSender } from '../dynamo/in-process-client.ts';
import { ApiError } from './errors.ts';
import type { HistoryEvent } from './history.ts';
import type { RedriveToken } from './redrive-tokens.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: number;
  updateDate?: number;
  /** Changes with every update of the definition or role (UpdateStateMachine's revisionId). */
  revisionId: string;
  /** The number the next published version gets (numbers are never reused). */
  nextVersion?: number;
}

/** A published version: an immutable copy of a revision (arn: `<machine arn>:<number>`). */
export interface VersionRecord {
  arn: string;
  stateMachineArn: string;
  number: number;
  definition: string;
  roleArn: string;
  revisionId: string;
  description?: string;
  creationDate: number;
}

/** An alias routing starts to one or two versions by weight (arn: `<machine arn>:<name>`). */
export interface AliasRecord {
  arn: string;
  stateMachineArn: string;
  name: string;
  description?: string;
  routingConfiguration: Array<{ stateMachineVersionArn: string; weight: number }>;
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
  /** The role of the definition it runs. */
  roleArn?: string;
  /** The revision of the machine it runs (records from before revisions have none). */
  revisionId?: string;
  /** The version the execution runs, when it was started on a version or an alias. */
  stateMachineVersionArn?: string;
  /** The alias it was started through. */
  stateMachineAliasArn?: string;
  /** Redrives so far, and when the last one was (RedriveExecution). */
  redriveCount?: number;
  redriveDate?: number;
  /** The client tokens of the latest redrives (RedriveExecution's idempotency). */
  redriveTokens?: RedriveToken[];
  /** The status change last delivered as a status event (`<status>#<redriveCount>`, see status-events.ts). */
  statusEventSent?: string;
  /** Where the large fields of the last saved record are stored (see saveExecution). */
  blobs?: Partial<Record<'input' | 'output' | 'snapshot', { version: number; parts: number; hash: string }>>;
  /** The task that started this execution (startExecution.sync:2), to be told when it closes. */
  parent?: { executionArn: string; threadId: string };
  /** Earliest timer (epoch ms) of any waiting thread, or of the execution's own timeout. */
  dueAt?: number;
  /** True while some thread can make progress without an outside event. */
  active: boolean;
}

/** Which of a machine's executions a listing keeps: started on a version or alias; redriven or not. */
export interface ExecutionFilter {
  startedOn?: { field: 'stateMachineVersionArn' | 'stateMachineAliasArn'; arn: string };
  redriven?: boolean;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Largest piece of text in one stored item: at most 300 KB in UTF-8 (DynamoDB allows 400 KB an item). */
const PART_CHARS = 100_000;
/** A field of the execution record larger than this (UTF-8) is stored as parts of its own. */
const INLINE_BYTES = 64 * 1024;
/** The fields of the execution record that can be large. */
const BLOB_FIELDS = ['input', 'output', 'snapshot'] as const;
type BlobField = (typeof BLOB_FIELDS)[number];
/** Where a large field of the record is stored: the version whose save wrote it, its parts and hash. */
interface BlobRef {
  version: number;
  parts: number;
  hash: string;
}

/** The attributes the index queries read (listings, timers, status events); the indexes hold only these. */
const LISTED_ATTRIBUTES = [
  'arn', 'name', 'type', 'creationDate', 'stateMachineArn', 'status', 'startDate', 'stopDate',
  'stateMachineVersionArn', 'stateMachineAliasArn', 'redriveCount', 'redriveDate', 'dueAt',
] as const;

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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Cuts text into pieces of at most PART_CHARS, never between the two halves of a surrogate pair. */
function cut(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + PART_CHARS);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts.length ? parts : [''];
}

export class StatesStore {
  /** Definition texts by hash (known to be stored), and the other way. */
  private readonly definitions = new Map<string, string>();
  private readonly hashes = new Map<string, string>();

  /**
   * `doc`: a DynamoDBDocumentClient (removeUndefinedValues) on any DynamoDB endpoint, or the
   * local DynamoDB's in-process one (local/dynamo/in-process-client.ts).
   */
  constructor(
    readonly doc: DocumentSender,
    readonly tableName: string,
  ) {}

  /** A table command, which a document client sends as the client it wraps does. */
  private sendTableCommand(command: DescribeTableCommand | CreateTableCommand): Promise<unknown> {
    return (this.doc.send as (command: unknown) => Promise<unknown>)(command);
  }

  /**
   * Creates the table (the app table's keys and indexes) if it does not exist, so the engine can
   * own a table of its own: without a stream, since its checkpoints are nobody's change feed, and
   * with indexes that hold only what listings read, not a copy of each checkpoint (a table made
   * before keeps whole items in its indexes, which costs only bytes).
   */
  async ensureTable(): Promise<void> {
    const status = await this.tableStatus();
    if (status === 'ACTIVE') return;
    if (status) return this.untilActive();
    const { StreamSpecification: _none, ...definition } = applicationTableDefinition(this.tableName);
    const GlobalSecondaryIndexes = definition.GlobalSecondaryIndexes!.map((index) => ({
      ...index,
      Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...LISTED_ATTRIBUTES] },
    }));
    await this.sendTableCommand(new CreateTableCommand({ ...definition, GlobalSecondaryIndexes }));
    await this.untilActive();
  }

  private async tableStatus(): Promise<string | undefined> {
    try {
      const out = (await this.sendTableCommand(new DescribeTableCommand({ TableName: this.tableName }))) as DescribeTableCommandOutput;
      return out.Table?.TableStatus;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }

  /** A new table serves no item request until it is ACTIVE (in DynamoDB, seconds; locally, a tick). */
  private async untilActive(): Promise<void> {
    for (let delay = 5; (await this.tableStatus()) !== 'ACTIVE'; delay = Math.min(delay * 2, 1000)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  // ---- state machines

  async putStateMachine(sm: StateMachineRecord, mode: 'create' | 'update'): Promise<boolean> {
    const { definition, ...rest } = sm;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SFN#SM#${sm.arn}`, sk: 'SM', gsi1pk: 'SFN#SMS', gsi1sk: sm.name, ...rest, definitionHash: await this.putDefinition(definition) },
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
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${arn}`, sk: 'SM' }, ConsistentRead: true }));
    return Item ? this.withDefinition<StateMachineRecord>(Item) : undefined;
  }

  /** Deletes the state machine with its versions and aliases. */
  async deleteStateMachine(arn: string): Promise<void> {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SFN#SM#${arn}` }, ProjectionExpression: 'pk, sk' });
    await this.deleteItems(items.map((item) => ({ pk: item.pk as string, sk: item.sk as string })));
  }

  /** A record whose definition is named by hash, with its text (older records carry the text). */
  private async withDefinition<T extends { definition: string }>(item: Record<string, unknown>): Promise<T> {
    const { definitionHash, ...rest } = item;
    const record = withoutKeys<T>(rest);
    if (definitionHash) record.definition = await this.getDefinition(definitionHash as string);
    return record;
  }

  // ---- versions and aliases (items of their state machine's partition)

  async putVersion(version: VersionRecord): Promise<void> {
    const { definition, ...rest } = version;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `SFN#SM#${version.stateMachineArn}`, sk: `VER#${pad(version.number)}`, ...rest, definitionHash: await this.putDefinition(definition) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getVersion(stateMachineArn: string, number: number): Promise<VersionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${stateMachineArn}`, sk: `VER#${pad(number)}` }, ConsistentRead: true }),
    );
    return Item ? this.withDefinition<VersionRecord>(Item) : undefined;
  }

  /** Newest first. */
  async listVersions(stateMachineArn: string): Promise<VersionRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ver)',
      ExpressionAttributeValues: { ':pk': `SFN#SM#${stateMachineArn}`, ':ver': 'VER#' },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<VersionRecord>(item));
  }

  async deleteVersion(stateMachineArn: string, number: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${stateMachineArn}`, sk: `VER#${pad(number)}` } }));
  }

  /** Creates or replaces an alias; `mode: 'create'` refuses an existing one (returns false). */
  async putAlias(alias: AliasRecord, mode: 'create' | 'update'): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SFN#SM#${alias.stateMachineArn}`, sk: `ALIAS#${alias.name}`, ...alias },
          ConditionExpression: mode === 'create' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async getAlias(stateMachineArn: string, name: string): Promise<AliasRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${stateMachineArn}`, sk: `ALIAS#${name}` }, ConsistentRead: true }),
    );
    return Item ? withoutKeys<AliasRecord>(Item) : undefined;
  }

  async listAliases(stateMachineArn: string): Promise<AliasRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alias)',
      ExpressionAttributeValues: { ':pk': `SFN#SM#${stateMachineArn}`, ':alias': 'ALIAS#' },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<AliasRecord>(item));
  }

  async deleteAlias(stateMachineArn: string, name: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `SFN#SM#${stateMachineArn}`, sk: `ALIAS#${name}` } }));
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
    return { items: (out.Items ?? []).map((item) => withoutKeys<StateMachineRecord>(item)), nextToken: encodeToken(out.LastEvaluatedKey) };
  }

  // ---- definitions

  /** Stores a definition text once; returns its hash. */
  async putDefinition(text: string): Promise<string> {
    // Every save names its definition: the hash of a text seen before is looked up, not computed.
    const known = this.hashes.get(text);
    if (known) return known;
    const hash = sha256(text);
    if (this.definitions.has(hash)) {
      this.hashes.set(text, hash);
      return hash;
    }
    await this.putParts(`SFN#DEF#${hash}`, 'DEF#', text);
    this.definitions.set(hash, text);
    this.hashes.set(text, hash);
    return hash;
  }

  async getDefinition(hash: string): Promise<string> {
    let text = this.definitions.get(hash);
    if (text === undefined) {
      text = await this.getParts(`SFN#DEF#${hash}`, 'DEF#');
      if (text === undefined) throw new Error(`definition ${hash} is not stored`);
      this.definitions.set(hash, text);
    }
    return text;
  }

  /** Text in parts of at most PART_BYTES under one partition key, sk `<prefix><part>`. */
  private async putParts(pk: string, prefix: string, text: string): Promise<number> {
    const parts = cut(text);
    await this.writeItems(parts.map((part, i) => ({ pk, sk: `${prefix}${String(i).padStart(4, '0')}`, text: part, parts: parts.length })));
    return parts.length;
  }

  private async getParts(pk: string, prefix: string): Promise<string | undefined> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
    });
    if (!items.length || items.length !== items[0].parts) return undefined;
    return items.map((item) => item.text as string).join('');
  }

  private async writeItems(items: Array<Record<string, unknown>>): Promise<void> {
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

  private async deleteItems(keys: Array<{ pk: string; sk: string }>): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: any[] = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      while (requests.length) {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  // ---- executions

  private executionItem(record: ExecutionRecord, definitionHash: string, fields: Partial<Record<BlobField, string>>, blobs: Partial<Record<BlobField, BlobRef>>): Record<string, unknown> {
    const order = `${new Date(record.startDate).toISOString()}#${record.arn}`;
    const { definition: _text, blobs: _refs, input: _input, output: _output, snapshot: _snapshot, ...rest } = record;
    return {
      pk: `SFN#EXEC#${record.arn}`,
      sk: 'EXEC',
      ...rest,
      ...fields,
      definitionHash,
      ...(Object.keys(blobs).length ? { blobs } : {}),
      gsi1pk: `SFN#EXECS#${record.stateMachineArn}`,
      gsi1sk: order,
      gsi2pk: `SFN#EXECS#${record.stateMachineArn}#${record.status}`,
      gsi2sk: order,
      ...(record.dueAt !== undefined && record.status === 'RUNNING' ? { gsi3pk: 'SFN#TIMER', gsi3sk: `${pad(record.dueAt)}#${record.arn}` } : {}),
      ...(record.active && record.status === 'RUNNING' ? { gsi4pk: 'SFN#ACTIVE', gsi4sk: record.arn } : {}),
      ...(record.statusEventSent !== `${record.status}#${record.redriveCount ?? 0}` ? { gsi5pk: 'SFN#STATUS', gsi5sk: record.arn } : {}),
    };
  }

  /** ARNs of executions whose latest status change was not yet delivered as a status event. */
  async pendingStatusEvents(): Promise<string[]> {
    try {
      const items = await this.queryAll({
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SFN#STATUS' },
        ProjectionExpression: 'arn',
      });
      return items.map((item) => item.arn as string);
    } catch (err) {
      // A states table made before gsi5 was declared cannot get it (dynalite adds no index later).
      if ((err as Error).name === 'ValidationException') {
        console.warn(`[states] ${this.tableName} has no gsi5: status events interrupted by a crash are not delivered again`);
        return [];
      }
      throw err;
    }
  }

  /** The status change was delivered (unless the execution has changed status since). */
  async markStatusEventSent(arn: string, status: ExecutionStatus, redriveCount: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SFN#EXEC#${arn}`, sk: 'EXEC' },
          UpdateExpression: 'SET statusEventSent = :key REMOVE gsi5pk, gsi5sk',
          // A record never redriven has no redriveCount. Two flat conditions rather than one with
          // nested parentheses, which dynalite's parser takes 15 times longer to read (7 ms).
          ConditionExpression: `#status = :status AND ${redriveCount ? 'redriveCount = :count' : 'attribute_not_exists(redriveCount)'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':key': `${status}#${redriveCount}`, ':status': status, ...(redriveCount ? { ':count': redriveCount } : {}) },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  /**
   * The execution record with its large fields. The snapshot (the runtime state) only when asked:
   * only the engine loading an execution needs it. A part deleted under the reader's feet (the
   * record moved on meanwhile) means reading the newer record.
   */
  async getExecution(arn: string, options: { snapshot?: boolean } = {}): Promise<ExecutionRecord | undefined> {
    for (let attempt = 0; ; attempt++) {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: `SFN#EXEC#${arn}`, sk: 'EXEC' }, ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { definitionHash, ...item } = Item;
      const record = withoutKeys<ExecutionRecord>(item);
      // Records written before definitions were stored by hash carry the text itself.
      if (definitionHash) record.definition = await this.getDefinition(definitionHash as string);
      let complete = true;
      for (const [field, ref] of Object.entries(record.blobs ?? {}) as Array<[BlobField, BlobRef]>) {
        if (field === 'snapshot' && !options.snapshot) continue;
        const text = await this.getParts(`SFN#EXEC#${arn}`, `BLOB#${field}#${pad(ref.version)}#`);
        if (text === undefined) complete = false;
        else record[field] = text;
      }
      if (complete) return record;
      if (attempt >= 5) throw new Error(`${arn}: the large fields of version ${record.version} are not stored`);
    }
  }

  /**
   * Writes new history events and the large fields that changed, then the execution record, if
   * nobody else wrote it since `version - 1`; then deletes the parts the record no longer names.
   * `record.blobs` says where the last saved record's large fields are; it is updated.
   */
  async saveExecution(record: ExecutionRecord, events: HistoryEvent[]): Promise<void> {
    const definitionHash = await this.putDefinition(record.definition);
    if (events.length) await this.writeEvents(record.arn, events);
    const pk = `SFN#EXEC#${record.arn}`;
    const previous = record.blobs ?? {};
    const blobs: Partial<Record<BlobField, BlobRef>> = {};
    const inline: Partial<Record<BlobField, string>> = {};
    for (const field of BLOB_FIELDS) {
      const text = record[field];
      if (text === undefined) continue;
      // Bytes, not characters: three fields of 64 K characters each could weigh 576 KB in UTF-8.
      if (Buffer.byteLength(text) <= INLINE_BYTES) {
        inline[field] = text;
        continue;
      }
      const hash = sha256(text);
      const before = previous[field];
      if (before?.hash === hash) blobs[field] = before;
      else blobs[field] = { version: record.version, hash, parts: await this.putParts(pk, `BLOB#${field}#${pad(record.version)}#`, text) };
    }
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.executionItem(record, definitionHash, inline, blobs),
        // The first save creates the record; every later one follows the previous save.
        ...(record.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': record.version - 1 } }),
      }),
    );
    record.blobs = blobs;
    const stale = BLOB_FIELDS.flatMap((field) => {
      const before = previous[field];
      if (!before || blobs[field]?.version === before.version) return [];
      return Array.from({ length: before.parts }, (_, i) => ({ pk, sk: `BLOB#${field}#${pad(before.version)}#${String(i).padStart(4, '0')}` }));
    });
    if (stale.length) await this.deleteItems(stale);
  }

  /** The events of one save, as JSON text cut into parts far below the 400 KB item limit. */
  private async writeEvents(arn: string, events: HistoryEvent[]): Promise<void> {
    await this.putParts(`SFN#EXEC#${arn}`, `EV#${pad(events[0].id)}#`, JSON.stringify(events));
  }

  /** Newest first; `startedOn` keeps those started on one version or through one alias. */
  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
    filter: ExecutionFilter = {},
  ): Promise<Page<ExecutionRecord>> {
    const index = status ? 'gsi2' : 'gsi1';
    const { startedOn, redriven } = filter;
    const conditions = [
      ...(startedOn ? [`${startedOn.field} = :on`] : []),
      ...(redriven === true ? ['redriveCount > :none'] : redriven === false ? ['(attribute_not_exists(redriveCount) OR redriveCount = :none)'] : []),
    ];
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeValues: {
          ':pk': `SFN#EXECS#${stateMachineArn}${status ? `#${status}` : ''}`,
          ...(startedOn ? { ':on': startedOn.arn } : {}),
          ...(redriven !== undefined ? { ':none': 0 } : {}),
        },
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
    // One save's events: a single item (`events`, as first stored) or parts (`text`) in sk order.
    const saves = new Map<string, string[]>();
    for (const item of stored) {
      if (item.events !== undefined) events.push(...(JSON.parse(item.events as string) as HistoryEvent[]));
      else {
        const save = (item.sk as string).slice(0, 3 + PAD);
        saves.set(save, [...(saves.get(save) ?? []), item.text as string]);
      }
    }
    for (const parts of saves.values()) events.push(...(JSON.parse(parts.join('')) as HistoryEvent[]));
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
