/**
 * Answers about many records that carry the records themselves (a conflict's `current`, a
 * restored `record`), bounded: each result keeps only the record's version, and the answer
 * holds each record once in `records` (by id), as many as fit in RECORDS_BUDGET_BYTES. A
 * thousand cells against one large record answered it a thousand times (250 MB for a record
 * with a 250 KB text); a thousand large records still fill at most the budget, and the client
 * reads any left out by id.
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
