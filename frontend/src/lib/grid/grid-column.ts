/** A column of the grid: what it shows, and whether a cell of it can be edited. */
export interface GridColumn<Row> {
  key: string;
  label: string;
  /** CSS width, e.g. "16rem". */
  width?: string;
  editable: boolean;
  /** The text shown (and edited) for a row; defaults to the field's value. */
  text?: (row: Row) => string;
  placeholder?: string;
}

/** What saving a cell came to; the grid shows the message on the cell. */
export type CommitResult =
  | { status: 'saved' }
  /** Not saved (invalid, or the server failed); the cell stays in edit with the input and the reason. */
  | { status: 'error'; message: string }
  /** Someone else changed the record; the row now shows the current value. */
  | { status: 'conflict'; message: string };

export function cellText<Row>(column: GridColumn<Row>, row: Row): string {
  if (column.text) return column.text(row);
  const value = (row as Record<string, unknown>)[column.key];
  return value === null || value === undefined ? '' : String(value);
}
