/**
 * A view over rows already loaded in the browser: which rows pass its filters and the quick
 * search, in which order, in which groups, with which totals. Pure (same inputs, same result) and
 * fast enough to run on every keystroke over 100,000 rows x 15 columns.
 *
 * The rows are those of `GET/POST /api/views/{type}/rows`: `[id, version, ...values]`, the values
 * in the order of `columns`. Load them unfiltered and with every field the user may show, filter
 * or sort by, so that the view can change without asking the server; a filter or sort on a field
 * that is not loaded sees it as empty. Filters and order mean what they mean on the server
 * ($contracts/view-matching.ts is shared).
 *
 * Speed comes from caches kept per source rows array (rows-cache.ts): per column, lazily, each
 * row's sort key, folded text and emptiness, its rank in the column's order, money in minor units
 * (column-cache.ts, aggregates.ts); and the last filter's result, so that a filter that only
 * narrows re-checks only the rows that passed before. `warmUp` builds them ahead in small steps
 * while the browser is idle (idle-steps.ts).
 *
 * Rows may be replaced, added or removed (a new rows array takes over the caches of the one
 * before), or changed in place with a new version (`row[1]`): each call compares row arrays and
 * versions with those the caches were made from and computes changed rows again. A value written
 * into a row in place without a new version (an edit not yet saved) is not seen until its save
 * brings the new version: the view orders and filters saved values.
 */
import type { ViewFilter } from '$contracts/views.ts';
import { foldText } from '$contracts/view-matching.ts';
import type { ColumnAggregate } from './aggregates.ts';
import type { ColumnCache } from './column-cache.ts';
import { runWhenIdle } from './idle-steps.ts';
import { cacheFor, SEPARATOR } from './rows-cache.ts';

/** A row as the API sends it: `[id, version, ...values]`. */
export type SourceRow = readonly unknown[];

/** Where and how a column is shown. */
export interface ColumnState {
  key: string;
  /** In CSS pixels; the grid's default when absent. */
  width?: number;
  hidden?: boolean;
  /** Kept at the left edge while scrolling sideways. */
  pinned?: boolean;
}

export interface SortState {
  field: string;
  direction: 'asc' | 'desc';
}

/** Everything a user can change about a view without changing the records. */
export interface ViewState {
  /** Display order; loaded columns not listed here come after these, shown. */
  columns: ColumnState[];
  /** All must hold (AND), with the server's meaning. */
  filters: ViewFilter[];
  /** First key first; ties keep the order of the source rows. */
  sort: SortState[];
  groupBy?: string;
  /** Groups shown collapsed (their `groupKey`s); not part of a saved view. */
  collapsed?: string[];
  /** Rows where any visible column contains this text (case and accents ignored). */
  search: string;
}

/**
 * Columns whose cells show something else than their value (a user's name for their id): sort,
 * filters, search and groups read what is shown. `key` changes when what is shown does (names
 * arrived), which rebuilds the caches of those rows.
 */
export interface ShownValues {
  key: string;
  of(column: string): ((value: unknown) => unknown) | undefined;
  /** What a column sorts (and groups in order) by, when not what it shows: a deal's stage by its place in the pipeline. */
  orderOf?(column: string): ((value: unknown) => unknown) | undefined;
}

export const EMPTY_VIEW_STATE: ViewState = { columns: [], filters: [], sort: [], search: '' };

export interface Group {
  /** The group field's value of the group's rows (the first row's, as loaded). */
  value: unknown;
  count: number;
  /** Index of the group's first row in `rows`. */
  start: number;
  /** Per visible number or money column: its sum over the group's rows. */
  sums: Record<string, { number?: number; money?: Record<string, string> }>;
}

export interface AppliedView {
  rows: SourceRow[];
  /** With `groupBy`: the runs of `rows` sharing a value, in order. */
  groups: Group[] | undefined;
  /** Per visible column, over `rows`. */
  aggregates: Record<string, ColumnAggregate>;
}

/** Keys of the loaded columns that are shown, in display order. */
export function visibleColumns(columns: readonly string[], state: Pick<ViewState, 'columns'>): string[] {
  return orderedColumns(columns, state)
    .filter((column) => !column.hidden)
    .map((column) => column.key);
}

/** Every loaded column with its state, in display order (pinned ones first, as the grid shows them). */
export function orderedColumns(columns: readonly string[], state: Pick<ViewState, 'columns'>): ColumnState[] {
  const loaded = new Set(columns);
  const listed = state.columns.filter((column) => loaded.has(column.key));
  const seen = new Set(listed.map((column) => column.key));
  const all: ColumnState[] = [...listed, ...columns.filter((key) => !seen.has(key)).map((key) => ({ key }))];
  return [...all.filter((column) => column.pinned), ...all.filter((column) => !column.pinned)];
}

