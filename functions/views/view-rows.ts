/**
 * Every row of a view: the type's live records (a snapshot kept current in memory,
 * type-snapshot.ts), filtered, sorted and grouped (view-order.ts, kept per snapshot generation),
 * and only the slice asked for shaped into rows cut to the view's columns. Rows are arrays, not
 * objects, so that a 100,000-row view does not repeat every column name 100,000 times.
 */
import type { View, ViewRows, ViewRowsOfIds } from '../contracts/views.ts';
import type { StoredRecord } from '../records/errors.ts';
import { present, type RecordSchema } from '../records/record-schema.ts';
import type { Actor } from '../access/actor.ts';
import { heldByAny } from '../access/record-scope.ts';
import { typeSnapshot } from './type-snapshot.ts';
import { groupsOf, orderedRecords, type OrderedRecord } from './view-order.ts';

type ViewShape = Pick<View, 'columns' | 'filters' | 'sort' | 'groupBy'>;

/** A further test of the records shown, applied after the view's own filters and the caller's scope; all of them when absent. */
export type Visible = (record: StoredRecord) => boolean;

export async function viewRows(
  actor: Actor,
  schema: RecordSchema,
  view: ViewShape,
  /** A slice of the rows (an API response is limited in size); all of them when absent (an export). */
  slice: { offset: number; limit: number } = { offset: 0, limit: Infinity },
  visible?: Visible,
): Promise<ViewRows> {
  const { records, rowOf, total, offset, groups, moreGroups } = await sliceOf(actor, schema, view, slice, visible);
  return { columns: view.columns, rows: records.map(rowOf), total, offset, groups, moreGroups };
}

/**
 * The same as `viewRows`, as JSON text, for an API answer: each row's JSON is kept with the
 * record (until it changes), so a slice of 20,000 rows is joined from kept parts instead of
 * being shaped and serialised again on every read.
 */
export async function viewRowsJson(actor: Actor, schema: RecordSchema, view: ViewShape, slice: { offset: number; limit: number }, visible?: Visible): Promise<string> {
  const { records, rowOf, key, total, offset, groups, moreGroups } = await sliceOf(actor, schema, view, slice, visible);
  const rows: string[] = [];
  let bytes = 0;
  for (const record of records) {
    let kept = rowTexts.get(record);
    if (kept?.key !== key) rowTexts.set(record, (kept = { key, text: JSON.stringify(rowOf(record)) }));
    // Rows of long texts: the slice ends early (the grid asks from offset + rows.length).
    bytes += Buffer.byteLength(kept.text) + 1;
    if (bytes > ROWS_BUDGET_BYTES && rows.length > 0) break;
    rows.push(kept.text);
  }
  // The members in the order JSON.stringify gives a ViewRows.
  return `{"columns":${JSON.stringify(view.columns)},"rows":[${rows.join(',')}],"total":${total},"offset":${offset}${groups ? `,"groups":${JSON.stringify(groups)}` : ''}${moreGroups ? ',"moreGroups":true' : ''}}`;
}

/** What the rows of one slice may take: Lambda answers at most 6 MB, and columns and groups need room too. */
const ROWS_BUDGET_BYTES = 4 * 1024 * 1024;

/** A record's row as JSON text, for the columns (as shown) it was made for. Dropped with the record. */
const rowTexts = new WeakMap<StoredRecord, { key: string; text: string }>();

async function sliceOf(actor: Actor, schema: RecordSchema, view: ViewShape, slice: { offset: number; limit: number }, visible: Visible | undefined) {
  const ordered = await visibleOrder(actor, schema, view, visible);
  const { rowOf, key } = rowShaper(schema, view);
  return {
    records: ordered.slice(slice.offset, slice.offset + slice.limit).map(({ record }) => record),
    rowOf,
    key,
    total: ordered.length,
    offset: slice.offset,
    ...(view.groupBy ? boundedGroups(groupsOf(ordered, view.groupBy)) : {}),
  };
}

/** At most this many groups in an answer: a view grouped by a field that differs on every record has a group per record. */
export const MAX_GROUPS = 1_000;
/** A group's value takes at most this much JSON (a long text is cut, a long list keeps its first values). */
export const GROUP_VALUE_BYTES = 1_024;

/**
 * A view's groups as an answer carries them: the first MAX_GROUPS (in view order; `moreGroups`
 * when there are more, whose rows follow those counted), each value at most GROUP_VALUE_BYTES
 * (`cut` when shortened). Grouped by a long text, 20 records of 200 KB answered 4 MB of values.
 */
