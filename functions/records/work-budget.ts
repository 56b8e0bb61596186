/**
 * What one request for many records (a paste of 1,000 cells, 1,000 records to the trash or back)
 * may do before it answers. API Gateway waits 30 s for the function, and 1,000 records of ~350 KB
 * are 350 MB to read and as much to write: on a busy two-core machine 40 of them took 8 s to
 * restore and 1,000 small ones 8-27 s, so the gateway gave up with a 503 while the function went on
 * writing. So such a request takes its records in order, several at a time, while the records it
 * has read stay within WORK_BUDGET_BYTES and its time within WORK_BUDGET_MS; those it did not start
 * are answered `later`, for the client to send again (in a request of their own). It always does
 * at least one, so a client that sends the `later` ones again is done after a bounded number of
 * requests.
 */
import { ITEM_LIMIT_BYTES, itemBytes } from './item-size.ts';

/**
 * What the records one request reads (and so writes) may take: 11 of the largest (~350 KB), or
 * 1,000 of 4 KB. As much as the answer may carry (api/records-once.ts), so a restore's answer
 * holds every record it restored.
 */
export const WORK_BUDGET_BYTES = 4 * 1024 * 1024;
/**
 * No record is started after this long: a safety for a table slower than usual, which the bytes
 * do not bound (on a busy two-core machine 1,000 small records took 8-27 s). Those under way (at
 * most the budget's bytes: 11 records of ~350 KB took 6 s there) finish and the answer is stored
 * and sent within the 29 s the function has. Ordinary requests end long before it.
 */
export const WORK_BUDGET_MS = 15_000;

/** The size of a record read, to spend on the budget (nothing for one not there). */
export const bytesRead = (record: Record<string, unknown> | undefined) => (record ? itemBytes(record) : 0);

/**
 * Runs `work` over `items` in order, at most `limit` at once, while the budget lasts; `work`
 * answers the bytes it read. Each record under way holds the most a record may take
 * (ITEM_LIMIT_BYTES) until it is done, so the bytes read never pass the budget and the records
 * done are the longest start of `items` that fits. Answers the items not started.
 */
export async function inParallelWithinBudget<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<number>,
  budget: { bytes: number; until: number } = { bytes: WORK_BUDGET_BYTES, until: Date.now() + WORK_BUDGET_MS },
): Promise<T[]> {
  let next = 0;
  let spent = 0;
  let underWay = 0;
  let over = false;
  const worker = async () => {
    while (next < items.length && !over) {
      // The first item always starts, however late (a slow start must not leave the client nothing done).
      if (next > 0 && (spent + (underWay + 1) * ITEM_LIMIT_BYTES > budget.bytes || Date.now() > budget.until)) {
        // With records under way this worker retires (they may leave room for the last one);
        // with none, nothing will: the rest waits for the next request.
        if (underWay === 0) over = true;
        return;
      }
      const item = items[next++];
      underWay++;
      let bytes = ITEM_LIMIT_BYTES;
      try {
        // Not `spent += await work(item)`: that adds to `spent` as it was before the await.
        bytes = await work(item);
      } finally {
        spent += bytes;
        underWay--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return items.slice(next);
}
