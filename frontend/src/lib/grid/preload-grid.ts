/**
 * RevoGrid's code fetched while a page waits for its first rows. RevoGrid's loader fetches a
 * component's code only when the element first connects, which on the grid page is after the
 * first slice of rows has arrived: fetching and compiling it then came on top of the requests
 * (some 0.4 s before the first cells). These are the very modules the loader imports (same
 * files, so the same chunks and module instances): when it asks, they are there.
 */
export function preloadGridCode(): void {
  if (typeof window === 'undefined') return;
  // The components a grid of ours renders (no filter panel: the grid's own filter is off).
  // RevoGrid ships no types for these files (its loader is their only importer).
  // @ts-expect-error no declaration file
  void import('../../../../node_modules/@revolist/revogrid/dist/esm/revo-grid.entry.js').catch(() => undefined);
  // @ts-expect-error no declaration file
  void import('../../../../node_modules/@revolist/revogrid/dist/esm/revogr-data_4.entry.js').catch(() => undefined);
  // @ts-expect-error no declaration file
  void import('../../../../node_modules/@revolist/revogrid/dist/esm/revogr-attribution_7.entry.js').catch(() => undefined);
  // @ts-expect-error no declaration file
  void import('../../../../node_modules/@revolist/revogrid/dist/esm/revogr-clipboard_3.entry.js').catch(() => undefined);
}
