/**
 * A view's rows in order: the records of a type snapshot that pass the view's filters, sorted
 * (group first, then the sort keys, then id, so the order is total). Sorting 100,000 records
 * takes a good part of a second, so the order is kept per snapshot and view definition: the
 * slices of one view reuse it, and when a few records changed since, it is patched (those
 * records taken out and put back at their place) instead of sorted again.
 */
import type { View } from '../contracts/views.ts';
import { compareKeys, filterTest, matchesFilter, sortKey, type SortKey } from '../contracts/view-matching.ts';
import type { StoredRecord } from '../records/errors.ts';
import type { TypeSnapshot } from './type-snapshot.ts';

export type ViewDefinition = Pick<View, 'filters' | 'sort' | 'groupBy'>;

/** One row of the order: the record and its sort keys, computed once. */
export interface OrderedRecord {
  record: StoredRecord;
  keys: Array<SortKey | null>;
}

interface Ordering {
  generation: number;
  rows: OrderedRecord[];
}

/** Orders kept per snapshot (dropped with it), at most this many view definitions each. */
const VIEWS_PER_SNAPSHOT = 16;
/** Above this many changed records, sorting again is cheaper than patching. */
const MAX_PATCHED = 2_000;

const orderings = new WeakMap<TypeSnapshot, Map<string, Ordering>>();

/** The view's records in its order, as of the snapshot's current generation. */
export function orderedRecords(snapshot: TypeSnapshot, view: ViewDefinition): OrderedRecord[] {
  const order = orderOf(view);
  const key = JSON.stringify([view.filters ?? [], order]);
  const kept = orderings.get(snapshot) ?? new Map<string, Ordering>();
  orderings.set(snapshot, kept);
  const cached = kept.get(key);
  kept.delete(key);
  let rows: OrderedRecord[];
  if (cached && cached.generation === snapshot.generation) rows = cached.rows;
  else {
    const changed = cached ? snapshot.changedSince(cached.generation) : undefined;
    rows = cached && changed && changed.size <= MAX_PATCHED ? patched(cached.rows, changed, snapshot, view) : sorted(snapshot, view);
  }
  kept.set(key, { generation: snapshot.generation, rows });
  if (kept.size > VIEWS_PER_SNAPSHOT) kept.delete(kept.keys().next().value!);
  return rows;
}

function orderOf(view: ViewDefinition): Array<{ field: string; sign: 1 | -1 }> {
  return [...(view.groupBy ? [{ field: view.groupBy }] : []), ...(view.sort ?? [])].map((s) => ({ field: s.field, sign: 'direction' in s && s.direction === 'desc' ? -1 : 1 }));
}

function passes(view: ViewDefinition): (record: StoredRecord) => boolean {
  const tests = (view.filters ?? []).map((filter) => ({ filter, test: filterTest(filter) }));
  return (record) => tests.every(({ filter, test }) => matchesFilter(record[filter.field], filter, test));
}

function comparator(view: ViewDefinition): (a: OrderedRecord, b: OrderedRecord) => number {
  const signs = orderOf(view).map((o) => o.sign);
  return (a, b) => {
    for (let i = 0; i < signs.length; i++) {
      const [x, y] = [a.keys[i], b.keys[i]];
      // Empty values last whichever the direction (as compareValues).
      const by = x === null || y === null ? compareKeys(x, y) : signs[i] * compareKeys(x, y);
      if (by !== 0) return by;
    }
    return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
  };
}

function entryOf(record: StoredRecord, fields: string[]): OrderedRecord {
  return { record, keys: fields.map((field) => sortKey(record[field])) };
}

function sorted(snapshot: TypeSnapshot, view: ViewDefinition): OrderedRecord[] {
  const fields = orderOf(view).map((o) => o.field);
  const test = passes(view);
  const rows: OrderedRecord[] = [];
  for (const record of snapshot.records.values()) if (test(record)) rows.push(entryOf(record, fields));
  return rows.sort(comparator(view));
}

/** The previous order without the changed records, and those of them still in the view put back at their place. */
function patched(previous: OrderedRecord[], changed: Set<string>, snapshot: TypeSnapshot, view: ViewDefinition): OrderedRecord[] {
  const fields = orderOf(view).map((o) => o.field);
  const test = passes(view);
  const compare = comparator(view);
  const rows = previous.filter((row) => !changed.has(row.record.id));
  for (const id of changed) {
    const record = snapshot.records.get(id);
    if (!record || !test(record)) continue;
    const row = entryOf(record, fields);
    let [low, high] = [0, rows.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(rows[middle], row) < 0) low = middle + 1;
      else high = middle;
    }
    rows.splice(low, 0, row);
  }
  return rows;
}

/** Runs of equal group keys of the ordered rows: each group's value (as stored) and size. */
export function groupsOf(rows: OrderedRecord[], field: string): Array<{ value: unknown; count: number }> {
  const groups: Array<{ value: unknown; count: number; key: SortKey | null }> = [];
  for (const { record, keys } of rows) {
    const last = groups.at(-1);
    if (last && compareKeys(last.key, keys[0]) === 0) last.count++;
    else groups.push({ value: record[field] ?? null, count: 1, key: keys[0] });
  }
  return groups.map(({ value, count }) => ({ value, count }));
}
