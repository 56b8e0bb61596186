/**
 * Deletes expired items, as DynamoDB's TTL does: through the ordinary write path, so each delete
 * is a REMOVE stream record, attributed to the service like AWS's own TTL deletes.
 */
import type { Store } from './dynalite.ts';
import { computeItemChange } from './item-change.ts';
import type { ItemWriter } from './item-writer.ts';
import type { TableCatalog } from './table-catalog.ts';
import { expiryOf, type ExpiryEntry, type TimeToLive } from './time-to-live.ts';

export const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;
const PAGE = 500;

export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly tables: TableCatalog,
    private readonly writer: ItemWriter,
    private readonly ttl: TimeToLive,
    private readonly intervalMs: number,
    /** Other periodic clean-up to run with each sweep. */
    private readonly housekeeping: () => Promise<void> = async () => undefined,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .then(() => this.housekeeping())
        .catch((err) => console.error('[dynamo] TTL sweep failed:', err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Deletes every item expired now; returns how many. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (const tableName of this.ttl.tables()) {
      for (;;) {
        const nowSeconds = Math.floor(Date.now() / 1000);
        const entries = await this.ttl.expired(tableName, nowSeconds, PAGE);
        for (const entry of entries) {
          if (this.stopped) return deleted;
          if (await this.expire(tableName, entry, nowSeconds)) deleted++;
        }
        if (entries.length < PAGE) break;
      }
    }
    return deleted;
  }

  /** Deletes the item if it is still the one that expired; otherwise drops the stale index entry. */
  private async expire(tableName: string, entry: ExpiryEntry, nowSeconds: number): Promise<boolean> {
    const table = await this.tables.get(tableName);
    return this.writer.apply([{ table, itemKey: entry.itemKey }], async ([current]) => {
      const attribute = this.ttl.attributeOf(tableName);
      const expiresAt = attribute === undefined ? undefined : expiryOf(current, attribute);
      if (!current || expiresAt !== entry.expiresAt || expiresAt > nowSeconds) {
        return { changes: [], extraOps: [{ type: 'del', key: entry.indexKey }], result: false };
      }
      const Key = Object.fromEntries(table.KeySchema.map((k) => [k.AttributeName, current[k.AttributeName]]));
      const change = await computeItemChange(this.store, table, 'DeleteItem', { TableName: tableName, Key }, entry.itemKey, current);
      return { changes: [change], userIdentity: TTL_IDENTITY, result: true };
    });
  }
}
