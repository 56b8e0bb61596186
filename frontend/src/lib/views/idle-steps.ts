/**
 * Work done in steps while the browser is idle (the view's warm-up, lib/views/apply-view.ts): a
 * generator yields every STEP_ROWS rows, so that no step holds the main thread for more than a few
 * milliseconds, and `runWhenIdle` runs steps only while a frame has idle time left. What is needed
 * at once is driven to its end by `finish`.
 */

/** Rows a warm-up step computes: a few milliseconds of work. */
export const STEP_ROWS = 2_000;

/** Drives steps to their end at once: what is needed now is computed now. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** `run(row)` for rows 0..n-1, yielding every STEP_ROWS rows. */
export function* rowsInSteps(n: number, run: (row: number) => void): Generator<void> {
  for (let row = 0; row < n; row++) {
    run(row);
    if (row % STEP_ROWS === STEP_ROWS - 1) yield;
  }
}

/** `compute(row)` for rows 0..n-1, in steps. */
export function* perRowInSteps<T>(n: number, compute: (row: number) => T): Generator<void, T[]> {
  const all = new Array<T>(n);
  yield* rowsInSteps(n, (row) => (all[row] = compute(row)));
  return all;
}

/**
 * Distinct strings in code-unit order (what `Array.prototype.sort` gives), sorted STEP_ROWS at a
 * time and merged in steps: one native sort of 100,000 names took a frame's time several times.
 */
export function* sortedInSteps(items: string[]): Generator<void, string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < items.length; i += STEP_ROWS) {
    runs.push(items.slice(i, i + STEP_ROWS).sort());
    yield;
  }
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const [a, b] = [runs[r], runs[r + 1]];
      if (!b) {
        next.push(a);
        continue;
      }
      const merged = new Array<string>(a.length + b.length);
      let [i, j, k] = [0, 0, 0];
      while (i < a.length && j < b.length) {
        merged[k++] = b[j] < a[i] ? b[j++] : a[i++];
        if (k % STEP_ROWS === 0) yield;
      }
      while (i < a.length) merged[k++] = a[i++];
      while (j < b.length) merged[k++] = b[j++];
      next.push(merged);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

/** Idle time left in a frame below which no step starts: the frame's own work comes first. */
const STEP_BUDGET_MS = 8;

/** Runs `steps` in idle time; the returned function stops them. */
export function runWhenIdle(steps: Generator<void>): () => void {
  const idle = (run: (deadline?: IdleDeadline) => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run) : setTimeout(run, 50));
  let stopped = false;
  const step = (deadline?: IdleDeadline) => {
    if (stopped) return;
    // Without a deadline (no requestIdleCallback) one step per timer.
    if (!deadline) {
      if (!steps.next().done) idle(step);
      return;
    }
    while (deadline.timeRemaining() > STEP_BUDGET_MS) if (steps.next().done) return;
    idle(step);
  };
  idle(step);
  return () => void (stopped = true);
}
