import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { finish, perRowInSteps, sortedInSteps, STEP_ROWS } from './idle-steps.ts';

/** How many steps a generator takes to its end, and what it returns. */
function stepsOf<T>(steps: Generator<void, T>): { count: number; value: T } {
  let count = 0;
  for (;;) {
    const next = steps.next();
    if (next.done) return { count, value: next.value };
    count++;
  }
}

describe('sortedInSteps', () => {
  it('gives the order a plain sort gives (code units), duplicates kept, runs merged across steps', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 3 }), { maxLength: 3 * STEP_ROWS + 7 }), (items) => {
        expect(finish(sortedInSteps([...items]))).toEqual([...items].sort());
      }),
      { numRuns: 25 },
    );
  });

  it('sorts STEP_ROWS at a time, and merges in steps too', () => {
    const items = Array.from({ length: 4 * STEP_ROWS }, (_, i) => `${(i * 7919) % 10_007}`);
    const { count, value } = stepsOf(sortedInSteps(items));
    expect(value).toEqual([...items].sort());
    // A step per run sorted (4), and the 3 merges (two of 2 runs, then one of both) step too.
    expect(count).toBeGreaterThanOrEqual(4 + 3);
  });
});

describe('perRowInSteps', () => {
  it('computes every row once, yielding after each STEP_ROWS of them', () => {
    const { count, value } = stepsOf(perRowInSteps(2 * STEP_ROWS + 1, (row) => row * 2));
    expect(value).toEqual(Array.from({ length: 2 * STEP_ROWS + 1 }, (_, row) => row * 2));
    expect(count).toBe(2);
  });
});
