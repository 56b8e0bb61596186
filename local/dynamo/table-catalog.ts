/**
 * Table descriptions for the write paths, kept in memory once a table is ACTIVE: every write
 * needs its table's key schema, indexes and stream, and reading them from LevelDB each time was
 * a measurable part of a write's cost. Only this endpoint changes tables, and it tells the
 * catalog when (CreateTable, UpdateTable, DeleteTable).
 */
import { getTable, type Store, type TableDescription } from './dynalite.ts';

export class TableCatalog {
  private readonly active = new Map<string, TableDescription>();

  constructor(private readonly store: Store) {}

  /** The table, or dynalite's ResourceNotFoundException. */
  async get(name: string): Promise<TableDescription> {
    const cached = this.active.get(name);
    if (cached) return cached;
    const table = await getTable(this.store, name);
    if (table.TableStatus === 'ACTIVE') this.active.set(name, table);
    return table;
  }

  forget(name: string): void {
    this.active.delete(name);
  }
}
