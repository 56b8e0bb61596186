/**
 * The grid's keys and its focus. RevoGrid has arrows, Tab, Enter, Esc, typing, Delete and
 * Ctrl+A/C/V; ours are Home/End (Ctrl: first/last row), PageUp/PageDown, undo and redo, Alt+Enter
 * (the focused row's card, as a double click on its header), Ctrl+Minus (delete rows), Ctrl+Enter
 * in an editor (fill the range, grid-clipboard.ts), and a group row's keys. Keys typed while the
 * grid moves or opens an editor wait for it (typing-queue.ts). What the focused cell has to say (a
 * refusal, a conflict, where a new column went) is `message`, shown under the grid.
 */
import type { ColumnRegular } from '@revolist/revogrid';
import { rowId, VALUE_OFFSET, type GridRow } from './cell-writes.ts';
import type { GridClipboard } from './grid-clipboard.ts';
import type { GridField } from '../records/grid-fields.ts';
import type { GridNow } from './grid-range.ts';
import { TypingQueue } from './typing-queue.ts';
import { isGroupRow, type GroupRow } from '../views/group-rows.ts';

/** What the keys do that is the page's (RecordGrid's props: read when a key comes). */
export interface GridKeyActions {
  onundo: () => void;
  onredo: () => void;
  onrowopen?: (row: GridRow) => void;
  ondeleterows?: () => void;
  ongrouptoggle?: (group: GroupRow, collapsed: boolean) => void;
}

export interface GridKeysOptions {
  /** The element around the grid: keys and clicks from within it are the grid's. */
  frame: () => HTMLElement | undefined;
  /** Rows' height in pixels, for PageUp/PageDown. */
  rowSize: number;
  clipboard: GridClipboard;
  actions: () => GridKeyActions;
  /** Bumped whenever cell states changed: the focused cell's message is read again. */
  revision: () => number;
  /** Once RevoGrid has drawn the rows given (RecordGrid's `data-rows-shown`). */
  drawn: () => Promise<void>;
}

const isEditing = (event: KeyboardEvent) => (event.target as HTMLElement | null)?.closest?.('revogr-edit') != null;

export class GridKeys {
  /** Where RevoGrid's focus is (positions), as its last `afterfocus` said. */
  #focusedAt = { x: -1, y: -1 };
  /** The focused cell's record and field (none on a group row). */
  #focused = $state.raw<{ row: GridRow; field: GridField } | null>(null);
  /** Said under the grid while its column has the focus (or no cell has): where a new column went. */
  #notice = $state<{ key: string; label: string; message: string } | null>(null);
  /** Keys typed while the grid moves or opens an editor wait for it (see typing-queue.ts). */
  readonly #typing: TypingQueue;

  /** What the focused cell has to say (a refusal, a conflict), or the notice, shown under the grid. */
  readonly message = $derived.by(() => {
    void this.options.revision();
    const focused = this.#focused;
    const notice = this.#notice;
    const state = focused && this.grid.cellState(rowId(focused.row), focused.field.key);
    if (state?.message && focused) return { label: focused.field.label, message: state.message, status: state.status };
    return notice && (!focused || focused.field.key === notice.key) ? { label: notice.label, message: notice.message, status: 'notice' } : null;
  });

  constructor(
    private readonly grid: GridNow,
    private readonly options: GridKeysOptions,
  ) {
    this.#typing = new TypingQueue(grid.element);
  }

  /** RevoGrid's `afterfocus` said where its focus is now. */
  focusMoved(at: { model?: GridRow | GroupRow; field?: GridField; rowIndex: number; colIndex: number }) {
    this.#focused = at.model && !isGroupRow(at.model) && at.field ? { row: at.model, field: at.field } : null;
    this.#focusedAt = { x: at.colIndex, y: at.rowIndex };
  }

