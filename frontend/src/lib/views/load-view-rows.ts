/**
 * All rows of a view, slice after slice (a response holds at most 20,000): the first, small slice
 * is handed over as soon as it arrives, so the grid shows rows while the rest stream in. Rows are
 * `[id, version, ...values]`, as the grid reads them.
 */
import type { ViewFields, ViewRows } from '$contracts/views.ts';
import { viewsApi } from '../api/records.ts';
import type { ApiClient } from '../api/api-client.ts';

const FIRST_SLICE = 500;
/** How often a view whose records are being prepared is asked again. */
const PREPARING_POLL_MS = 1000;

/** A saved view by id, or an unsaved one by its fields (the type's default columns). */
export type ViewSource = { id: string } | { fields: Omit<ViewFields, 'name'> };

export async function loadViewRows(
  api: ApiClient,
  type: string,
  source: ViewSource,
  onSlice: (rows: unknown[][], loaded: number, total: number, first: ViewRows) => void,
  isCancelled: () => boolean = () => false,
  /** While the type's records are being prepared (its first read ever): how many are read so far. */
  onPreparing: (records: number) => void = () => {},
  /**
   * Waited for before the rest is asked for: the grid page waits until the first rows are drawn
   * (lib/grid/grid-paint.ts), since parsing a big slice before that delays them.
   */
  beforeRest: () => Promise<void> = async () => {},
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
  let rows: unknown[][] = first.rows;
  onSlice(rows, rows.length, first.total, first);
  if (rows.length < first.total) await beforeRest();
  while (rows.length < first.total && !isCancelled()) {
    const next = await slice(rows.length);
    if (next.rows.length === 0) break;
    rows = rows.concat(next.rows);
    if (!isCancelled()) onSlice(rows, rows.length, first.total, first);
  }
}
