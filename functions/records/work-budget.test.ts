/**
 * A request for many records does the longest start of them its work budget allows, and always
 * at least one (functions/records/work-budget.ts).
 */
import { expect, it } from 'vitest';
import { ITEM_LIMIT_BYTES } from './item-size.ts';
import { inParallelWithinBudget, WORK_BUDGET_BYTES } from './work-budget.ts';

/** Runs the budget over `count` items, each reading `bytes`; the items done, in the order they started. */
async function run(count: number, bytes: number, budget?: { bytes: number; until: number }) {
  const started: number[] = [];
  let atOnce = 0;
  let most = 0;
  const items = Array.from({ length: count }, (_, i) => i);
  const left = await inParallelWithinBudget(
    items,
    16,
    async (item) => {
      started.push(item);
      most = Math.max(most, ++atOnce);
      await new Promise((resolve) => setImmediate(resolve));
      atOnce--;
      return bytes;
    },
    budget,
  );
  return { started, left, most };
}

it('does the records that fit 4 MiB, in order, and leaves the rest', async () => {
  const { started, left } = await run(1000, 350_000);
  expect(started).toEqual(started.map((_, i) => i));
  expect(left).toEqual(Array.from({ length: 1000 - started.length }, (_, i) => started.length + i));
  expect(started.length * 350_000).toBeLessThanOrEqual(WORK_BUDGET_BYTES);
  // Room for no more than one record under way that might be as large as an item may be.
  expect((started.length + 1) * 350_000 + ITEM_LIMIT_BYTES).toBeGreaterThan(WORK_BUDGET_BYTES);
});

it('does 1,000 small records, as many at once as the budget holds records of the largest size', async () => {
  const { started, left, most } = await run(1000, 2_000);
  expect(started).toHaveLength(1000);
  expect(left).toEqual([]);
  // Each record under way counts as the largest an item may be until it is read: 10 of 400 KiB.
  expect(most).toBe(Math.floor(WORK_BUDGET_BYTES / ITEM_LIMIT_BYTES));
});

it('does one record however late it starts, and no more', async () => {
  const { started, left } = await run(5, 100, { bytes: WORK_BUDGET_BYTES, until: Date.now() - 1 });
  expect(started).toEqual([0]);
  expect(left).toEqual([1, 2, 3, 4]);
});
