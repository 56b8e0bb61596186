/**
 * Ranges of cells as RevoGrid gives them (positions: `x` a visible column, `y` a row shown) and
 * what they hold: the record rows in them (group header rows take no values), the fields of
 * their columns. Shared by the grid's clipboard and fill (grid-clipboard.ts), its keys
 * (grid-keys.svelte.ts) and RecordGrid.svelte, which hands them the grid as it is now (`GridNow`).
 */
import type { CellState } from './cell-states.svelte.ts';
import type { CellWrite, GridRow } from './cell-writes.ts';
import type { GridField } from '../records/grid-fields.ts';
import { isGroupRow, type GroupRow } from '../views/group-rows.ts';

export type Range = { x: number; y: number; x1: number; y1: number };

/** The grid as it is now, read when needed (its rows and columns change under the helpers). */
export interface GridNow {
  element(): HTMLRevoGridElement | undefined;
  rows(): ReadonlyArray<GridRow | GroupRow>;
  /** The fields of the row arrays, in their order (`row[VALUE_OFFSET + i]` is `fields()[i]`). */
  fields(): GridField[];
  /** The field of the visible column at a position. */
  fieldAt(x: number): GridField | undefined;
  /** Where a field's value is in a row array, after id and version (`VALUE_OFFSET + i`). */
  indexOf(key: string): number | undefined;
  columnCount(): number;
  cellState(id: string, field: string): CellState | undefined;
}

/** `from`, `from + 1`, ... `to`. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Positions from `from` to `to` that hold records: group rows take no values. */
export function recordRowsIn(rows: ReadonlyArray<GridRow | GroupRow>, from: number, to: number, limit = Infinity): number[] {
  const ys: number[] = [];
  for (let y = from; y <= to && ys.length < limit; y++) if (rows[y] && !isGroupRow(rows[y])) ys.push(y);
  return ys;
}

export const pushIfEditable = (writes: CellWrite[], row: GridRow, field: GridField | undefined, text: string) => {
  if (field?.editable) writes.push({ row, field, text });
};

/** The selected range, or the focused cell as a range of one. */
export async function selectionOrFocus(element: HTMLRevoGridElement | undefined): Promise<Range | null> {
  const selected = await element?.getSelectedRange();
  const focus = await element?.getFocused();
  return selected ?? (focus ? { x: focus.cell.x, y: focus.cell.y, x1: focus.cell.x, y1: focus.cell.y } : null);
}

/** The records' rows in the selected range, or the focused cell's row: what a delete of rows takes. */
export async function selectedRows(grid: GridNow): Promise<GridRow[]> {
  const element = grid.element();
  const selected = await element?.getSelectedRange();
  const focus = await element?.getFocused();
  const [from, to] = selected ? [selected.y, selected.y1] : focus ? [focus.cell.y, focus.cell.y] : [0, -1];
  const rows = grid.rows();
  // Group header rows are no records.
  return range(from, to).flatMap((y) => (Array.isArray(rows[y]) ? [rows[y] as GridRow] : []));
}
