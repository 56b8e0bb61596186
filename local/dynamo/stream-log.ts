/**
 * The table change stream: records are written in the same LevelDB batch as the change they
 * describe, keyed by a global sequence number. Two batches can reach LevelDB out of sequence
 * order, so readers only see records below the lowest sequence still being committed: nothing
 * is skipped past, and each item's records (committed under its lock) stay in order.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeMap, BatchOp, LevelDb, TableDescription } from './dynalite.ts';
import { keyspace, padSequence, prefixEnd } from './keyspace.ts';

export interface ChangeImages {
  table: TableDescription;
  oldItem: AttributeMap | undefined;
  newItem: AttributeMap | undefined;
  userIdentity?: { type: string; principalId: string };
}

export class StreamLog {
  private nextSequence: number;
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  /** Attached consumers' checkpoints: records all of them have processed are deleted. */
  private readonly checkpoints = new Map<number, number>();
  private trimmedUpTo = 0;

  private constructor(
    private readonly db: LevelDb,
    lastSequence: number,
  ) {
    this.nextSequence = lastSequence + 1;
  }

  /** Resumes numbering after the highest sequence ever written or acknowledged. */
  static async open(db: LevelDb): Promise<StreamLog> {
    const [last] = await db.keys({ gte: keyspace.stream, lt: prefixEnd(keyspace.stream), reverse: true, limit: 1 }).all();
    let highest = last ? Number(last.slice(keyspace.stream.length)) : 0;
    for (const [, seq] of await db.iterator({ gte: keyspace.checkpoints, lt: prefixEnd(keyspace.checkpoints) }).all()) {
      highest = Math.max(highest, Number(seq));
    }
    return new StreamLog(db, highest);
  }

  /**
   * The stream record for a change, or nothing when the item did not change (DynamoDB writes no
   * record then). The caller must call `settle` once the batch holding it is committed or failed.
   */
  record(change: ChangeImages): { seq: number; op: BatchOp } | undefined {
    const spec = change.table.StreamSpecification;
    if (!spec?.StreamEnabled || !change.table.LatestStreamArn) return undefined;
    if (sameItem(change.oldItem, change.newItem)) return undefined;
    const seq = this.nextSequence++;
    this.inFlight.add(seq);
    const keySource = (change.newItem ?? change.oldItem)!;
    const Keys = Object.fromEntries(change.table.KeySchema.map((k) => [k.AttributeName, keySource[k.AttributeName]]));
    const viewType = spec.StreamViewType ?? 'NEW_AND_OLD_IMAGES';
    const images: Record<string, unknown> = { Keys };
    if (change.newItem && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) images.NewImage = change.newItem;
    if (change.oldItem && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) images.OldImage = change.oldItem;
    const record: DynamoDBRecord = {
      eventID: randomUUID().replace(/-/g, ''),
      eventName: !change.oldItem ? 'INSERT' : !change.newItem ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: change.table.TableArn.split(':')[3],
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        ...images,
        SequenceNumber: padSequence(seq),
        SizeBytes: Buffer.byteLength(JSON.stringify(images)),
        StreamViewType: viewType as 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: change.table.LatestStreamArn,
      ...(change.userIdentity ? { userIdentity: change.userIdentity } : {}),
    };
    return { seq, op: { type: 'put', key: keyspace.streamRecord(seq), value: record } };
  }

  /** The batch holding `seqs` is committed (or failed: its records never exist). */
  settle(seqs: number[], committed: boolean): void {
    for (const seq of seqs) this.inFlight.delete(seq);
    if (committed && seqs.length) for (const listener of this.listeners) listener();
  }

  /** Records up to this sequence are all committed or never will be. */
  readableUpTo(): number {
    let lowest = this.nextSequence;
    for (const seq of this.inFlight) if (seq < lowest) lowest = seq;
    return lowest - 1;
  }

  /** Up to `limit` records after `after`, in sequence order. */
  async read(after: number, limit: number): Promise<DynamoDBRecord[]> {
    const upTo = this.readableUpTo();
    if (upTo <= after) return [];
    const entries = await this.db
      .iterator({ gt: keyspace.streamRecord(after), lte: keyspace.streamRecord(upTo), limit })
      .all();
    return entries.map(([, record]) => record as DynamoDBRecord);
  }

  /** Records committed that some consumer has yet to process: 0 when every consumer has caught up. */
  backlog(): number {
    if (!this.checkpoints.size) return 0;
    return Math.max(0, this.readableUpTo() - Math.min(...this.checkpoints.values()));
  }

  attach(consumer: number): void {
    this.checkpoints.set(consumer, 0);
  }

  async consumed(consumer: number, checkpoint: number): Promise<void> {
    this.checkpoints.set(consumer, checkpoint);
    const everyone = Math.min(...this.checkpoints.values());
    if (everyone <= this.trimmedUpTo) return;
    const from = this.trimmedUpTo;
    this.trimmedUpTo = everyone;
    await this.db.clear({ gt: keyspace.streamRecord(from), lte: keyspace.streamRecord(everyone) });
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Whether two stored items are the same (attribute order aside). */
export function sameItem(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((k) => sameItem((a as any)[k], (b as any)[k]));
}
