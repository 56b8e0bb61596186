/**
 * What the grid shows on a cell besides its value: a save under way, an edit queued while
 * offline, a refused value (with the reason, and the text typed, which stays), or a conflict
 * (with the value that won, for the user to choose). Kept apart from the rows so a 100,000-row
 * array is never made reactive; `revision` tells the grid to repaint.
 */
import { cellKey } from './cell-writes.ts';

/** `readonly`: the role may not change the cell (set by the page, never by a save). */
export type CellStatus = 'saving' | 'queued' | 'invalid' | 'conflict' | 'readonly';

export interface CellState {
  status: CellStatus;
  /** What the user typed: shown in the cell instead of the stored value. */
  text?: string;
  message?: string;
  /** On a conflict: the value now stored, as text, and the record as it is now. */
  theirs?: string;
  current?: Record<string, unknown>;
}

export class CellStates {
  #states = new Map<string, CellState>();
  /** Bumped on every change, for whoever paints. */
  revision = $state(0);
  /** The conflicts waiting for the user's choice, for the chooser. */
  conflicts = $state<Array<{ id: string; field: string; state: CellState }>>([]);

  get = (id: string, field: string): CellState | undefined => this.#states.get(cellKey(id, field));

  set(id: string, field: string, state: CellState | undefined) {
    const key = cellKey(id, field);
    if (state) this.#states.set(key, state);
    else this.#states.delete(key);
    if (state?.status === 'conflict' || this.conflicts.some((c) => c.id === id && c.field === field)) {
      this.conflicts = [...this.conflicts.filter((c) => !(c.id === id && c.field === field)), ...(state?.status === 'conflict' ? [{ id, field, state }] : [])];
    }
  }

  touch() {
    this.revision++;
  }
}
