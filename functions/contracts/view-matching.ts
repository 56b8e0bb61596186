/**
 * How a view reads a field's value: when it is empty, how two values order, whether it passes a
 * filter. One module for the server (views/view-rows.ts) and the grid in the browser
 * (frontend/src/lib/views/apply-view.ts), so a view shows the same rows in either place.
 *
 * Values are compared through keys computed once per value: a number for numbers, booleans (0/1)
 * and money (its amount); for anything else a string key in which plain `<` is natural,
 * case- and accent-insensitive order. Keys rather than `Intl.Collator.compare`, because a
 * collator call per comparison is too slow to sort 100,000 rows in the browser (~1.7 million
 * comparisons), while a key is computed once per row and cached there.
 */
import type { ViewFilter } from './views.ts';

/** A value's place in the order; `null` is an empty value. */
export type SortKey = number | string;

export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Lower case without accents or other combining marks: `Émile` → `emile`. */
export function foldText(text: string): string {
  // Most values are plain ASCII: skip the (costly) normalisation for them.
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text) ? text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase() : text.toLowerCase();
}

/**
 * The folded text with each run of digits replaced by its length and its digits (leading zeros
 * dropped), so that `item 9` < `item 10` by plain string comparison. The length is written in
 * digits too (`9` per nine digits, then the rest), so a run still sorts where a digit would: after
 * spaces and punctuation, before letters.
 */
export function naturalKey(text: string): string {
  return foldText(text).replace(/\d+/g, (run) => {
    const digits = run.replace(/^0+(?=\d)/, '');
    return '9'.repeat(Math.floor(digits.length / 9)) + String(digits.length % 9) + digits;
  });
}

