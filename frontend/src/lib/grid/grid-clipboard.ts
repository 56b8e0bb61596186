/**
 * The grid's blocks of cells: copy, paste, the fill handle, a range cleared, and Ctrl+Enter in an
 * editor over a range. RevoGrid hands them over as its events (`before…`), which we take: its
 * values become the text spreadsheets read (`tsv.ts`, `fill-series.ts`), and every change leaves
 * as one batch of cell writes (`onwrite`), saved by grid-editing.svelte.ts.
 */
import { cellText } from '$contracts/cell-text.ts';
import { rowId, VALUE_OFFSET, type CellWrite, type GridRow, type WriteOrigin } from './cell-writes.ts';
import { fillSeries } from './fill-series.ts';
import { textOf, type GridField } from '../records/grid-fields.ts';
import { pushIfEditable, range, recordRowsIn, selectionOrFocus, type GridNow, type Range } from './grid-range.ts';
import { parseTsv, toTsv } from './tsv.ts';
import { isGroupRow, type GroupRow } from '../views/group-rows.ts';

export class GridClipboard {
  /** The fill handle was let go: the range edit that follows is its fill, not a clear. */
  #fillPending = false;
  /** The first column of the range being copied (said just before the copy): for copyText. */
  #copiedFrom = 0;

  constructor(
    private readonly grid: GridNow,
    private readonly onwrite: (writes: CellWrite[], origin: WriteOrigin) => void,
    /** Resolves once the keys pressed before now have acted (the range a paste goes to has grown). */
    private readonly keysSettled: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** RevoGrid's `beforeautofill`: the fill handle is let go. */
  readonly beforeAutofill = () => {
    this.#fillPending = true;
  };

  /** Autofill and range clears land here as a block of cells; we send them ourselves. */
  readonly beforeRangeEdit = (event: CustomEvent) => {
    event.preventDefault();
    const detail = event.detail as {
      data: Record<number, Record<number, unknown>>;
      models: Record<number, GridRow | GroupRow | undefined>;
      oldRange: { x: number; y: number; x1: number; y1: number } | null;
      newRange: { x: number; y: number; x1: number; y1: number } | null;
    };
    const origin: WriteOrigin = this.#fillPending ? 'fill' : 'clear';
    this.#fillPending = false;
    if (origin === 'fill' && detail.oldRange && detail.newRange) {
      this.onwrite(this.#fillWrites(detail.oldRange, detail.newRange), 'fill');
      return;
    }
    const fields = this.grid.fields();
    const writes: CellWrite[] = [];
    for (const [y, values] of Object.entries(detail.data)) {
      const row = detail.models[Number(y)];
      if (!row || isGroupRow(row)) continue;
      for (const prop of Object.keys(values)) {
        const field = fields[Number(prop) - VALUE_OFFSET];
        if (field?.editable) writes.push({ row, field, text: '' });
      }
    }
    if (writes.length) this.onwrite(writes, origin);
  };

  /** The fill handle dragged from `source` over `target`: copies, or continues a series per column. */
  #fillWrites(source: Range, target: Range): CellWrite[] {
    const { grid } = this;
    const rows = grid.rows();
    const writes: CellWrite[] = [];
    const vertical = target.y < source.y || target.y1 > source.y1;
    if (vertical) {
      for (let x = target.x; x <= target.x1; x++) {
        const field = grid.fieldAt(x);
        if (!field?.editable) continue;
        const seed = recordRowsIn(rows, source.y, source.y1).map((y) => this.#shownText(rows[y] as GridRow, field));
        const targets = recordRowsIn(rows, target.y, target.y1).filter((y) => y < source.y || y > source.y1);
        const before = targets.filter((y) => y < source.y);
        fillSeries(seed, before.length, 'before').forEach((text, i) => writes.push({ row: rows[before[i]] as GridRow, field, text }));
        const after = targets.filter((y) => y > source.y1);
        fillSeries(seed, after.length, 'after').forEach((text, i) => writes.push({ row: rows[after[i]] as GridRow, field, text }));
      }
    } else {
      for (const y of recordRowsIn(rows, target.y, target.y1)) {
        const row = rows[y] as GridRow;
        const seed = range(source.x, source.x1).map((x) => this.#shownText(row, grid.fieldAt(x)!));
        const before = range(target.x, target.x1).filter((x) => x < source.x);
        const after = range(target.x, target.x1).filter((x) => x > source.x1);
        fillSeries(seed, before.length, 'before').forEach((text, i) => pushIfEditable(writes, row, grid.fieldAt(before[i]), text));
        fillSeries(seed, after.length, 'after').forEach((text, i) => pushIfEditable(writes, row, grid.fieldAt(after[i]), text));
      }
    }
    return writes;
  }

  #shownText(row: GridRow, field: GridField): string {
    return this.grid.cellState(rowId(row), field.key)?.text ?? textOf(field, row[VALUE_OFFSET + (this.grid.indexOf(field.key) ?? -1)]);
  }

  /** Listens on the grid for the range about to be copied; the returned function stops. */
  listen(element: HTMLRevoGridElement): () => void {
    const onRangeCopy = (event: Event) => (this.#copiedFrom = ((event as CustomEvent).detail as { range?: Range }).range?.x ?? 0);
    element.addEventListener('clipboardrangecopy', onRangeCopy);
    return () => element.removeEventListener('clipboardrangecopy', onRangeCopy);
  }

  /**
   * Copy: the values of the range as a spreadsheet takes them (lists `a; b`, money `12.50 EUR`,
   * the same text an export writes), TSV quoted the way spreadsheets read it back. Set at once:
   * a clipboard can only be written while its event lasts.
   */
  readonly beforeCopyApply = (event: CustomEvent) => {
    event.preventDefault();
    const detail = event.detail as { event: DataTransfer; data?: unknown[][] };
    detail.event.setData('text/plain', toTsv((detail.data ?? []).map((row) => row.map((value, dx) => copyText(value, this.grid.fieldAt(this.#copiedFrom + dx))))));
  };

  readonly beforeCopy = (event: CustomEvent) => {
    if (!this.#isForCells((event.detail as { event: ClipboardEvent }).event)) event.preventDefault();
  };

  /** Paste: parsed here (quoted cells, line breaks), spread from the focused cell as far as it goes. */
  readonly beforePaste = (event: CustomEvent) => {
    event.preventDefault();
    const detail = event.detail as { raw: string; dataText: string; event: ClipboardEvent };
    if (!this.#isForCells(detail.event)) return;
    // The plain text: Excel and Google Sheets put TSV there beside their HTML.
    void this.paste(detail.dataText || detail.raw);
  };

  /**
   * RevoGrid listens to copy and paste on the whole document: only those aimed at the grid's
   * cells are the grid's (not a search box's, nor the open cell editor's own text).
   */
  #isForCells(event: Event | undefined): boolean {
    const target = event?.target as Node | null | undefined;
    const active = document.activeElement;
    const element = this.grid.element();
    const inGrid = (node: Node | null | undefined) => !!node && !!element?.contains(node);
    const inEditor = (node: Node | null | undefined) => !!(node as Element | null)?.closest?.('revogr-edit');
    return (inGrid(target) || inGrid(active) || target === document.body) && !inEditor(target) && !inEditor(active);
  }

  /** Text as if pasted from the clipboard at the focused cell or range. */
  async paste(raw: string) {
    await this.keysSettled();
    await this.#writeBlock(parseTsv(raw), 'paste');
  }

  /**
   * Ctrl+Enter in an editor, as in Excel and Google Sheets: the text typed goes into every cell
   * of the selected range (one bulk request, one undo step); without a range it is a plain Enter
   * (false: the caller gives it to the editor).
   */
  async fillSelectionFromEditor(event: KeyboardEvent): Promise<boolean> {
    const input = event.target;
    const range = await this.grid.element()?.getSelectedRange();
    if (!(input instanceof HTMLInputElement) || !range || (range.x === range.x1 && range.y === range.y1)) return false;
    const text = input.value;
    // The editor closes without saving its own cell (as Esc does): the range's write covers it.
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true, cancelable: true }));
    await this.#writeBlock([[text]], 'edit', range);
    return true;
  }

  async #writeBlock(block: string[][], origin: WriteOrigin, range?: Range) {
    const start = range ?? (await selectionOrFocus(this.grid.element()));
    if (!start || block.length === 0) return;
    const { grid } = this;
    const rows = grid.rows();
    // A single value pasted over a selected range fills all of it, as spreadsheets do.
    const single = block.length === 1 && block[0].length === 1;
    // The block's lines go to record rows one after another: a group row in the way is passed
    // over, not written (nor does it swallow a line).
    const targets = single ? recordRowsIn(rows, start.y, start.y1) : recordRowsIn(rows, start.y, rows.length - 1, block.length);
    const writes: CellWrite[] = [];
    targets.forEach((y, dy) => {
      const values = single ? block[0] : block[dy];
      const width = single ? start.x1 - start.x + 1 : values.length;
      for (let dx = 0; dx < width; dx++) {
        pushIfEditable(writes, rows[y] as GridRow, grid.fieldAt(start.x + dx), single ? values[0] : (values[dx] ?? ''));
      }
    });
    if (writes.length) this.onwrite(writes, origin);
  }
}

/**
 * A cell is copied as it shows (pasted back, it reads the same): users and related records by
 * name, a percent as `25%` (it was copied `25`), a stage by its label. A checkbox as `true` or
 * `false`, which spreadsheets take for theirs (its ✓ would be text there).
 */
function copyText(value: unknown, field: GridField | undefined): string {
  return field && field.kind !== 'checkbox' ? textOf(field, value) : cellText(value);
}
