/**
 * "The grid has drawn its rows", for the row loader: the rest of a view's rows is asked for only
 * once the first slice is on screen. Parsing and sorting a 20,000-row slice takes the main
 * thread for a while; arriving before the grid's first paint (RevoGrid's code loads on first
 * use), it delayed the first rows by that much.
 */
let waiting: Array<() => void> = [];

/** Called by RecordGrid after it rendered rows. */
export function gridPainted(): void {
  for (const resolve of waiting.splice(0)) resolve();
}

/** Resolves after the next paint of a grid with rows, or after `timeoutMs` (no grid shown). */
export function nextGridPaint(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      waiting = waiting.filter((w) => w !== done);
      // One more frame: RevoGrid's row layers render just after the grid itself.
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve));
      else resolve();
    }
    waiting.push(done);
  });
}