/**
 * Where a field's value is in a row: the loaded columns from 2 on, and the record's `id` at 0,
 * so a view may select records by id (an analytics drill's `id in [...]`, contracts/analytics.ts).
 */
function columnIndex(columns: readonly string[]): Map<string, number> {
  const index = new Map(columns.map((key, i) => [key, i + 2]));
  if (!index.has('id')) index.set('id', 0);
  return index;
}

export function applyView(sourceRows: readonly SourceRow[], columns: readonly string[], state: ViewState, shown?: ShownValues): AppliedView {
  const cache = cacheFor(sourceRows, columns, shown);
  const index = columnIndex(columns);
  const visible = visibleColumns(columns, state);
  const kept = cache.filter(index, state.filters, foldText(state.search.replaceAll(SEPARATOR, '').trim()), visible);
  const order = [...(state.groupBy ? [{ field: state.groupBy, direction: 'asc' as const }] : []), ...state.sort].filter((key) => index.has(key.field));
  const sorted = order.length ? cache.sort(kept, order.map((key) => ({ column: cache.column(index.get(key.field)!), sign: key.direction === 'desc' ? -1 : 1 }))) : kept;
  const rows = new Array<SourceRow>(sorted.length);
  for (let i = 0; i < sorted.length; i++) rows[i] = sourceRows[sorted[i]];
  const visibleColumnCaches = visible.filter((key) => index.has(key)).map((key) => ({ key, column: cache.column(index.get(key)!) }));
  const aggregates: Record<string, ColumnAggregate> = {};
  for (const { key, column } of visibleColumnCaches) aggregates[key] = column.aggregate(sorted, 0, sorted.length);
  const groupIndex = state.groupBy === undefined ? undefined : index.get(state.groupBy);
  const groups = groupIndex === undefined ? undefined : groupsOf(sourceRows, sorted, cache.column(groupIndex), groupIndex, visibleColumnCaches);
  return { rows, groups, aggregates };
}

/**
 * What applyView does the first time it needs it, done ahead in small steps: each visible
 * column's profile (for the totals) and texts (for a column filter), the quick search's texts,
 * each visible column's ranks (for a sort). The page runs the steps while the browser is idle
 * after loading, so that the first keystroke or click on a sort does not pay for them. A step is
 * at most STEP_ROWS rows of one column (idle-steps.ts) (or of the search's joined texts): a whole column of
 * 100,000 rows at once held the main thread for 50-300 ms, which a user scrolling right after
 * the load saw as dropped frames. What rows changed while a piece was built in steps is dropped
 * and built again when needed.
 */
export function* warmUp(sourceRows: readonly SourceRow[], columns: readonly string[], state: ViewState, shown?: ShownValues): Generator<void> {
  const cache = cacheFor(sourceRows, columns, shown);
  const indexes = visibleColumns(columns, state).map((key) => columns.indexOf(key) + 2);
  for (const index of indexes) yield* cache.column(index).profileInSteps();
  yield* cache.searchableInSteps(indexes);
  for (const index of indexes) yield* cache.column(index).preparedInSteps('text');
  for (const index of indexes) yield* cache.column(index).ranksInSteps();
}

/** Runs warmUp's steps in idle time; the returned function stops them. */
export function warmUpWhenIdle(sourceRows: readonly SourceRow[], columns: readonly string[], state: ViewState, shown?: ShownValues): () => void {
  return runWhenIdle(warmUp(sourceRows, columns, state, shown));
}

/** Runs of rows with equal group keys (equal ranks), each with its count and sums. */
function groupsOf(source: readonly SourceRow[], sorted: Uint32Array, by: ColumnCache, byIndex: number, visible: { key: string; column: ColumnCache }[]): Group[] {
  const { ranks } = by.ranks();
  const groups: Group[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && ranks[sorted[i]] === ranks[sorted[start]]) continue;
    const sums: Group['sums'] = {};
    for (const { key, column } of visible) {
      const total = column.aggregate(sorted, start, i);
      if (total.number) sums[key] = { number: total.number.sum };
      if (total.money) sums[key] = { ...sums[key], money: Object.fromEntries(Object.entries(total.money).map(([currency, money]) => [currency, money.sum])) };
    }
    groups.push({ value: source[sorted[start]][byIndex] ?? null, count: i - start, start, sums });
    start = i;
  }
  return groups;
}