function boundedGroups(groups: Array<{ value: unknown; count: number }>): Pick<ViewRows, 'groups' | 'moreGroups'> {
  const bounded = groups.slice(0, MAX_GROUPS).map(({ value, count }) => {
    const short = shortValue(value);
    return short === value ? { value, count } : { value: short, count, cut: true as const };
  });
  return { groups: bounded, ...(groups.length > MAX_GROUPS ? { moreGroups: true } : {}) };
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** The value itself when its JSON fits GROUP_VALUE_BYTES; else the longest start of its text, or of its list, that does. */
function shortValue(value: unknown): unknown {
  if (jsonBytes(value) <= GROUP_VALUE_BYTES) return value;
  if (typeof value === 'string') {
    let bytes = 2;
    let end = 0;
    for (const char of value) {
      bytes += jsonBytes(char) - 2;
      if (bytes > GROUP_VALUE_BYTES) break;
      end += char.length;
    }
    return value.slice(0, end);
  }
  if (Array.isArray(value)) {
    let end = 0;
    while (end < value.length && jsonBytes(value.slice(0, end + 1)) <= GROUP_VALUE_BYTES) end++;
    return value.slice(0, end);
  }
  // No field holds an object this large (a money value is an amount and a currency).
  return null;
}

/**
 * The rows of just the records asked for (a grid refreshing those the change feed named), each
 * with its place in the whole view, in view order; the ids that are not rows of the view (no
 * longer, or never: trashed, filtered out, not visible, unknown) under `removed`; rows past the
 * answer's budget (long texts) under `later`, to be asked for again.
 */
export async function viewRowsOfIds(actor: Actor, schema: RecordSchema, view: ViewShape, ids: string[], visible?: Visible): Promise<ViewRowsOfIds> {
  const ordered = await visibleOrder(actor, schema, view, visible);
  const { rowOf } = rowShaper(schema, view);
  const wanted = new Set(ids);
  const rows: unknown[][] = [];
  const positions: number[] = [];
  const later: string[] = [];
  let bytes = 0;
  ordered.forEach(({ record }, position) => {
    if (!wanted.has(record.id)) return;
    wanted.delete(record.id);
    const row = rowOf(record);
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    // Past the budget a row waits for the next request: the client asks for `later` again.
    if (bytes > ROWS_BUDGET_BYTES && rows.length > 0) return void later.push(record.id);
    rows.push(row);
    positions.push(position);
  });
  return { columns: view.columns, rows, positions, total: ordered.length, removed: [...wanted], ...(later.length ? { later } : {}) };
}

async function visibleOrder(actor: Actor, schema: RecordSchema, view: ViewShape, visible: Visible | undefined): Promise<OrderedRecord[]> {
  const snapshot = await typeSnapshot(actor.tenant, schema.type.key);
  // From here on nothing awaits: the order and the rows are of one generation of the snapshot.
  const ordered = orderedRecords(snapshot, view);
  // The snapshot is the tenant's, shared by every caller: the caller's scope (records held by
  // users their role lets them see, access/record-scope.ts) is applied here, a Set lookup or two per record.
  const type = schema.type.key;
  const users = actor.visibleUsers(type);
  if (!users && !visible) return ordered;
  if (visible) {
    const held = users && heldByAny(type, users);
    return ordered.filter(({ record }) => (!held || held(record)) && visible(record));
  }
  return scopedOrder(ordered, type, users!);
}

/**
 * The order as one scope sees it, kept per order (an order is never changed once made: a new
 * generation makes a new array) and set of users, so that the slices of a grid's read, and the
 * teammates reading the same view, filter 100,000 records once rather than once per slice.
 */
const scopedOrders = new WeakMap<readonly OrderedRecord[], Map<string, OrderedRecord[]>>();
const SCOPES_PER_ORDER = 32;

function scopedOrder(ordered: OrderedRecord[], type: string, users: ReadonlySet<string>): OrderedRecord[] {
  const key = [...users].sort().join('\n');
  let byScope = scopedOrders.get(ordered);
  if (!byScope) scopedOrders.set(ordered, (byScope = new Map()));
  let scoped = byScope.get(key);
  if (!scoped) {
    const held = heldByAny(type, users);
    scoped = ordered.filter(({ record }) => held(record));
    byScope.set(key, scoped);
    if (byScope.size > SCOPES_PER_ORDER) byScope.delete(byScope.keys().next().value!);
  }
  return scoped;
}

/**
 * A record as a row: `[id, version, ...values of the columns]`. Which columns show their values
 * is decided once per request, by `present` (a deleted custom field's values stay on records
 * but are not shown), instead of presenting every record.
 */
function rowShaper(schema: RecordSchema, view: ViewShape): { rowOf: (record: StoredRecord) => unknown[]; key: string } {
  const shown = present(Object.fromEntries(view.columns.map((column) => [column, true])) as unknown as StoredRecord, schema);
  const columns = view.columns.map((column) => (Object.hasOwn(shown, column) ? column : null));
  const rowOf = (record: StoredRecord) => {
    const row: unknown[] = [record.id, record.version];
    for (const column of columns) row.push(column === null ? null : (record[column] ?? null));
    return row;
  };
  return { rowOf, key: JSON.stringify(columns) };
}
