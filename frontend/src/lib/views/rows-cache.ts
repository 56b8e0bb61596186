/**
 * The caches of a view over one rows array (`cacheFor`): its columns' caches (column-cache.ts),
 * the quick search's texts, and the last filter's result, so that a filter that only narrows (one
 * more character typed) re-checks only the rows that passed before. Kept per rows array (a
 * WeakMap, so they go with the array); a new rows array (rows added, removed, replaced) takes over
 * the caches of the one before, and each call compares row arrays and versions with those the
 * caches were made from and computes changed rows again.
 */
import type { ViewFilter } from '$contracts/views.ts';
import { filterTest, foldText, isEmptyValue, plainText, type FilterTest } from '$contracts/view-matching.ts';
import type { ShownValues, SourceRow } from './apply-view.ts';
import { ColumnCache, EMPTY_RANK, moved, type Moves } from './column-cache.ts';
import { finish, perRowInSteps } from './idle-steps.ts';

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

export class RowsCache {
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
export const SEPARATOR = '\u0000';

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

export function cacheFor(rows: readonly SourceRow[], columns: readonly string[], shown?: ShownValues): RowsCache {
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
