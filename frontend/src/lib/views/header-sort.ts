/**
 * Sorting from a column's header, as spreadsheets do: a click sorts by that column alone
 * (ascending, again descending, again not at all); Shift+click keeps the other sort keys and adds
 * the column as the next one (or turns or drops it where it already is). The column menu's sort
 * button goes through the same function, so mouse and keyboard mean the same.
 */
import type { SortState } from './apply-view.ts';

/** As many keys as the toolbar offers: more would not change what anyone sees. */
export const MAX_SORT_KEYS = 5;

export function sortByHeader(sort: readonly SortState[], field: string, addKey: boolean): SortState[] {
  const at = sort.findIndex((key) => key.field === field);
  const current = sort[at];
  if (!addKey) {
    // A column that was one of several keys starts over as the only one.
    if (!current || sort.length > 1) return [{ field, direction: current && sort.length === 1 ? 'desc' : 'asc' }];
    return current.direction === 'asc' ? [{ field, direction: 'desc' }] : [];
  }
  if (!current) return sort.length >= MAX_SORT_KEYS ? [...sort] : [...sort, { field, direction: 'asc' }];
  if (current.direction === 'asc') return sort.map((key, i) => (i === at ? { field, direction: 'desc' } : key));
  return sort.filter((_, i) => i !== at);
}

/** How a column shows in the sort: its direction and its position among the keys (1-based). */
export function sortMark(sort: readonly SortState[], field: string): { direction: SortState['direction']; position: number } | undefined {
  const at = sort.findIndex((key) => key.field === field);
  return at < 0 ? undefined : { direction: sort[at].direction, position: at + 1 };
}
