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
 * Speed comes from caches kept per source rows array (a WeakMap, so they go with the array): per
 * column, lazily, each row's sort key, folded text and emptiness, the rank of each row in the
 * column's order (a multi-column sort then compares integers), money in minor units; and the last
 * filter's result, so that a filter that only narrows (one more character typed) re-checks only
 * the rows that passed before.
 *
 * Rows may be replaced, added or removed (a new rows array takes over the caches of the one
 * before), or changed in place with a new version (`row[1]`): each call compares row arrays and
 * versions with those the caches were made from and computes changed rows again. A value written
 * into a row in place without a new version (an edit not yet saved) is not seen until its save
 * brings the new version: the view orders and filters saved values.
 */
import type { ViewFilter } from '$contracts/views.ts';
import { compareKeys, elementKey, elementText, filterTest, foldText, isEmptyValue, plainText, sortKey, type FilterTest, type SortKey } from '$contracts/view-matching.ts';
import { divideRounded, fromMinor, toMinor } from '$contracts/money.ts';

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

export interface NumberAggregate {
  count: number;
  sum: number;
  avg: number;
  min: number;
  max: number;
}

/** Amounts as decimal strings, exact (summed in minor units); `avg` rounded half away from zero. */
export interface MoneyAggregate {
  count: number;
  sum: string;
  avg: string;
  min: string;
  max: string;
}

/** A column's totals over the rows shown: how many are filled; numbers and money per currency. */
export interface ColumnAggregate {
  filled: number;
  number?: NumberAggregate;
  /** By currency code (in code order). */
  money?: Record<string, MoneyAggregate>;
}

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

export function applyView(sourceRows: readonly SourceRow[], columns: readonly string[], state: ViewState, shown?: ShownValues): AppliedView {
  const cache = cacheFor(sourceRows, columns, shown);
  const index = new Map(columns.map((key, i) => [key, i + 2]));
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
 * at most STEP_ROWS rows of one column (or of the search's joined texts): a whole column of
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

/** Idle time left in a frame below which no warm-up step starts: the frame's own work comes first. */
const STEP_BUDGET_MS = 8;

/** Runs warmUp's steps in idle time; the returned function stops them. */
export function warmUpWhenIdle(sourceRows: readonly SourceRow[], columns: readonly string[], state: ViewState, shown?: ShownValues): () => void {
  const steps = warmUp(sourceRows, columns, state, shown);
  const idle = (run: (deadline?: IdleDeadline) => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run) : setTimeout(run, 50));
  let stopped = false;
  const step = (deadline?: IdleDeadline) => {
    if (stopped) return;
    // Without a deadline (no requestIdleCallback) one step per timer.
    if (!deadline) {
      if (!steps.next().done) idle(step);
      return;
    }
    while (deadline.timeRemaining() > STEP_BUDGET_MS) if (steps.next().done) return;
    idle(step);
  };
  idle(step);
  return () => void (stopped = true);
}

/** Rows a warm-up step computes: a few milliseconds of work. */
const STEP_ROWS = 2_000;

/** Drives steps to their end at once: what is needed now is computed now. */
function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** `run(row)` for rows 0..n-1, yielding every STEP_ROWS rows. */
function* rowsInSteps(n: number, run: (row: number) => void): Generator<void> {
  for (let row = 0; row < n; row++) {
    run(row);
    if (row % STEP_ROWS === STEP_ROWS - 1) yield;
  }
}

/** `compute(row)` for rows 0..n-1, in steps. */
function* perRowInSteps<T>(n: number, compute: (row: number) => T): Generator<void, T[]> {
  const all = new Array<T>(n);
  yield* rowsInSteps(n, (row) => (all[row] = compute(row)));
  return all;
}

/**
 * Distinct strings in code-unit order (what `Array.prototype.sort` gives), sorted STEP_ROWS at a
 * time and merged in steps: one native sort of 100,000 names took a frame's time several times.
 */
function* sortedInSteps(items: string[]): Generator<void, string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < items.length; i += STEP_ROWS) {
    runs.push(items.slice(i, i + STEP_ROWS).sort());
    yield;
  }
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const [a, b] = [runs[r], runs[r + 1]];
      if (!b) {
        next.push(a);
        continue;
      }
      const merged = new Array<string>(a.length + b.length);
      let [i, j, k] = [0, 0, 0];
      while (i < a.length && j < b.length) {
        merged[k++] = b[j] < a[i] ? b[j++] : a[i++];
        if (k % STEP_ROWS === 0) yield;
      }
      while (i < a.length) merged[k++] = a[i++];
      while (j < b.length) merged[k++] = b[j++];
      next.push(merged);
    }
    runs = next;
  }
  return runs[0] ?? [];
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