  /** Takes keys and clicks on the window (capture: before RevoGrid); the returned function stops. */
  listen(): () => void {
    window.addEventListener('keydown', this.#onWindowKeyDown, true);
    window.addEventListener('mousedown', this.#onWindowMouseDown, true);
    return () => {
      window.removeEventListener('keydown', this.#onWindowKeyDown, true);
      window.removeEventListener('mousedown', this.#onWindowMouseDown, true);
    };
  }

  /**
   * RevoGrid listens to keys on the whole document: a key is the grid's when it comes from
   * within the grid, or from the page itself (an editor just closed leaves the focus nowhere)
   * while the grid has a focused cell. Taken first (window, capture), so a held key reaches no one.
   */
  readonly #onWindowKeyDown = (event: KeyboardEvent) => {
    const frame = this.options.frame();
    const typing = this.#typing;
    const target = event.target as Node | null;
    const fromPage = target === document.body || target === document.documentElement || target === document;
    if (!(frame && target && frame.contains(target)) && !(fromPage && (typing.gridFocused || typing.busy))) return;
    if (event.isTrusted && typing.take(event)) return;
    void this.#onKeyDown(event);
  };

  /** Resolves once the keys pressed so far have acted (see TypingQueue.settled). */
  settled(): Promise<void> {
    return this.#typing.settled();
  }

  /** A click on the grid waits for keys held before it (see typing-queue.ts). */
  readonly #onWindowMouseDown = (event: MouseEvent) => {
    const frame = this.options.frame();
    if (event.isTrusted && frame && event.target instanceof Node && frame.contains(event.target)) this.#typing.takeClick(event);
  };

  /** Keys RevoGrid does not have (Home/End, PageUp/PageDown), and undo/redo, which are ours. */
  async #onKeyDown(event: KeyboardEvent) {
    const element = this.grid.element();
    if (!element || this.#onGroupKey(event)) return;
    const { onrowopen, ondeleterows, onundo, onredo } = this.options.actions();
    const mod = event.ctrlKey || event.metaKey;
    if (isEditing(event)) {
      if (mod && event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        if (!(await this.options.clipboard.fillSelectionFromEditor(event))) (event.target as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }
      return;
    }
    // Alt+Enter opens the focused row's record card, as a double-click on its header does; it is
    // never RevoGrid's (which takes it for Enter, and edits). The row is the one RevoGrid has
    // focused at the key, which a click sets at once: `focused` follows it only a render later
    // (afterfocus), and a quick Alt+Enter after a click opened the row focused before.
    if (event.key === 'Enter' && event.altKey && onrowopen) {
      event.preventDefault();
      event.stopPropagation();
      const at = await element.getFocused();
      const row = at ? this.grid.rows()[at.cell.y] : undefined;
      if (row && !isGroupRow(row)) onrowopen(row);
      return;
    }
    // Ctrl+Minus deletes rows in Excel, Ctrl+Alt+Minus in Google Sheets; Delete alone clears cells.
    if (mod && (event.code === 'Minus' || event.code === 'NumpadSubtract') && ondeleterows) {
      event.preventDefault();
      event.stopPropagation();
      ondeleterows();
      return;
    }
    const key = event.key.toLowerCase();
    if (mod && key === 'z') {
      event.preventDefault();
      event.stopPropagation();
      if (event.shiftKey) onredo();
      else onundo();
      return;
    }
    if (mod && key === 'y') {
      event.preventDefault();
      event.stopPropagation();
      onredo();
      return;
    }
    if (!['Home', 'End', 'PageUp', 'PageDown'].includes(event.key)) return;
    event.preventDefault();
    event.stopPropagation();
    const focus = await element.getFocused();
    const x = focus?.cell.x ?? 0;
    const y = focus?.cell.y ?? 0;
    const page = Math.max(1, Math.floor(element.clientHeight / this.options.rowSize) - 2);
    const last = { x: this.grid.columnCount() - 1, y: this.grid.rows().length - 1 };
    if (event.key === 'Home') await this.focusAt(mod ? 0 : 0, mod ? 0 : y);
    if (event.key === 'End') await this.focusAt(last.x, mod ? last.y : y);
    if (event.key === 'PageUp') await this.focusAt(x, y - page);
    if (event.key === 'PageDown') await this.focusAt(x, y + page);
  }

  /**
   * Keys on a group row, as tree views have them: Enter or Space toggles, ArrowLeft collapses,
   * ArrowRight expands. The row is looked up by position: toggling makes new group row objects.
   */
  #onGroupKey(event: KeyboardEvent): boolean {
    const { ongrouptoggle } = this.options.actions();
    const row = this.grid.rows()[this.#focusedAt.y];
    if (!row || !isGroupRow(row) || !ongrouptoggle || isEditing(event) || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return false;
    const collapse = { Enter: !row.collapsed, ' ': !row.collapsed, ArrowLeft: true, ArrowRight: false }[event.key];
    if (collapse === undefined) return false;
    event.preventDefault();
    event.stopPropagation();
    if (collapse !== row.collapsed) ongrouptoggle(row, collapse);
    return true;
  }

  /** A row header double-clicked: the row's record card (Alt+Enter from the keyboard). */
  readonly doubleClick = (event: MouseEvent) => {
    const { onrowopen } = this.options.actions();
    if (!onrowopen) return;
    const cell = (event.target as HTMLElement).closest('[data-rgrow]');
    const y = Number(cell?.getAttribute('data-rgrow'));
    const row = cell && Number.isInteger(y) ? this.grid.rows()[y] : undefined;
    if (row && !isGroupRow(row)) onrowopen(row);
  };

  /** A click on a group row's first cell collapses or expands the group (Enter, Space, arrows from the keyboard). */
  readonly click = (event: MouseEvent) => {
    const cell = (event.target as HTMLElement).closest?.('[data-group-toggle]');
    const row = cell ? this.grid.rows()[Number(cell.getAttribute('aria-rowindex')) - 2] : undefined;
    if (row && isGroupRow(row)) this.options.actions().ongrouptoggle?.(row, !row.collapsed);
  };

  /** Tabbed into, the grid has a cell to work from: its first, unless one is focused already. */
  readonly gridFocus = async (event: FocusEvent) => {
    const element = this.grid.element();
    if (!element || event.target !== element || !this.grid.rows().length || (await element.getFocused())) return;
    await this.focusAt(0, 0);
  };

  async focusAt(x: number, y: number) {
    const element = this.grid.element();
    const rows = this.grid.rows();
    if (!element || rows.length === 0) return;
    const cx = Math.max(0, Math.min(this.grid.columnCount() - 1, x));
    const cy = Math.max(0, Math.min(rows.length - 1, y));
    await element.scrollToCoordinate({ x: cx, y: cy });
    await element.setCellsFocus({ x: cx, y: cy }, { x: cx, y: cy });
  }

  /** Starts editing a cell (e.g. a new row's name). */
  async editCell(columns: ColumnRegular[], id: string, key: string) {
    const y = this.grid.rows().findIndex((row) => !isGroupRow(row) && rowId(row) === id);
    const x = columns.findIndex((column) => (column as ColumnRegular & { field: GridField }).field.key === key);
    const element = this.grid.element();
    if (y < 0 || x < 0 || !element) return;
    await this.focusAt(x, y);
    await element.setCellEdit(y, VALUE_OFFSET + (this.grid.indexOf(key) ?? 0));
  }

  /**
   * Brings a column into view (a new custom field's: it is added last, off to the right) with
   * the focus on its first cell, the page's focus in the grid, so typing fills it.
   */
  async showColumn(columns: ColumnRegular[], key: string, message: string) {
    const x = columns.findIndex((column) => (column as ColumnRegular & { field: GridField }).field.key === key);
    const element = this.grid.element();
    if (x < 0 || !element) return;
    this.#notice = { key, label: this.grid.fieldAt(x)?.label ?? key, message };
    await this.options.drawn();
    // By index: scrollToCoordinate moved a few pixels, not a column.
    await element.scrollToColumnIndex(x);
    if (this.grid.rows().length) await element.setCellsFocus({ x, y: 0 }, { x, y: 0 });
    element.focus();
  }
}
