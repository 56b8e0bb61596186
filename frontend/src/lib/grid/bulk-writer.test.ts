import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHANGES, type CellChange } from '$contracts/bulk.ts';
import { bulkRequests } from './bulk-writer.ts';

const cell = (id: string, field: string, value: unknown = 'x'): CellChange => ({ type: 'deal', id, version: 1, field, value });
/** Deals moved to a lost stage, each with its reason and comment (as withLoss gives them): 3 cells a deal. */
const lostDeals = (count: number) => Array.from({ length: count }, (_, i) => [cell(`D${i}`, 'stage', 'lost'), cell(`D${i}`, 'lossReason', 'price'), cell(`D${i}`, 'lossComment', 'cheaper')]).flat();

describe('bulkRequests', () => {
  it('never cuts a record’s cells across requests: a lost deal’s stage goes with its reason', () => {
    // 334 deals of 3 cells: by count alone the 1,000th cell (deal 333's stage) would go without its reason.
    const changes = lostDeals(334);
    const planned = bulkRequests(changes);
    expect(planned.map(({ request }) => request.changes.length)).toEqual([999, 3]);
    const [first, second] = planned.map(({ request }) => new Set(request.changes.map((c) => c.id)));
    expect([...first].filter((id) => second.has(id))).toEqual([]);
    expect(new Set(planned.map(({ request }) => request.idempotencyKey)).size).toBe(2);
    // `at` says where each change stood: every change once, the same change.
    expect(planned.flatMap(({ at }) => at).sort((a, b) => a - b)).toEqual(changes.map((_, i) => i));
    for (const { request, at } of planned) request.changes.forEach((change, i) => expect(change).toBe(changes[at[i]]));
  });

  it('takes a record’s cells together where the batch has them apart, records in the order of their first cell', () => {
    const changes = [cell('A', 'stage'), cell('B', 'name'), cell('A', 'lossReason'), cell('C', 'name')];
    const [only, ...rest] = bulkRequests(changes);
    expect(rest).toEqual([]);
    expect(only.request.changes.map((c) => `${c.id}.${c.field}`)).toEqual(['A.stage', 'A.lossReason', 'B.name', 'C.name']);
    expect(only.at).toEqual([0, 2, 1, 3]);
  });

  it('fills requests up to 1,000 cells, and cuts only a record of more cells than that', () => {
    const single = Array.from({ length: 2500 }, (_, i) => cell(`R${i}`, 'name'));
    expect(bulkRequests(single).map(({ request }) => request.changes.length)).toEqual([1000, 1000, 500]);
    const huge = Array.from({ length: MAX_CELL_CHANGES + 5 }, (_, i) => cell('H', `cf_${i}`));
    expect(bulkRequests([cell('A', 'name'), ...huge]).map(({ request }) => request.changes.length)).toEqual([1, 1000, 5]);
    expect(bulkRequests([])).toEqual([]);
  });
});
