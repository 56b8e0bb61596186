/**
 * Whether RevoGrid has drawn the cells of the rows it was given, for the grid's `data-rows-shown`
 * signal. Its `afterrender` event says only that one row layer rendered: the grid has a layer
 * per column group (row headers, pinned start, main, pinned end), each renders on its own turn,
 * and a layer renders (and fires the event, having drawn nothing) before RevoGrid's viewport has
 * counted new rows. So the rows are drawn once RevoGrid's row viewport counts them all, every
 * layer holding columns has rendered since they were given (`rendered`: rows sorted anew keep
 * their count, and a layer not yet rendered shows the old order), and every layer has drawn a
 * cell in each row of that viewport (the row headers' too).
 */
import type { ColumnRegular } from '@revolist/revogrid';

/** The part of RevoGrid's row viewport read here: its rows' count and those it draws. */
export interface RowViewport {
  get(key: 'realCount'): number;
  get(key: 'items'): Array<{ itemIndex: number }>;
}

export function rowsDrawn(grid: HTMLElement, viewport: RowViewport, rowCount: number, columns: ColumnRegular[], rendered: ReadonlySet<EventTarget>): boolean {
  if (viewport.get('realCount') !== rowCount) return false;
  const wanted = viewport.get('items').map((item) => item.itemIndex);
  if (rowCount > 0 && wanted.length === 0) return false;
  const columnLayers = new Set<string>(columns.map((column) => column.pin ?? 'rgCol'));
  for (const layer of grid.querySelectorAll<HTMLElement>('revogr-data[type="rgRow"]')) {
    const kind = layer.getAttribute('col-type') ?? '';
    if (columnLayers.has(kind) && !rendered.has(layer)) return false;
    if (!columnLayers.has(kind) && kind !== 'rowHeaders') continue;
    const drawn = new Set([...layer.querySelectorAll('[data-rgrow]')].map((cell) => Number(cell.getAttribute('data-rgrow'))));
    if (drawn.size !== wanted.length || !wanted.every((row) => drawn.has(row))) return false;
  }
  return true;
}
