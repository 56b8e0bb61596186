/**
 * Every row of a view: the type's live records read page by page (gsi1), filtered, sorted and
 * grouped in memory, and cut down to the view's columns. Rows are arrays, not objects, so that
 * a 100,000-row view does not repeat every column name 100,000 times.
 */
import type { View, ViewFilter, ViewRows } from '../contracts/views.ts';
import type { StoredRecord } from '../records/errors.ts';
import { present, type RecordSchema } from '../records/record-schema.ts';
import { listRecords, type Actor } from '../records/repository.ts';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export async function viewRows(
  actor: Actor,
  schema: RecordSchema,
  view: Pick<View, 'columns' | 'filters' | 'sort' | 'groupBy'>,
  /** A slice of the rows (an API response is limited in size); all of them when absent (an export). */
  slice: { offset: number; limit: number } = { offset: 0, limit: Infinity },
): Promise<ViewRows> {
  const records: StoredRecord[] = [];
  let after: string | undefined;
  do {
    const page = await listRecords(actor, schema.type.key, { limit: 5000, after });
    records.push(...page.items);
    after = page.nextCursor;
  } while (after);
  const kept = records.filter((record) => (view.filters ?? []).every((filter) => matches(record[filter.field], filter)));
  const order = [...(view.groupBy ? [{ field: view.groupBy }] : []), ...(view.sort ?? [])];
  kept.sort((a, b) => {
    for (const { field, direction } of order) {
      const by = compare(a[field], b[field], direction === 'desc' ? -1 : 1);
      if (by !== 0) return by;
    }
    return a.id < b.id ? -1 : 1;
  });
  const rows = kept
    .slice(slice.offset, slice.offset + slice.limit)
    .map((record) => present(record, schema))
    .map((record) => [record.id, record.version, ...view.columns.map((column) => record[column] ?? null)]);
  return { columns: view.columns, rows, total: kept.length, offset: slice.offset, groups: view.groupBy ? groupsOf(kept, view.groupBy) : undefined };
}

/** Runs of equal values of the (sorted) rows: each group's value and size. */
function groupsOf(records: StoredRecord[], field: string): ViewRows['groups'] {
  const groups: NonNullable<ViewRows['groups']> = [];
  for (const record of records) {
    const value = record[field] ?? null;
    const last = groups.at(-1);
    if (last && compare(last.value, value) === 0) last.count++;
    else groups.push({ value, count: 1 });
  }
  return groups;
}

/** A list field matches when any of its values does; text compares ignoring case and accents. */
function matches(value: unknown, filter: ViewFilter): boolean {
  const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
  if (filter.op === 'empty') return empty;
  if (filter.op === 'notEmpty') return !empty;
  if (empty) return filter.op === 'neq';
  const values = (Array.isArray(value) ? value : [value]).map(scalar);
  const wanted = filter.value;
  const text = (v: unknown) => String(v).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  switch (filter.op) {
    case 'eq':
      return values.some((v) => compare(v, wanted) === 0);
    case 'neq':
      return values.every((v) => compare(v, wanted) !== 0);
    case 'contains':
      return values.some((v) => text(v).includes(text(wanted)));
    case 'startsWith':
      return values.some((v) => text(v).startsWith(text(wanted)));
    case 'in':
      return values.some((v) => (wanted as unknown[]).some((w) => compare(v, w) === 0));
    case 'gt':
      return values.some((v) => compare(v, wanted) > 0);
    case 'gte':
      return values.some((v) => compare(v, wanted) >= 0);
    case 'lt':
      return values.some((v) => compare(v, wanted) < 0);
    case 'lte':
      return values.some((v) => compare(v, wanted) <= 0);
  }
}

/** Money compares by its amount; other objects as their JSON. */
function scalar(value: unknown): unknown {
  if (value && typeof value === 'object' && 'amount' in value && typeof value.amount === 'string') return Number(value.amount);
  return value && typeof value === 'object' ? JSON.stringify(value) : value;
}

/**
 * Numbers by size, text in natural, case-insensitive order (ISO dates sort as text); `sign` -1
 * for descending. Empty values come last either way: a sort is for the values there are.
 */
function compare(a: unknown, b: unknown, sign: 1 | -1 = 1): number {
  const [x, y] = [scalar(Array.isArray(a) ? a[0] : a), scalar(Array.isArray(b) ? b[0] : b)];
  const [xEmpty, yEmpty] = [x === undefined || x === null || x === '', y === undefined || y === null || y === ''];
  if (xEmpty || yEmpty) return xEmpty === yEmpty ? 0 : xEmpty ? 1 : -1;
  if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
  if (typeof x === 'boolean' && typeof y === 'boolean') return sign * (Number(x) - Number(y));
  return sign * collator.compare(String(x), String(y));
}
