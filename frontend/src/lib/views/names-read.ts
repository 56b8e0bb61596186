/**
 * Views read relation columns by the names their cells show (grid-fields `shownNames`), but the
 * grid asks only for the names of the cells it draws. So before a view sorts, filters, groups or
 * quick-searches by a relation column (the search covers the visible columns), every id in that
 * column is named: one scan of the rows for its distinct ids, and display-names asks the server
 * for those it does not know (POST /api/{plural}/names), then says so once (`recordsRevision`),
 * and the view's caches are rebuilt with the names.
 */
import type { GridField } from '../records/grid-fields.ts';
import { displayNames } from '../pickers/display-names.svelte.ts';
import type { SourceRow, ViewState } from './apply-view.ts';

/** Relation columns the view reads: sorted, filtered or grouped by; the visible ones while searching. */
export function relationColumnsRead(fields: readonly GridField[], state: ViewState, visible: readonly string[]): GridField[] {
  const read = new Set([...state.sort.map((key) => key.field), ...state.filters.map((filter) => filter.field), ...(state.groupBy ? [state.groupBy] : []), ...(state.search.trim() ? visible : [])]);
  return fields.filter((field) => field.kind === 'relation' && read.has(field.key));
}

/** The distinct ids of one column (source index `index`: values start after id and version). */
export function idsIn(rows: readonly SourceRow[], index: number): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    const value = row[index];
    if (typeof value === 'string' && value) ids.add(value);
    else if (Array.isArray(value)) for (const id of value) if (typeof id === 'string' && id) ids.add(id);
  }
  return ids;
}

/** Asks for the names of every id in these columns of the rows (`keys`: the rows' fields in order). */
export function loadNamesRead(rows: readonly SourceRow[], keys: readonly string[], read: readonly GridField[]): void {
  for (const field of read) {
    const at = keys.indexOf(field.key);
    if (at >= 0 && field.target) void displayNames.loadNames(field.target, idsIn(rows, at + 2));
  }
}
