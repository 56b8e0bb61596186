/**
 * The local DynamoDB: dynalite on disk (LevelDB under dataDir), run in this process, with what
 * dynalite lacks added in front of it at the same endpoint: atomic transactions, TimeToLive with
 * a sweeper, ReturnValuesOnConditionCheckFailure, and a durable change stream delivered to the
 * attached consumer. See README.md for the guarantees.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '../../infra/app-resources.ts';
import { applicationTableDefinition } from './table-definition.ts';
import { dynaliteDb } from './dynalite.ts';
import { createDispatch, createEndpoint, type DynamoDispatch } from './endpoint.ts';
import { ItemWriter } from './item-writer.ts';
import { ItemWrites } from './item-writes.ts';
import { StreamLog } from './stream-log.ts';
import { type StreamConsumer, StreamPoller } from './stream-poller.ts';
import { TableCatalog } from './table-catalog.ts';
import { addMissingIndexes } from './index-migration.ts';
import { readThroughIterators } from './point-reads.ts';
import { TimeToLive } from './time-to-live.ts';
import { forgetExpiredTokens, Transactions } from './transactions.ts';
import { TtlSweeper } from './ttl-sweeper.ts';

export type { StreamConsumer, DynamoDispatch };
export { applicationTableDefinition };

export interface DynamoOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** How often expired items are looked for (default 10 s; DynamoDB itself takes up to days). */
  ttlSweepIntervalMs?: number;
  /** First delay before a failed stream batch is retried; doubles per retry (default 100 ms). */
  streamRetryDelayMs?: number;
}

export interface DynamoServer {
  /** http://host:port — what AWS_ENDPOINT_URL_DYNAMODB is set to. */
  endpoint: string;
  /**
   * The endpoint's operations called in this process: no HTTP, no signing, no JSON text. For a
   * component running beside the local DynamoDB (the Step Functions engine's checkpoints).
   */
  dispatch: DynamoDispatch;
  /**
   * Creates the application's table from TABLE in infra/app-resources.ts if absent, with TTL on;
   * adds (and fills) any GSI declared there that an existing table lacks.
   */
  ensureTable(): Promise<void>;
  attachStreamConsumer(c: StreamConsumer): void;
  /**
   * Stream records some consumer has yet to process (0: all caught up). In AWS the consumers run
   * in functions of their own; here they share the process with the API, so a benchmark of the
   * API waits for 0 before it measures, or it measures the consumers catching up too.
   */
  streamBacklog(): number;
  /** Stops delivering the stream (close does too): what is not delivered yet comes at the next start. */
  stopStreamConsumers(): Promise<void>;
  /** Deletes the items expired now, without waiting for the sweeper; returns how many. */
  sweepExpired(): Promise<number>;
  /** Stops cleanly: the endpoint, the sweeper and the pollers, then in-flight writes, then LevelDB. */
  close(): Promise<void>;
}

export async function startDynamo(opts: DynamoOptions): Promise<DynamoServer> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  const store = dynaliteDb.create({ path: opts.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await store.db.open();
  // LevelDB 1.20's Get can answer a key's previous value (point-reads.ts): every point read goes through an iterator.
  readThroughIterators(store.db);
  const closeStore = () =>
    new Promise<void>((resolve, reject) => store.lifecycleManager.gracefulClose((err) => (err ? reject(err) : resolve())));
  let server: Server;
  let stream: StreamLog;
  let tables: TableCatalog;
  let ttl: TimeToLive;
  let writer: ItemWriter;
  let dispatch: DynamoDispatch;
  try {
    stream = await StreamLog.open(store.db);
    ttl = await TimeToLive.open(store.db);
    tables = new TableCatalog(store);
    writer = new ItemWriter(store, stream, ttl);
    dispatch = createDispatch({
      store,
      tables,
      itemWrites: new ItemWrites(store, tables, writer),
      transactions: new Transactions(store, tables, writer),
      ttl,
    });
    server = createEndpoint(dispatch);
    await listen(server, opts.port, host);
  } catch (err) {
    // Leave the folder free for another attempt (LevelDB holds a lock while open).
    await closeStore().catch(() => undefined);
    throw err;
  }
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const sweeper = new TtlSweeper(store, tables, writer, ttl, opts.ttlSweepIntervalMs ?? 10_000, () => forgetExpiredTokens(store.db));
  sweeper.start();
  const pollers: StreamPoller[] = [];
  let closing: Promise<void> | undefined;

  return {
    endpoint,
    dispatch,
    async ensureTable() {
      await ensureTable(endpoint);
      const added = await addMissingIndexes(store, tables, applicationTableDefinition());
      if (added.length > 0) console.log(`local/dynamo: added ${added.join(', ')} to ${TABLE.name} (declared since its data folder was made)`);
    },
    attachStreamConsumer(consumer) {
      const poller = new StreamPoller(store.db, stream, pollers.length, consumer, opts.streamRetryDelayMs ?? 100);
      pollers.push(poller);
      poller.start();
    },
    sweepExpired: () => sweeper.sweep(),
    streamBacklog: () => stream.backlog(),
    stopStreamConsumers: async () => void (await Promise.all(pollers.map((p) => p.stop()))),
    close() {
      closing ??= (async () => {
        // Consumers first: a stream handler still delivering writes through this endpoint.
        await Promise.all([sweeper.stop(), ...pollers.map((p) => p.stop())]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await writer.drain();
        await closeStore();
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The table as infra/app-resources.ts declares it: every GSI at creation (dynalite cannot add one later). */
async function ensureTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: TABLE.name }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      await client.send(new CreateTableCommand(applicationTableDefinition()));
    }
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE.name }));
    if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: TABLE.name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE.timeToLiveAttribute },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
