/**
 * What one column's values are made into for a view, each the first time it is needed or ahead
 * in steps (idle-steps.ts): per row its sort key, its rank in the column's order (a multi-column
 * sort then compares integers), what a filter test reads, and the column's profile for the totals
 * (aggregates.ts). A new rows array takes over what it can of the rows it replaces (`Moves`); a
 * row changed in place is computed again (`refresh`).
 */
import { compareKeys, elementKey, elementText, sortKey, type FilterTest, type SortKey } from '$contracts/view-matching.ts';
import { aggregate, movedProfile, profiled, type ColumnAggregate, type Profile } from './aggregates.ts';
import type { SourceRow } from './apply-view.ts';
import { finish, perRowInSteps, rowsInSteps, sortedInSteps } from './idle-steps.ts';

export const EMPTY_RANK = 0xffffffff;

/** Where each row of a new rows array was in the old one (-1: a new row). */
export type Moves = Int32Array;

/** `old` rearranged by `moves`; new rows computed. */
export function moved<T>(old: T[] | undefined, moves: Moves, compute: (row: number) => T): T[] | undefined {
  if (!old) return undefined;
  const next = new Array<T>(moves.length);
  for (let row = 0; row < moves.length; row++) next[row] = moves[row] < 0 ? compute(row) : old[moves[row]];
  return next;
}

/** What one column's values are made into, each computed the first time it is needed. */
export class ColumnCache {
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
    return aggregate(this.profile(), order, from, to);
  }
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

/** A value's elements made ready for filter tests: one for a scalar, a list for a list. */
function prepared(value: unknown, prepare: (element: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(prepare) : prepare(value);
}
