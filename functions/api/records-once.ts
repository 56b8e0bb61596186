/**
 * Answers about many records that carry the records themselves (a conflict's `current`, a
 * restored `record`), bounded: each result keeps only the record's version, and the answer
 * holds each record once in `records` (by id), as many as fit in RECORDS_BUDGET_BYTES. A
 * thousand cells against one large record answered it a thousand times (250 MB for a record
 * with a 250 KB text); a thousand large records still fill at most the budget, and the client
 * reads any left out by id. Lists are cut by bytes the same way (`pageWithinBudget`).
 */
import type { RecordsById } from '../contracts/record.ts';

/** What the records of one answer may take: Lambda answers at most 6 MB, and the results need room too. */
export const RECORDS_BUDGET_BYTES = 4 * 1024 * 1024;

type WholeRecord = Record<string, unknown> & { id: string; version: number };
type Referring<O> = O extends { current: unknown } ? Omit<O, 'current'> & { version: number } : O extends { record: unknown } ? Omit<O, 'record'> & { version: number } : O;

export function recordsOnce<O extends object>(outcomes: readonly O[], budget = RECORDS_BUDGET_BYTES): { results: Referring<O>[]; records: RecordsById } {
  const records: RecordsById = {};
  const left = new Set<string>();
  let used = 0;
  const results = outcomes.map((outcome) => {
    if (!('current' in outcome) && !('record' in outcome)) return outcome as Referring<O>;
    const { current, record, ...rest } = outcome as O & Partial<{ current: WholeRecord; record: WholeRecord }>;
    const whole = (current ?? record)!;
    if (!(whole.id in records) && !left.has(whole.id)) {
      const bytes = Buffer.byteLength(JSON.stringify(whole));
      if (used + bytes <= budget) {
        records[whole.id] = whole;
        used += bytes;
      } else {
        left.add(whole.id);
      }
    }
    return { ...rest, version: whole.version } as Referring<O>;
  });
  return { results, records };
}

/**
 * The longest start of `items` whose JSON fits in `budget` bytes (never none: one item is at most
 * a DynamoDB item, 400 KB), and whether any were left for a next page.
 */
export function withinBudget<T>(items: readonly T[], budget = RECORDS_BUDGET_BYTES): { kept: T[]; cut: boolean } {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += Buffer.byteLength(JSON.stringify(items[i])) + 1;
    if (used > budget && i > 0) return { kept: items.slice(0, i), cut: true };
  }
  return { kept: [...items], cut: false };
}

/** A page of records cut to the budget; the next page starts after the last record kept (list cursors are record ids). */
export function pageWithinBudget<T extends { id: string }>(page: { items: T[]; nextCursor?: string }): { items: T[]; nextCursor?: string } {
  const { kept, cut } = withinBudget(page.items);
  return cut ? { items: kept, nextCursor: kept.at(-1)!.id } : page;
}
