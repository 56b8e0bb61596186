/**
 * Table descriptions, kept in memory once a table and its indexes are ACTIVE: every read and
 * write needs its table's key schema, indexes and stream, and reading them from LevelDB each time
 * was a measurable part of an operation's cost (one LevelDB read per GetItem, one per key of a
 * BatchGetItem). Only this endpoint changes tables, and it tells the catalog when (CreateTable,
 * UpdateTable, DeleteTable, the index migration).
 */
import { getTable, type Store, type TableDescription } from './dynalite.ts';

export class TableCatalog {
  private readonly active = new Map<string, TableDescription>();
  /**
   * Counts `forget` calls. A lookup that started before one may have read the description the
   * change replaced, so it does not keep what it read.
   */
  private changes = 0;
  /**
   * The store as dynalite's read actions (GetItem, Query, Scan, BatchGetItem) are given it: their
   * table lookups are served from the catalog. They only read the description (the table
   * actions, which change it in place, keep the store's own lookup).
   */
  readonly readStore: Store;

  constructor(private readonly store: Store) {
    this.readStore = {
      ...store,
      getTable: (name, checkStatus, cb) => {
        const callback = (typeof checkStatus === 'function' ? checkStatus : cb)!;
        // A cached table is ACTIVE, which passes dynalite's status check.
        const cached = this.active.get(name);
        if (cached) return callback(null, cached);
        this.lookUp(name, checkStatus !== false).then((table) => callback(null, table), callback);
      },
    };
  }

  /** The table in any status, or dynalite's ResourceNotFoundException. */
  async get(name: string): Promise<TableDescription> {
    return this.active.get(name) ?? this.lookUp(name, false);
  }

  forget(name: string): void {
    this.changes++;
    this.active.delete(name);
  }

  /** With `checkStatus`, a table being created or deleted is not found, as dynalite's reads say. */
  private async lookUp(name: string, checkStatus: boolean): Promise<TableDescription> {
    const changes = this.changes;
    const table = await getTable(this.store, name, checkStatus);
    if (settled(table) && changes === this.changes) this.active.set(name, table);
    return table;
  }
}

/**
 * ACTIVE with every index ACTIVE: a description only the endpoint changes from here. dynalite
 * itself moves one in transition (CREATING, UPDATING) on a timer, which the catalog is not told.
 */
function settled(table: TableDescription): boolean {
  const indexes = (table.GlobalSecondaryIndexes ?? []) as Array<{ IndexStatus?: string }>;
  return table.TableStatus === 'ACTIVE' && indexes.every((index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE');
}