/** Money counts by its amount; other objects as their JSON. */
function scalarOf(value: unknown): unknown {
  if (value && typeof value === 'object' && 'amount' in value && typeof value.amount === 'string') return Number(value.amount);
  return value && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** The key of one (non-list) value; `null` when it is empty. */
export function elementKey(value: unknown): SortKey | null {
  const scalar = scalarOf(value);
  if (scalar === undefined || scalar === null || scalar === '') return null;
  if (typeof scalar === 'number') return scalar;
  if (typeof scalar === 'boolean') return scalar ? 1 : 0;
  return naturalKey(String(scalar));
}

/** One (non-list) value as text, before folding. */
export function plainText(value: unknown): string {
  return String(scalarOf(value));
}

/** The text a `contains`/`startsWith` filter looks into, for one (non-list) value. */
export function elementText(value: unknown): string {
  return foldText(plainText(value));
}

/** Joins a row's texts for the quick search; a search never holds it (it is stripped). */
export const SEARCH_SEPARATOR = '\u0000';

/**
 * A row's values as the quick search reads them: each value's text (a list's values each),
 * joined, folded; an empty value adds nothing. A row matches when this contains the folded
 * search. (The grid builds the same text in its own loop, from the values its cells show.)
 */
export function searchText(values: readonly unknown[]): string {
  return foldText(values.map((value) => (isEmptyValue(value) ? '' : Array.isArray(value) ? value.map(plainText).join(SEARCH_SEPARATOR) : plainText(value))).join(SEARCH_SEPARATOR));
}

/** The search as rows are matched with it: folded, trimmed, without the separator. */
export const foldedSearch = (search: string) => foldText(search.replaceAll(SEARCH_SEPARATOR, '').trim());

/** The key a row sorts by: a list sorts by its first value. */
export function sortKey(value: unknown): SortKey | null {
  return elementKey(Array.isArray(value) ? value[0] : value);
}

/** Ascending order of two keys; empty keys last. Numbers come before text. */
export function compareKeys(a: SortKey | null, b: SortKey | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1;
}

/**
 * Order of two field values; `sign` -1 for descending. Empty values come last either way: a sort
 * is for the values there are.
 */
export function compareValues(a: unknown, b: unknown, sign: 1 | -1 = 1): number {
  const [x, y] = [sortKey(a), sortKey(b)];
  if (x === null || y === null) return compareKeys(x, y);
  return sign * compareKeys(x, y);
}

/**
 * A filter made ready to test many values: what it reads of a value (the keys of its elements,
 * their folded text, or only whether it is empty), what an empty value gives, and the test of
 * one element. A list value passes when any element does (`neq`: when every element does).
 */
export interface FilterTest {
  readonly reads: 'key' | 'text' | 'emptiness';
  readonly whenEmpty: boolean;
  readonly every: boolean;
  /** One element's key (`reads: 'key'`) or folded text (`reads: 'text'`). */
  element(prepared: SortKey | null | string): boolean;
}

/** What an element is compared with: the wanted value's key, as a number where the element is one. */
interface Wanted {
  text: string;
  number: number | undefined;
}

function wantedOf(value: unknown): Wanted {
  const text = naturalKey(String(value));
  if (typeof value === 'number') return { text, number: value };
  if (typeof value === 'boolean') return { text, number: value ? 1 : 0 };
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return { text, number: Number.isFinite(number) ? number : undefined };
}

/** Ascending order of an element's key and a wanted value, the wanted taken as a number for a number. */
function compareWanted(key: SortKey | null, wanted: Wanted): number {
  if (key === null) return 1;
  if (typeof key === 'number') return wanted.number === undefined ? compareKeys(naturalKey(String(key)), wanted.text) : key - wanted.number;
  return compareKeys(key, wanted.text);
}

export function filterTest(filter: ViewFilter): FilterTest {
  const order = (accept: (by: number) => boolean, every = false): FilterTest => {
    const wanted = wantedOf(filter.value);
    return { reads: 'key', whenEmpty: filter.op === 'neq', every, element: (key) => accept(compareWanted(key as SortKey | null, wanted)) };
  };
  switch (filter.op) {
    case 'empty':
    case 'notEmpty':
      return { reads: 'emptiness', whenEmpty: filter.op === 'empty', every: false, element: () => filter.op === 'notEmpty' };
    case 'contains':
    case 'startsWith': {
      const wanted = foldText(String(filter.value));
      const test = filter.op === 'contains' ? (text: string) => text.includes(wanted) : (text: string) => text.startsWith(wanted);
      return { reads: 'text', whenEmpty: false, every: false, element: (text) => test(text as string) };
    }
    case 'in': {
      // As compareWanted's equality, by Set lookups: a drill's view names up to 5,000 ids, over 100,000 rows.
      const wanted = (filter.value as unknown[]).map(wantedOf);
      const texts = new Set(wanted.map((w) => w.text));
      const numbers = new Set(wanted.flatMap((w) => (w.number === undefined ? [] : [w.number])));
      const textsOnly = new Set(wanted.flatMap((w) => (w.number === undefined ? [w.text] : [])));
      const element = (key: SortKey | null) => (key === null ? false : typeof key === 'number' ? numbers.has(key) || textsOnly.has(naturalKey(String(key))) : texts.has(key));
      return { reads: 'key', whenEmpty: false, every: false, element: (key) => element(key as SortKey | null) };
    }
    case 'eq':
      return order((by) => by === 0);
    case 'neq':
      return order((by) => by !== 0, true);
    case 'gt':
      return order((by) => by > 0);
    case 'gte':
      return order((by) => by >= 0);
    case 'lt':
      return order((by) => by < 0);
    case 'lte':
      return order((by) => by <= 0);
  }
}

/** Whether a field value passes a filter (compile the filter once with `filterTest` for many values). */
export function matchesFilter(value: unknown, filter: ViewFilter, test: FilterTest = filterTest(filter)): boolean {
  if (isEmptyValue(value)) return test.whenEmpty;
  if (test.reads === 'emptiness') return !test.whenEmpty;
  const elements = Array.isArray(value) ? value : [value];
  const prepare = test.reads === 'key' ? elementKey : elementText;
  return test.every ? elements.every((element) => test.element(prepare(element))) : elements.some((element) => test.element(prepare(element)));
}
