/**
 * The one way items change. Every write path (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems, the TTL sweep) goes through `apply`: lock the items, read them, let the
 * caller compute the changes, then commit the item and index writes, the stream records and the
 * expiry index in ONE LevelDB batch. LevelDB applies a batch whole or not at all, also across a
 * kill -9 (a torn log record is dropped on recovery), so the batch is the transaction's durable
 * intent and its application at once: there is nothing half-done to replay.
 */
import type { AttributeMap, BatchOp, Store, TableDescription } from './dynalite.ts';
import { itemPrefix } from './dynalite.ts';
import { ItemLocks } from './item-locks.ts';
import type { ItemChange } from './item-change.ts';
import type { StreamLog } from './stream-log.ts';
import type { TimeToLive } from './time-to-live.ts';

export interface ItemRef {
  table: TableDescription;
  itemKey: string;
}

export interface Plan<T> {
  changes: ItemChange[];
  /** Further writes to commit with the changes (e.g. a transaction's client token). */
  extraOps?: BatchOp[];
  /** Stamped on the stream records (TTL deletes are attributed to the service). */
  userIdentity?: { type: string; principalId: string };
  result: T;
}

export class ItemWriter {
  private readonly locks = new ItemLocks();
  private pending = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly stream: StreamLog,
    private readonly ttl: TimeToLive,
  ) {}

  /**
   * Locks `items` (and `extraLocks`), reads their current images in one snapshot, and commits
   * what `plan` returns. If `plan` throws, nothing is written.
   */
  async apply<T>(
    items: ItemRef[],
    plan: (current: Array<AttributeMap | undefined>) => Promise<Plan<T>> | Plan<T>,
    extraLocks: string[] = [],
  ): Promise<T> {
    this.pending++;
    const release = await this.locks.acquire([...items.map(lockKey), ...extraLocks]);
    try {
      const current = await this.store.db.getMany(items.map((i) => itemPrefix(i.table.TableName) + i.itemKey));
      const planned = await plan(current.map((item) => item ?? undefined));
      await this.commit(planned);
      return planned.result;
    } finally {
      release();
      if (--this.pending === 0) this.idle?.();
    }
  }

  /** Resolves when no write is in progress (used by close). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  private async commit(plan: Plan<unknown>): Promise<void> {
    const sequences: number[] = [];
    let committed = false;
    // Every sequence handed out must be settled, or stream readers would wait for it forever.
    try {
      const ops: BatchOp[] = [];
      for (const change of plan.changes) {
        ops.push(...change.ops);
        ops.push(...this.ttl.indexOps(change.table.TableName, change.itemKey, change.oldItem, change.newItem));
        const record = this.stream.record({ ...change, userIdentity: plan.userIdentity });
        if (record) {
          sequences.push(record.seq);
          ops.push(record.op);
        }
      }
      if (plan.extraOps) ops.push(...plan.extraOps);
      if (ops.length) await this.store.db.batch(ops);
      committed = true;
    } finally {
      this.stream.settle(sequences, committed);
    }
  }
}

const lockKey = (ref: ItemRef) => `${ref.table.TableName}\u0000${ref.itemKey}`;
