/**
 * A change the user made to cells, as the grid hands it to the page: which row (the row array
 * `[id, version, ...values]`), which field, and the text typed, pasted or filled in. Text, not a
 * value: the cell keeps what was typed until the server accepted it, and refusals show it.
 */
import type { GridField } from '../records/grid-fields.ts';

export type GridRow = unknown[];

export interface CellWrite {
  row: GridRow;
  field: GridField;
  text: string;
  /**
   * The value itself when an editor picked it (related records' ids: a hidden record, or a name
   * two records share, has no text that reads back as its id); else the text is read.
   */
  value?: unknown;
}

/** Where a batch of writes came from: one undo step, one request (or one progress bar) each. */
export type WriteOrigin = 'edit' | 'paste' | 'fill' | 'clear' | 'undo' | 'redo' | 'resolve';

export const rowId = (row: GridRow) => row[0] as string;
export const rowVersion = (row: GridRow) => row[1] as number;
/** Values start after id and version. */
export const VALUE_OFFSET = 2;

/** The key of a cell in maps of cell states: record id and field key. */
export const cellKey = (id: string, field: string) => `${id}\u0000${field}`;