const EMPTY_RANK = 0xffffffff;

/** One pass over a column: which rows are empty, their numbers, their money (null: none at all). */
interface Profile {
  empty: Uint8Array;
  numbers: Float64Array | null;
  money: { minor: (bigint | null)[]; currency: (string | null)[] } | null;
}

/** Where each row of a new rows array was in the old one (-1: a new row). */
type Moves = Int32Array;

/** `old` rearranged by `moves`; new rows computed. */
function moved<T>(old: T[] | undefined, moves: Moves, compute: (row: number) => T): T[] | undefined {
  if (!old) return undefined;
  const next = new Array<T>(moves.length);
  for (let row = 0; row < moves.length; row++) next[row] = moves[row] < 0 ? compute(row) : old[moves[row]];
  return next;
}

/** What one column's values are made into, each computed the first time it is needed. */
class ColumnCache {
  #keys?: (SortKey | null)[];
  #ranks?: Ranks;
  #elementKeys?: unknown[];
  #texts?: unknown[];
  #profile?: Profile;

  constructor(
    private readonly rows: readonly SourceRow[],
    private readonly index: number,
    /** The same column over the rows before, and where each row was there: what can be kept is. */
    before?: { column: ColumnCache; moves: Moves },
    /** What the cell shows for a value, when not the value itself (ShownValues). */
    private readonly shown?: (value: unknown) => unknown,
    /** Bumped whenever rows changed: a piece built in steps across a change is dropped. */
    private readonly generation: () => number = () => 0,
    /** What a value sorts by, when not what the cell shows (ShownValues.orderOf). */
    private readonly ordered?: (value: unknown) => unknown,
  ) {
    if (!before) return;
    const { column, moves } = before;
    const value = (row: number) => this.valueAt(row);
    this.#keys = moved(column.#keys, moves, (row) => sortKey(this.orderAt(row)));
    this.#elementKeys = moved(column.#elementKeys, moves, (row) => prepared(value(row), elementKey));
    this.#texts = moved(column.#texts, moves, (row) => prepared(value(row), elementText));
    if (column.#profile) this.#profile = movedProfile(column.#profile, moves, value);
    // Ranks stay in order when rows went away or moved; new rows are placed among them.
    if (column.#ranks && this.#keys) {
      const old = column.#ranks;
      const ranks: Ranks = { ...old, ranks: Uint32Array.from(moves, (from) => (from < 0 ? EMPTY_RANK : old.ranks[from])), slotOf: new Map(old.slotOf), taken: new Set(old.taken) };
      this.#ranks = moves.every((from, row) => from >= 0 || placed(ranks, row, this.#keys![row])) ? ranks : undefined;
    }
  }

  /** A row's value as its cell shows it. */
  valueAt(row: number): unknown {
    const value = this.rows[row][this.index];
    return this.shown ? this.shown(value) : value;
  }

  /** What a row sorts by: its value as shown, unless the column has an order of its own. */
  orderAt(row: number): unknown {
    return this.ordered ? this.ordered(this.rows[row][this.index]) : this.valueAt(row);
  }

  /** Recompute what depends on the values of rows `changed` (a save changes one row at a time). */
  refresh(changed: number[]): void {
    for (const row of changed) {
      const value = this.valueAt(row);
      if (this.#keys) this.#keys[row] = sortKey(this.orderAt(row));
      if (this.#elementKeys) this.#elementKeys[row] = prepared(value, elementKey);
      if (this.#texts) this.#texts[row] = prepared(value, elementText);
      if (this.#profile) profiled(this.#profile, row, value, this.rows.length);
      // A key not seen before goes between its neighbours; when there is no room, all ranks again.
      if (this.#ranks && !placed(this.#ranks, row, this.#keys![row])) this.#ranks = undefined;
    }
  }

  keys(): (SortKey | null)[] {
    return (this.#keys ??= finish(this.#keysInSteps()));
  }

  #keysInSteps(): Generator<void, (SortKey | null)[]> {
    return perRowInSteps(this.rows.length, (row) => sortKey(this.orderAt(row)));
  }

  /**
   * Each row's place in this column's ascending order (equal keys share one; empty: EMPTY_RANK),
   * and how many places. The distinct keys are sorted natively (numbers as a Float64Array, text in
   * code-unit order, which is the order of keys), not by a comparator per pair.
   */
  ranks(): Ranks {
    return (this.#ranks ??= finish(this.#ranksFrom(this.keys())));
  }

  /** ranks() ahead, in steps (warmUp). */
  *ranksInSteps(): Generator<void> {
    if (this.#ranks) return;
    const generation = this.generation();
    const keys = this.#keys ?? (yield* this.#keysInSteps());
    const ranks = yield* this.#ranksFrom(keys);
    if (generation !== this.generation()) return;
    this.#keys ??= keys;
    this.#ranks ??= ranks;
  }

  *#ranksFrom(keys: (SortKey | null)[]): Generator<void, Ranks> {
    const numbers = new Set<number>();
    const texts = new Set<string>();
    yield* rowsInSteps(keys.length, (row) => {
      const key = keys[row];
      if (typeof key === 'number') numbers.add(key);
      else if (key !== null) texts.add(key);
    });
    const sorted: SortKey[] = [...Float64Array.from(numbers).sort(), ...(yield* sortedInSteps([...texts]))];
    // Odd ranks for the keys there are, even ones free for keys that come later (placed()).
    const slotOf = new Map<SortKey, number>();
    yield* rowsInSteps(sorted.length, (i) => slotOf.set(sorted[i], 2 * i + 1));
    const ranks = new Uint32Array(keys.length);
    yield* rowsInSteps(keys.length, (row) => (ranks[row] = keys[row] === null ? EMPTY_RANK : slotOf.get(keys[row]!)!));
    return { ranks, distinct: 2 * sorted.length + 1, sorted, slotOf, taken: new Set() };
  }

  profile(): Profile {
    return (this.#profile ??= finish(this.#profileSteps()));
  }

  /** profile() ahead, in steps (warmUp). */
  *profileInSteps(): Generator<void> {
    if (this.#profile) return;
    const generation = this.generation();
    const profile = yield* this.#profileSteps();
    if (generation === this.generation()) this.#profile ??= profile;
  }

  *#profileSteps(): Generator<void, Profile> {
    const n = this.rows.length;
    const profile: Profile = { empty: new Uint8Array(n), numbers: null, money: null };
    yield* rowsInSteps(n, (row) => profiled(profile, row, this.valueAt(row), n));
    return profile;
  }

  /** Per row, what a filter test reads: the element's key or text, or a list of them for a list. */
  prepared(reads: 'key' | 'text'): unknown[] {
    if (reads === 'key') return (this.#elementKeys ??= finish(this.#preparedSteps(elementKey)));
    return (this.#texts ??= finish(this.#preparedSteps(elementText)));
  }

  /** prepared() ahead, in steps (warmUp). */
  *preparedInSteps(reads: 'key' | 'text'): Generator<void> {
    if (reads === 'key' ? this.#elementKeys : this.#texts) return;
    const generation = this.generation();
    const all = yield* this.#preparedSteps(reads === 'key' ? elementKey : elementText);
    if (generation !== this.generation()) return;
    if (reads === 'key') this.#elementKeys ??= all;
    else this.#texts ??= all;
  }

  #preparedSteps(prepare: (element: unknown) => unknown): Generator<void, unknown[]> {
    return perRowInSteps(this.rows.length, (row) => prepared(this.valueAt(row), prepare));
  }

  /**
   * Whether a row passes `test`, by the cached forms of its values, with the arrays looked up
   * once: a filter asks it of every row (100,000 on a first key).
   */
  tester(test: FilterTest): (row: number) => boolean {
    const { empty } = this.profile();
    if (test.reads === 'emptiness') return (row) => (empty[row] ? test.whenEmpty : !test.whenEmpty);
    const values = this.prepared(test.reads);
    const { element, every, whenEmpty } = test;
    return (row) => {
      if (empty[row]) return whenEmpty;
      const value = values[row];
      if (!Array.isArray(value)) return element(value as SortKey | null | string);
      return every ? value.every((one) => element(one)) : value.some((one) => element(one));
    };
  }

  /** Totals over `order[from..to)`. */
  aggregate(order: Uint32Array, from: number, to: number): ColumnAggregate {
    const { empty, numbers, money } = this.profile();
    let filled = 0;
    for (let i = from; i < to; i++) if (!empty[order[i]]) filled++;
    const result: ColumnAggregate = { filled };
    if (numbers) {
      let [count, sum, min, max] = [0, 0, Infinity, -Infinity];
      for (let i = from; i < to; i++) {
        const n = numbers[order[i]];
        if (Number.isNaN(n)) continue;
        count++;
        sum += n;
        if (n < min) min = n;
        if (n > max) max = n;
      }
      if (count) result.number = { count, sum, avg: sum / count, min, max };
    }
    const byCurrency = money && moneyAggregates(money, order, from, to);
    if (byCurrency && Object.keys(byCurrency).length) result.money = byCurrency;
    return result;
  }
}

/** Row `row` of a profile set from its value (arrays for numbers and money made when first needed). */
function profiled(profile: Profile, row: number, value: unknown, rows: number): void {
  profile.empty[row] = isEmptyValue(value) ? 1 : 0;
  const number = typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  if (profile.numbers || !Number.isNaN(number)) (profile.numbers ??= new Float64Array(rows).fill(NaN))[row] = number;
  const money = isMoney(value) ? moneyOf(value) : undefined;
  if (profile.money || money) {
    profile.money ??= { minor: new Array(rows).fill(null), currency: new Array(rows).fill(null) };
    [profile.money.minor[row], profile.money.currency[row]] = money ?? [null, null];
  }
}

/** A profile rearranged by `moves`; new rows profiled from their values. */
function movedProfile(old: Profile, moves: Moves, value: (row: number) => unknown): Profile {
  const n = moves.length;
  const profile: Profile = {
    empty: new Uint8Array(n),
    numbers: old.numbers && new Float64Array(n).fill(NaN),
    money: old.money && { minor: new Array(n).fill(null), currency: new Array(n).fill(null) },
  };
  for (let row = 0; row < n; row++) {
    const from = moves[row];
    if (from < 0) {
      profiled(profile, row, value(row), n);
      continue;
    }
    profile.empty[row] = old.empty[from];
    // (A new row may have brought the column's first number or money: the others have none.)
    if (profile.numbers && old.numbers) profile.numbers[row] = old.numbers[from];
    if (profile.money && old.money) [profile.money.minor[row], profile.money.currency[row]] = [old.money.minor[from], old.money.currency[from]];
  }
  return profile;
}

/**
 * A column's order as integers: `ranks[row]` (EMPTY_RANK for an empty value) sorts the rows;
 * `distinct` is one past the highest rank. The keys there were get odd ranks in order (`sorted`,
 * `slotOf`); a key that arrives later takes the even rank between its neighbours (`taken`).
 */
interface Ranks {
  ranks: Uint32Array;
  distinct: number;
  sorted: SortKey[];
  slotOf: Map<SortKey, number>;
  taken: Set<number>;
}

/** Gives row `row` the rank of `key`; false when a new key finds its place taken by another new one. */
function placed(ranks: Ranks, row: number, key: SortKey | null): boolean {
  if (key === null) {
    ranks.ranks[row] = EMPTY_RANK;
    return true;
  }
  let slot = ranks.slotOf.get(key);
  if (slot === undefined) {
    // How many keys come before it: its place between them.
    let [low, high] = [0, ranks.sorted.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareKeys(ranks.sorted[mid], key) < 0) low = mid + 1;
      else high = mid;
    }
    slot = 2 * low;
    if (ranks.taken.has(slot)) return false;
    ranks.taken.add(slot);
    ranks.slotOf.set(key, slot);
  }
  ranks.ranks[row] = slot;
  return true;
}

function moneyAggregates(money: NonNullable<Profile['money']>, order: Uint32Array, from: number, to: number): Record<string, MoneyAggregate> {
  const totals = new Map<string, { count: number; sum: bigint; min: bigint; max: bigint }>();
  for (let i = from; i < to; i++) {
    const [m, c] = [money.minor[order[i]], money.currency[order[i]]];
    if (m === null || c === null) continue;
    const total = totals.get(c);
    if (!total) totals.set(c, { count: 1, sum: m, min: m, max: m });
    else {
      total.count++;
      total.sum += m;
      if (m < total.min) total.min = m;
      if (m > total.max) total.max = m;
    }
  }
  const amount = (minor: bigint, currency: string) => fromMinor(minor, currency).amount;
  return Object.fromEntries(
    // By currency code, so that the order does not depend on which row came first.
    [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, t]) => [c, { count: t.count, sum: amount(t.sum, c), avg: amount(divideRounded(t.sum, BigInt(t.count)), c), min: amount(t.min, c), max: amount(t.max, c) }]),
  );
}

const isMoney = (value: unknown): value is { amount: string; currency: string } =>
  typeof value === 'object' && value !== null && typeof (value as { amount?: unknown }).amount === 'string' && typeof (value as { currency?: unknown }).currency === 'string';

function moneyOf(value: { amount: string; currency: string }): [bigint | null, string | null] {
  try {
    return [toMinor(value), value.currency];
  } catch {
    // Not a valid amount or currency (the server never sends one): not counted.
    return [null, null];
  }
}

/** A value's elements made ready for filter tests: one for a scalar, a list for a list. */
function prepared(value: unknown, prepare: (element: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(prepare) : prepare(value);
}

interface CompiledFilter {
  filter: ViewFilter;
  test: FilterTest;
  /** Source row index of the field's value, or undefined when the field is not loaded. */
  index: number | undefined;
}

/** The last filtering: what it was, and the rows (source indexes, in source order) that passed. */
interface LastFilter {
  filters: ViewFilter[];
  search: string;
  searchColumns: string;
  kept: Uint32Array;
}

/**
 * Where each row of `rows` was in `before` (-1: new). Rows mostly keep their order (some removed,
 * some appended), so a walk along both finds them; a shuffle falls back to a map.
 */
function movesBetween(before: readonly SourceRow[], rows: readonly SourceRow[]): Moves {
  const moves = new Int32Array(rows.length).fill(-1);
  let from = 0;
  let skipped = 0;
  for (let row = 0; row < rows.length && skipped < 64; row++) {
    // Past the last old row: the rest are new (a slice appended while rows load).
    if (from >= before.length) break;
    let at = from;
    while (at < before.length && before[at] !== rows[row] && at - from < 64) at++;
    if (at < before.length && before[at] === rows[row]) {
      moves[row] = at;
      from = at + 1;
    } else skipped++;
  }
  if (skipped < 64) return moves;
  const was = new Map(before.map((row, i) => [row, i]));
  for (let row = 0; row < rows.length; row++) moves[row] = was.get(rows[row]) ?? -1;
  return moves;
}

class RowsCache {
  /** The row arrays and their versions the caches were computed from, to notice changes since. */
  private readonly seen: SourceRow[];
  private readonly versions: unknown[];
  private readonly columns = new Map<number, ColumnCache>();
  private last?: LastFilter;
  /** Per row, the folded texts of the searched columns joined by NUL: one `includes` per row. */
  private searchTexts?: { columns: number[]; texts: string[] };
  /** Bumped by sync() when rows changed: what was built in steps across it is dropped. */
  private generation = 0;
  private readonly currentGeneration = () => this.generation;

  constructor(
    readonly rows: readonly SourceRow[],
    /** The columns of the rows; a cache is reused only for the same ones. */
    readonly signature: string,
    /** The cache of the rows array this one replaces (rows added, removed, replaced). */
    before?: RowsCache,
    /** Per source index, what its cells show for a value (ShownValues). */
    private readonly shownAt: ReadonlyMap<number, (value: unknown) => unknown> = new Map(),
    /** Per source index, what it sorts by when not that (ShownValues.orderOf). */
    private readonly orderedAt: ReadonlyMap<number, (value: unknown) => unknown> = new Map(),
  ) {
    const moves = before && movesBetween(before.seen, rows);
    // Worth taking over only when most rows are still there.
    if (!before || !moves || moves.filter((from) => from >= 0).length < rows.length / 2) {
      this.seen = [...rows];
      this.versions = rows.map((row) => row[1]);
      return;
    }
    // Rows taken over carry the version the old cache saw, so one changed since is noticed.
    this.seen = Array.from(moves, (from, row) => (from < 0 ? rows[row] : before.seen[from]));
    this.versions = Array.from(moves, (from, row) => (from < 0 ? rows[row][1] : before.versions[from]));
    for (const [index, column] of before.columns) this.columns.set(index, new ColumnCache(rows, index, { column, moves }, shownAt.get(index), this.currentGeneration, orderedAt.get(index)));
    if (before.searchTexts) {
      const { columns } = before.searchTexts;
      this.searchTexts = { columns, texts: moved(before.searchTexts.texts, moves, (row) => this.searchText(columns, row))! };
    }
  }

  /** Recomputes what depends on rows replaced or given a new version since the last call. */
  sync(): void {
    const changed: number[] = [];
    for (let row = 0; row < this.rows.length; row++) {
      const now = this.rows[row];
      if (now !== this.seen[row] || now[1] !== this.versions[row]) {
        this.seen[row] = now;
        this.versions[row] = now[1];
        changed.push(row);
      }
    }
    if (!changed.length) return;
    this.generation++;
    for (const column of this.columns.values()) column.refresh(changed);
    if (this.searchTexts) for (const row of changed) this.searchTexts.texts[row] = this.searchText(this.searchTexts.columns, row);
    this.last = undefined;
  }

  column(index: number): ColumnCache {
    let column = this.columns.get(index);
    if (!column) this.columns.set(index, (column = new ColumnCache(this.rows, index, undefined, this.shownAt.get(index), this.currentGeneration, this.orderedAt.get(index))));
    return column;
  }

  /**
   * A row's searched values as text, joined, folded once (folding text joined by NUL is folding
   * each part); an empty value adds nothing (as text it would be "null").
   */
  private searchText(columns: number[], row: number): string {
    const values = this.rows[row];
    let text = '';
    for (let c = 0; c < columns.length; c++) {
      const shown = this.shownAt.get(columns[c]);
      const value = shown ? shown(values[columns[c]]) : values[columns[c]];
      if (c) text += SEPARATOR;
      if (isEmptyValue(value)) continue;
      text += Array.isArray(value) ? value.map(plainText).join(SEPARATOR) : plainText(value);
    }
    return foldText(text);
  }

  /** The search texts of the rows over these columns (source indexes). */
  searchable(columns: number[]): string[] {
    if (this.searchTexts?.columns.join() !== columns.join()) this.searchTexts = { columns, texts: finish(perRowInSteps(this.rows.length, (row) => this.searchText(columns, row))) };
    return this.searchTexts.texts;
  }

  /** searchable() ahead, in steps (warmUp). */
  *searchableInSteps(columns: number[]): Generator<void> {
    if (this.searchTexts?.columns.join() === columns.join()) return;
    const generation = this.generation;
    const texts = yield* perRowInSteps(this.rows.length, (row) => this.searchText(columns, row));
    if (generation === this.generation && this.searchTexts?.columns.join() !== columns.join()) this.searchTexts = { columns, texts };
  }

  /** Source indexes of the rows passing every filter and the search, in source order. */
  filter(index: Map<string, number>, filters: ViewFilter[], search: string, visible: string[]): Uint32Array {
    const searchColumns = visible.join(SEPARATOR);
    const last = this.last;
    const compiled: CompiledFilter[] = filters.map((filter) => ({ filter, test: filterTest(filter), index: index.get(filter.field) }));
    let candidates: Uint32Array | undefined;
    let toCheck = compiled;
    let checkSearch = search !== '';
    // The search narrows when it got longer over the same columns (or was not there before).
    if (last && narrows(last.filters, filters) && (last.search === '' || last.searchColumns === searchColumns) && search.includes(last.search)) {
      candidates = last.kept;
      toCheck = compiled.filter(({ filter }) => !last.filters.some((before) => sameFilter(before, filter)));
      checkSearch = search !== '' && (search !== last.search || searchColumns !== last.searchColumns);
    }
    let result: Uint32Array;
    if (!toCheck.length && !checkSearch) result = candidates ?? Uint32Array.from(this.rows, (_, row) => row);
    else {
      const texts = checkSearch ? this.searchable(visible.filter((key) => index.has(key)).map((key) => index.get(key)!)) : [];
      const tests = toCheck.map(({ test, index }) => (index === undefined ? () => test.whenEmpty : this.column(index).tester(test)));
      const passes = (row: number) => tests.every((passes) => passes(row)) && (!checkSearch || texts[row].includes(search));
      const kept = new Uint32Array(candidates ? candidates.length : this.rows.length);
      let n = 0;
      if (candidates) {
        for (let i = 0; i < candidates.length; i++) if (passes(candidates[i])) kept[n++] = candidates[i];
      } else {
        for (let row = 0; row < this.rows.length; row++) if (passes(row)) kept[n++] = row;
      }
      result = kept.slice(0, n);
    }
    this.last = { filters, search, searchColumns, kept: result };
    return result;
  }

  /**
   * `kept` ordered by the keys, ties in source order: a stable counting sort by each key's ranks,
   * last key first (LSD radix), so each key costs two passes, not a comparison sort.
   */
  sort(kept: Uint32Array, keys: { column: ColumnCache; sign: number }[]): Uint32Array {
    let order = kept;
    for (let k = keys.length - 1; k >= 0; k--) {
      const { ranks, distinct } = keys[k].column.ranks();
      // Bucket of a row: its rank (reversed for descending), empty rows in the last bucket.
      const bucket = keys[k].sign < 0 ? (row: number) => (ranks[row] === EMPTY_RANK ? distinct : distinct - 1 - ranks[row]) : (row: number) => (ranks[row] === EMPTY_RANK ? distinct : ranks[row]);
      const starts = new Uint32Array(distinct + 2);
      for (let i = 0; i < order.length; i++) starts[bucket(order[i]) + 1]++;
      for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
      const next = new Uint32Array(order.length);
      for (let i = 0; i < order.length; i++) next[starts[bucket(order[i])]++] = order[i];
      order = next;
    }
    return order;
  }
}

/** Joins a row's texts for the quick search; the search text never holds it (it is stripped). */
const SEPARATOR = '\u0000';

const sameFilter = (a: ViewFilter, b: ViewFilter) => a.field === b.field && a.op === b.op && JSON.stringify(a.value) === JSON.stringify(b.value);

/**
 * Whether every row passing `after` passed `before` too: each earlier filter is still there, or
 * narrowed by more typed text (contains a longer text containing the old one, starts with a
 * longer prefix).
 */
function narrows(before: ViewFilter[], after: ViewFilter[]): boolean {
  return before.every((old) =>
    after.some((now) => {
      if (sameFilter(old, now)) return true;
      if (old.field !== now.field || old.op !== now.op || typeof old.value !== 'string' || typeof now.value !== 'string') return false;
      const [was, is] = [foldText(old.value), foldText(now.value)];
      return old.op === 'contains' ? is.includes(was) : old.op === 'startsWith' && is.startsWith(was);
    }),
  );
}

const caches = new WeakMap<readonly SourceRow[], RowsCache>();
/** The cache used last: a new rows array (a row added or removed) starts from it, not from nothing. */
let recent: WeakRef<RowsCache> | undefined;

function cacheFor(rows: readonly SourceRow[], columns: readonly string[], shown?: ShownValues): RowsCache {
  const signature = columns.join(SEPARATOR) + (shown ? `${SEPARATOR}shown:${shown.key}` : '');
  let cache = caches.get(rows);
  if (cache?.signature !== signature) {
    const before = recent?.deref();
    const shownAt = new Map(columns.flatMap((column, i) => (shown?.of(column) ? [[i + 2, shown.of(column)!] as const] : [])));
    const orderedAt = new Map(columns.flatMap((column, i) => (shown?.orderOf?.(column) ? [[i + 2, shown.orderOf(column)!] as const] : [])));
    cache = new RowsCache(rows, signature, before?.signature === signature && before.rows !== rows ? before : undefined, shownAt, orderedAt);
    caches.set(rows, cache);
  }
  // Rows taken over, or this array's own, may have changed since their cache saw them.
  cache.sync();
  recent = new WeakRef(cache);
  return cache;
}
