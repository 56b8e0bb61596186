/**
 * A saved view (`/api/views/{type}`) as the state the grid works with, and back: the saved view
 * lists its visible columns in order (the loaded columns it does not list are hidden), with their
 * widths and pinned ones; filters, sort and grouping are the same on both sides.
 */
import type { View, ViewFields } from '$contracts/views.ts';
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import type { FieldDefinition } from '$contracts/fields.ts';
import { allGridFields } from '$lib/records/grid-fields.ts';
import { orderedColumns, visibleColumns, type ViewState } from './apply-view.ts';

/**
 * The columns to load for a view: the view's own first, then every other field one may show,
 * filter or sort by, so that changing the view needs no new request. Structured values (a deal's
 * lines) are loaded only when the view shows them: they are heavy and neither sort nor filter.
 */
export function loadedColumns(type: RecordTypeInfo, viewColumns: readonly string[], custom: readonly FieldDefinition[]): string[] {
  const others = allGridFields(type, custom).filter((field) => field.kind !== 'json' && !viewColumns.includes(field.key));
  return [...viewColumns, ...others.map((field) => field.key)];
}

/** What of a view makes its state: a saved view, or the type's default columns. */
export type ViewBasis = Pick<ViewFields, 'columns' | 'filters' | 'sort' | 'groupBy' | 'widths' | 'pinned'>;

export function stateOfView(view: ViewBasis, loaded: readonly string[]): ViewState {
  const shown = view.columns.filter((key) => loaded.includes(key));
  return {
    columns: [
      ...shown.map((key) => ({ key, ...(view.widths?.[key] ? { width: view.widths[key] } : {}), ...(view.pinned?.includes(key) ? { pinned: true } : {}) })),
      ...loaded.filter((key) => !shown.includes(key)).map((key) => ({ key, hidden: true })),
    ],
    filters: view.filters ?? [],
    sort: (view.sort ?? []).map(({ field, direction }) => ({ field, direction: direction ?? 'asc' })),
    ...(view.groupBy ? { groupBy: view.groupBy } : {}),
    search: '',
  };
}

/** The state as a view to save (the quick search is not part of a view). */
export function viewOfState(state: ViewState, loaded: readonly string[]): ViewBasis {
  const columns = orderedColumns(loaded, state).filter((column) => !column.hidden);
  const widths = Object.fromEntries(columns.filter((column) => column.width).map((column) => [column.key, column.width!]));
  const pinned = columns.filter((column) => column.pinned).map((column) => column.key);
  return {
    columns: visibleColumns(loaded, state),
    filters: state.filters,
    sort: state.sort,
    ...(state.groupBy ? { groupBy: state.groupBy } : {}),
    ...(Object.keys(widths).length ? { widths } : {}),
    ...(pinned.length ? { pinned } : {}),
  };
}

/** Whether two states show the same view (same columns as laid out, filters, order, grouping, collapsed groups, search). */
export function sameState(a: ViewState, b: ViewState, loaded: readonly string[]): boolean {
  const shown = (s: ViewState) => JSON.stringify({ ...viewOfState(s, loaded), search: s.search, collapsed: s.collapsed ?? [] });
  return shown(a) === shown(b);
}

/** The views one can pick: one's own first, then those others shared, each by name. */
export function pickableViews(views: readonly View[], me: string | undefined): View[] {
  const byName = (x: View, y: View) => x.name.localeCompare(y.name);
  return [...views.filter((view) => view.owner === me).sort(byName), ...views.filter((view) => view.owner !== me).sort(byName)];
}
