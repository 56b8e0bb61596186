/**
 * TimeToLive settings (UpdateTimeToLive / DescribeTimeToLive, persisted) and the expiry index the
 * sweeper reads: every write to a table with TTL maintains, in the same batch, one key per item
 * ordered by expiry, so finding expired items never scans the table.
 */
import { z } from 'zod';
import type { AttributeMap, BatchOp, LevelDb } from './dynalite.ts';
import { itemPrefix } from './dynalite.ts';
import { validationException } from './errors.ts';
import { keyspace, prefixEnd } from './keyspace.ts';

const EXPIRY_DIGITS = 12;
/** DynamoDB leaves alone items whose expiry is more than five years in the past. */
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

export const UpdateTimeToLiveRequest = z.object({
  TableName: z.string().min(3).max(255),
  TimeToLiveSpecification: z.object({ Enabled: z.boolean(), AttributeName: z.string().min(1).max(255) }),
});
export type UpdateTimeToLiveRequest = z.infer<typeof UpdateTimeToLiveRequest>;

export interface ExpiryEntry {
  indexKey: string;
  itemKey: string;
  expiresAt: number;
}

/** Epoch seconds of an item's TTL attribute, when it is a number DynamoDB would act on. */
export function expiryOf(item: AttributeMap | undefined, attribute: string): number | undefined {
  const n = item?.[attribute]?.N;
  if (n === undefined) return undefined;
  const seconds = Math.floor(Number(n));
  return Number.isFinite(seconds) && seconds >= 0 && seconds < 10 ** EXPIRY_DIGITS ? seconds : undefined;
}

const expiryKey = (table: string, seconds: number, itemKey: string) =>
  `${keyspace.expiryOf(table)}${String(seconds).padStart(EXPIRY_DIGITS, '0')}~${itemKey}`;

export class TimeToLive {
  private constructor(
    private readonly db: LevelDb,
    /** table name -> TTL attribute name, for tables with TTL enabled */
    private readonly attributes: Map<string, string>,
  ) {}

  static async open(db: LevelDb): Promise<TimeToLive> {
    const entries = await db.iterator({ gte: keyspace.ttl, lt: prefixEnd(keyspace.ttl) }).all();
    return new TimeToLive(db, new Map(entries.map(([key, attribute]) => [key.slice(keyspace.ttl.length), attribute as string])));
  }

  tables(): string[] {
    return [...this.attributes.keys()];
  }

  attributeOf(table: string): string | undefined {
    return this.attributes.get(table);
  }

  describe(table: string) {
    const attribute = this.attributes.get(table);
    return {
      TimeToLiveDescription: attribute
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
        : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  /** Validates as DynamoDB does, persists, and indexes the items already in the table. */
  async update(request: UpdateTimeToLiveRequest) {
    const { TableName: table, TimeToLiveSpecification: spec } = request;
    const current = this.attributes.get(table);
    if (spec.Enabled && current === spec.AttributeName) throw validationException('TimeToLive is already enabled');
    if (spec.Enabled && current) {
      throw validationException(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
    }
    if (!spec.Enabled && !current) throw validationException('TimeToLive is already disabled');
    if (spec.Enabled) {
      // Enabled first, so writes from now on maintain the index while older items are indexed.
      this.attributes.set(table, spec.AttributeName);
      await this.db.put(keyspace.ttlSetting(table), spec.AttributeName);
      await this.indexExistingItems(table, spec.AttributeName);
    } else {
      this.attributes.delete(table);
      await this.db.batch([{ type: 'del', key: keyspace.ttlSetting(table) }, ...(await this.clearIndex(table))]);
    }
    return { TimeToLiveSpecification: spec };
  }

  /** Index maintenance for one item change, to commit with it. */
  indexOps(table: string, itemKey: string, oldItem: AttributeMap | undefined, newItem: AttributeMap | undefined): BatchOp[] {
    const attribute = this.attributes.get(table);
    if (!attribute) return [];
    const before = expiryOf(oldItem, attribute);
    const after = expiryOf(newItem, attribute);
    if (before === after) return [];
    const ops: BatchOp[] = [];
    if (before !== undefined) ops.push({ type: 'del', key: expiryKey(table, before, itemKey) });
    if (after !== undefined) ops.push({ type: 'put', key: expiryKey(table, after, itemKey), value: 1 });
    return ops;
  }

  /** Index entries of items expired at `nowSeconds`, oldest first. */
  async expired(table: string, nowSeconds: number, limit: number): Promise<ExpiryEntry[]> {
    const prefix = keyspace.expiryOf(table);
    const keys = await this.db
      .keys({
        gte: expiryKey(table, Math.max(0, nowSeconds - FIVE_YEARS_S), ''),
        lt: expiryKey(table, nowSeconds + 1, ''),
        limit,
      })
      .all();
    return keys.map((indexKey) => {
      const rest = indexKey.slice(prefix.length);
      return { indexKey, expiresAt: Number(rest.slice(0, EXPIRY_DIGITS)), itemKey: rest.slice(EXPIRY_DIGITS + 1) };
    });
  }

  private async indexExistingItems(table: string, attribute: string): Promise<void> {
    const prefix = itemPrefix(table);
    let after: string | undefined;
    for (;;) {
      const page = await this.db.iterator({ ...(after ? { gt: after } : { gte: prefix }), lt: prefixEnd(prefix), limit: 1000 }).all();
      if (!page.length) return;
      const ops: BatchOp[] = [];
      for (const [key, item] of page) {
        const seconds = expiryOf(item, attribute);
        if (seconds !== undefined) ops.push({ type: 'put', key: expiryKey(table, seconds, key.slice(prefix.length)), value: 1 });
      }
      if (ops.length) await this.db.batch(ops);
      after = page[page.length - 1][0];
    }
  }

  private async clearIndex(table: string): Promise<BatchOp[]> {
    const prefix = keyspace.expiryOf(table);
    const keys = await this.db.keys({ gte: prefix, lt: prefixEnd(prefix) }).all();
    return keys.map((key) => ({ type: 'del' as const, key }));
  }
}
