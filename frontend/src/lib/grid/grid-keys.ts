/**
 * The grid's keyboard model, apart from the DOM so it can be tested on its own. It follows the
 * WAI-ARIA grid pattern plus spreadsheet habits: arrows move, Enter/F2 or typing edits,
 * Delete/Backspace edits an emptied cell, Enter commits, Escape cancels, Tab moves along the row and leaves the grid at either end.
 */
export interface CellPosition {
  row: number;
  col: number;
}

export interface GridSize {
  rows: number;
  cols: number;
}

export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export type NavigationAction =
  | { type: 'move'; to: CellPosition }
  /** `text` replaces the value when editing starts by typing; otherwise the value is kept. */
  | { type: 'edit'; text?: string }
  /** Let the browser handle it (e.g. Tab out of the grid). */
  | { type: 'none' };

export type EditingAction =
  /** Commit, then move (Tab) or stay (Enter). */
  | { type: 'commit'; then: CellPosition | null }
  | { type: 'cancel' }
  | { type: 'none' };

const PAGE = 10;

export function navigationKey(event: KeyInput, at: CellPosition, size: GridSize): NavigationAction {
  const { key } = event;
  const command = event.ctrlKey || event.metaKey;
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  const move = (row: number, col: number): NavigationAction => ({
    type: 'move',
    to: { row: clamp(row, 0, lastRow), col: clamp(col, 0, lastCol) },
  });

  switch (key) {
    case 'ArrowUp':
      return move(command ? 0 : at.row - 1, at.col);
    case 'ArrowDown':
      return move(command ? lastRow : at.row + 1, at.col);
    case 'ArrowLeft':
      return move(at.row, command ? 0 : at.col - 1);
    case 'ArrowRight':
      return move(at.row, command ? lastCol : at.col + 1);
    case 'Home':
      return move(command ? 0 : at.row, 0);
    case 'End':
      return move(command ? lastRow : at.row, lastCol);
    case 'PageUp':
      return move(at.row - PAGE, at.col);
    case 'PageDown':
      return move(at.row + PAGE, at.col);
    case 'Tab': {
      const to = tabFrom(at, size, event.shiftKey ?? false);
      return to ? { type: 'move', to } : { type: 'none' };
    }
    case 'Enter':
    case 'F2':
      return { type: 'edit' };
    case 'Delete':
    case 'Backspace':
      // Starts an edit of an emptied cell; nothing is cleared until the edit is committed.
      return { type: 'edit', text: '' };
  }
  if (isPrintable(event)) return { type: 'edit', text: key };
  return { type: 'none' };
}

export function editingKey(event: KeyInput, at: CellPosition, size: GridSize): EditingAction {
  switch (event.key) {
    case 'Enter':
      return { type: 'commit', then: null };
    case 'Escape':
      return { type: 'cancel' };
    case 'Tab':
      return { type: 'commit', then: tabFrom(at, size, event.shiftKey ?? false) };
  }
  return { type: 'none' };
}

/** The next cell along the rows, or null when Tab leaves the grid. */
export function tabFrom(at: CellPosition, size: GridSize, backwards: boolean): CellPosition | null {
  const index = at.row * size.cols + at.col + (backwards ? -1 : 1);
  if (index < 0 || index >= size.rows * size.cols) return null;
  return { row: Math.floor(index / size.cols), col: index % size.cols };
}

/** A key that types a character (not a shortcut), which starts editing the way spreadsheets do. */
export function isPrintable(event: KeyInput): boolean {
  return [...event.key].length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

function clamp(value: number, min: number, max: number) {
  return Math.max(min, Math.min(max, value));
}
