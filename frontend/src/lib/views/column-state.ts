/**
 * The columns of a view as the user arranges them (order, width, hidden, pinned), changed by pure
 * functions that return a new ViewState, and turned into the grid's column layout (RevoGrid:
 * `size`, `pin: 'colPinStart'`, column order as given).
 */
import { orderedColumns, visibleColumns, type ColumnState, type ViewState } from './apply-view.ts';

/** What RecordGrid takes as `columns` (lib/grid/RecordGrid.svelte's ColumnLayout). */
export interface GridColumnLayout {
  key: string;
  width?: number;
  pin?: 'colPinStart';
}

/** The visible columns in display order, pinned ones first, with their widths. */
export function gridLayout(columns: readonly string[], state: Pick<ViewState, 'columns'>): GridColumnLayout[] {
  return orderedColumns(columns, state)
    .filter((column) => !column.hidden)
    .map(({ key, width, pinned }) => ({ key, ...(width ? { width } : {}), ...(pinned ? { pin: 'colPinStart' as const } : {}) }));
}

/** Every loaded column listed, in display order, so that a change to one keeps the others' places. */
function listed(columns: readonly string[], state: ViewState): ColumnState[] {
  return orderedColumns(columns, state);
}

function change(columns: readonly string[], state: ViewState, key: string, patch: Partial<ColumnState>): ViewState {
  return { ...state, columns: listed(columns, state).map((column) => (column.key === key ? { ...column, ...patch } : column)) };
}

export const withWidth = (columns: readonly string[], state: ViewState, key: string, width: number): ViewState =>
  change(columns, state, key, { width: Math.round(Math.min(2000, Math.max(40, width))) });

/** Hidden or shown; at least one column stays visible. */
export function withHidden(columns: readonly string[], state: ViewState, key: string, hidden: boolean): ViewState {
  if (hidden && visibleColumns(columns, state).filter((k) => k !== key).length === 0) return state;
  return change(columns, state, key, { hidden });
}

export const withPinned = (columns: readonly string[], state: ViewState, key: string, pinned: boolean): ViewState => change(columns, state, key, { pinned });

/** `key` moved `by` places among the visible columns (-1: one to the left), keeping pinned ones first. */
export function withMoved(columns: readonly string[], state: ViewState, key: string, by: number): ViewState {
  const all = listed(columns, state);
  const visible = all.filter((column) => !column.hidden);
  const from = visible.findIndex((column) => column.key === key);
  const to = Math.max(0, Math.min(visible.length - 1, from + by));
  if (from < 0 || to === from) return state;
  const order = visible.map((column) => column.key);
  order.splice(to, 0, ...order.splice(from, 1));
  return withOrder(columns, state, order);
}

/** The visible columns in this order; hidden columns keep their places after them. */
export function withOrder(columns: readonly string[], state: ViewState, order: readonly string[]): ViewState {
  const all = new Map(listed(columns, state).map((column) => [column.key, column]));
  const moved = order.filter((key) => all.has(key)).map((key) => all.get(key)!);
  const rest = [...all.values()].filter((column) => !order.includes(column.key));
  return { ...state, columns: [...moved, ...rest] };
}

/**
 * After a drag in the grid's header: RevoGrid reorders within one part of the grid (the pinned
 * columns, or the others) and reports that part's new order.
 */
export function withDragged(columns: readonly string[], state: ViewState, part: 'colPinStart' | 'rgCol' | string, keys: readonly string[]): ViewState {
  const visible = orderedColumns(columns, state).filter((column) => !column.hidden);
  const pinned = visible.filter((column) => column.pinned).map((column) => column.key);
  const others = visible.filter((column) => !column.pinned).map((column) => column.key);
  if (part === 'colPinStart') return withOrder(columns, state, [...keys, ...others]);
  if (part === 'rgCol') return withOrder(columns, state, [...pinned, ...keys]);
  return state;
}
