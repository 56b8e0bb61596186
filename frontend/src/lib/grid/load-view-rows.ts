/**
 * All rows of a view, slice after slice (a response holds at most 20,000): the first, small slice
 * is handed over as soon as it arrives, so the grid shows rows while the rest stream in.
 */
import type { ViewFields, ViewRows } from '$contracts/views.ts';
import { viewsApi } from '../api/records.ts';
import type { ApiClient } from '../api/api-client.ts';
import type { GridRow } from './cell-writes.ts';
import { nextGridPaint } from './grid-paint.ts';

const FIRST_SLICE = 500;
/** How often a view whose records are being prepared is asked again. */
const PREPARING_POLL_MS = 1000;

/** A saved view by id, or an unsaved one by its fields (the type's default columns). */
export type ViewSource = { id: string } | { fields: Omit<ViewFields, 'name'> };

export async function loadViewRows(
  api: ApiClient,
  type: string,
  source: ViewSource,
  onSlice: (rows: GridRow[], loaded: number, total: number, first: ViewRows) => void,
  isCancelled: () => boolean = () => false,
  /** While the type's records are being prepared (its first read ever): how many are read so far. */
  onPreparing: (records: number) => void = () => {},
): Promise<void> {
  const views = viewsApi(api, type);
  const slice = (offset: number, limit?: number) => ('id' in source ? views.rows(source.id, offset, limit) : views.unsavedRows(source.fields, offset, limit));
  // A small first slice: the grid has rows to show while the rest (20,000 a response) arrive.
  let first = await slice(0, FIRST_SLICE);
  // A type read for the first time is prepared in the background (202 with `building`): ask again until it is ready.
  while (first.building && !isCancelled()) {
    onPreparing(first.building.records);
    await new Promise((resolve) => setTimeout(resolve, PREPARING_POLL_MS));
    first = await slice(0, FIRST_SLICE);
  }
  if (first.building) return;
  let rows: GridRow[] = first.rows;
  onSlice(rows, rows.length, first.total, first);
  // The rest only once the first rows are drawn (see grid-paint.ts); at most 3 s of waiting.
  if (rows.length < first.total) await nextGridPaint(3000);
  while (rows.length < first.total && !isCancelled()) {
    const next = await slice(rows.length);
    if (next.rows.length === 0) break;
    rows = rows.concat(next.rows);
    if (!isCancelled()) onSlice(rows, rows.length, first.total, first);
  }
}
