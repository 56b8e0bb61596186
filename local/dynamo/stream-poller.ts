/**
 * Delivers the change stream to one consumer, as Lambda's event source mapping does: batches of
 * up to `batchSize` records in sequence order, a batch retried (with backoff) while the handler
 * throws, `batchItemFailures` honoured by resuming at the lowest failed record. The checkpoint
 * is persisted after each processed batch, so a restart resumes where delivery stopped and a
 * record is delivered at least once. A record still failing after `maxRetries` is moved to a
 * dead-letter keyspace (and logged) rather than blocking the stream or being lost.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LevelDb } from './dynalite.ts';
import { keyspace } from './keyspace.ts';
import type { StreamLog } from './stream-log.ts';
import { lambdaContext } from '../lambda.ts';

export interface StreamConsumer {
  handler: (event: DynamoDBStreamEvent, ctx: Context) => Promise<any>;
  /**
   * The table whose stream this consumer reads (an event source mapping names one stream); the
   * log holds every table's records. Default: every table's.
   */
  tableName?: string;
  batchSize: number;
  maxRetries: number;
  /** A batch not handled within this time counts as failed, as a Lambda timeout does (default 60). */
  timeoutSeconds?: number;
}

/** Waiting for new records: woken by commits, and by this timer as a safety net. */
const IDLE_POLL_MS = 1000;
const MAX_BACKOFF_MS = 5000;
/** How long close waits for a handler still running before it gives up on it (it will be redelivered). */
const STOP_GRACE_MS = 5000;

const sequenceOf = (r: DynamoDBRecord) => Number(r.dynamodb!.SequenceNumber);

export class StreamPoller {
  private stopped = false;
  /** Ends the current wait: set while idle (new records or stop) and while backing off (stop only). */
  private wake: (() => void) | undefined;
  private newRecords: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: LevelDb,
    private readonly log: StreamLog,
    private readonly id: number,
    private readonly consumer: StreamConsumer,
    private readonly retryDelayMs: number,
  ) {
    this.unsubscribe = log.onAppend(() => this.newRecords?.());
    log.attach(id);
  }

  start(): void {
    this.loop = this.run().catch((err) => {
      if (!this.stopped) console.error(`[dynamo] stream consumer ${this.id} stopped:`, err);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  }

  private async run(): Promise<void> {
    let checkpoint = Number((await this.db.get(keyspace.checkpoint(this.id))) ?? 0);
    await this.log.consumed(this.id, checkpoint);
    let failures = 0;
    while (!this.stopped) {
      const read = await this.log.read(checkpoint, this.consumer.batchSize);
      if (!read.length) {
        await this.wait(IDLE_POLL_MS, true);
        continue;
      }
      const records = read.filter((r) => this.isOurs(r));
      const failedAt = records.length ? await this.deliver(records) : undefined;
      if (this.stopped) return; // the batch is redelivered after a restart
      const processed = failedAt === undefined ? read : read.filter((r) => sequenceOf(r) < failedAt);
      if (processed.length) {
        checkpoint = sequenceOf(processed[processed.length - 1]);
        await this.saveCheckpoint(checkpoint);
        failures = 0;
      }
      if (failedAt === undefined) continue;
      failures++;
      if (failures > this.consumer.maxRetries) {
        const record = records.find((r) => sequenceOf(r) === failedAt)!;
        console.error(`[dynamo] stream consumer ${this.id} gave up on record ${record.dynamodb!.SequenceNumber} after ${this.consumer.maxRetries} retries; kept in dead-letter`);
        checkpoint = failedAt;
        await this.db.batch([
          { type: 'put', key: keyspace.deadLetter(this.id, record.dynamodb!.SequenceNumber!), value: record },
          { type: 'put', key: keyspace.checkpoint(this.id), value: checkpoint },
        ]);
        await this.log.consumed(this.id, checkpoint);
        failures = 0;
      } else {
        await this.wait(Math.min(MAX_BACKOFF_MS, this.retryDelayMs * 2 ** (failures - 1)), false);
      }
    }
  }

  private isOurs(record: DynamoDBRecord): boolean {
    const table = this.consumer.tableName;
    return table === undefined || (record.eventSourceARN ?? '').includes(`:table/${table}/stream/`);
  }

  /** Invokes the handler; returns the sequence number delivery must resume at, if any failed. */
  private async deliver(records: DynamoDBRecord[]): Promise<number | undefined> {
    let response: DynamoDBBatchResponse | void;
    const timeoutSeconds = this.consumer.timeoutSeconds ?? 60;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Task timed out after ${timeoutSeconds} seconds`)), timeoutSeconds * 1000);
      });
      const context = lambdaContext(`stream-consumer-${this.id}`, timeoutSeconds);
      response = await Promise.race([this.consumer.handler({ Records: records }, context), timedOut]);
    } catch (err) {
      console.error(`[dynamo] stream consumer ${this.id} failed on ${records.length} records, will retry:`, err);
      return sequenceOf(records[0]);
    } finally {
      clearTimeout(timer);
    }
    const failures = response?.batchItemFailures ?? [];
    if (!failures.length) return undefined;
    const delivered = new Set(records.map(sequenceOf));
    const failed = failures.map((f) => Number(f.itemIdentifier));
    // As Lambda does: an identifier that names no record of the batch fails the whole batch.
    if (failed.some((seq) => !delivered.has(seq))) return sequenceOf(records[0]);
    return Math.min(...failed);
  }

  private async saveCheckpoint(checkpoint: number): Promise<void> {
    await this.db.put(keyspace.checkpoint(this.id), checkpoint);
    await this.log.consumed(this.id, checkpoint);
  }

  private wait(ms: number, untilNewRecords: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = this.newRecords = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      if (untilNewRecords) this.newRecords = done;
    });
  }
}
