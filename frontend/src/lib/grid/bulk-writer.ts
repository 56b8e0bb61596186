/**
 * Sends cell changes as `POST /api/bulk` requests of at most 1,000 cells, one after the other,
 * each with its own idempotency key (so a retried request gets its first answer, not a
 * conflict with itself), and reports progress. Answers one result per change, in order.
 */
import { MAX_CELL_CHANGES, type CellAnswer, type CellChange, type CellOutcome } from '$contracts/bulk.ts';
import { UI_RECORD_TYPES } from '../records/record-types.ts';
import { z } from 'zod';
import { applyCellChanges } from '../api/records.ts';
import type { ApiClient } from '../api/api-client.ts';
import { untilDone } from '../api/until-done.ts';
import { newIdempotencyKey } from '../api/idempotency-key.ts';

export interface BulkRequest {
  idempotencyKey: string;
  changes: CellChange[];
}

/** The changes cut into requests of at most 1,000, each with a fresh key. */
export function bulkRequests(changes: CellChange[]): BulkRequest[] {
  const requests: BulkRequest[] = [];
  for (let i = 0; i < changes.length; i += MAX_CELL_CHANGES) {
    requests.push({ idempotencyKey: newIdempotencyKey(), changes: changes.slice(i, i + MAX_CELL_CHANGES) });
  }
  return requests;
}

/**
 * Sends one request, and the cells it answered `later` (past its work budget) in requests of
 * their own until none is; an ApiError (NetworkError when offline) is the caller's to handle. A
 * conflict comes with the record as it is now: the answer holds each once (as many as fit), a
 * record it had no room for is read by id, once.
 */
export async function sendBulk(api: ApiClient, request: BulkRequest): Promise<CellOutcome[]> {
  let round = 0;
  return untilDone(request.changes, async (changes) => {
    // Each round's key follows from the request's: a request sent again (parked offline after its
    // answer was lost) is answered round by round as the first time, not a conflict with itself.
    const idempotencyKey = round === 0 ? request.idempotencyKey : `${request.idempotencyKey}-${round}`;
    round++;
    const { results, records } = await applyCellChanges(api, { idempotencyKey, changes });
    const read = new Map<string, Promise<Record<string, unknown>>>();
    return Promise.all(
      results.map(async (result, i): Promise<CellAnswer> => {
        if (result.status !== 'conflict') return result;
        const { type, id } = changes[i];
        const plural = UI_RECORD_TYPES.find(({ info }) => info.name === type)?.info.plural;
        if (!records[id] && !read.has(id)) read.set(id, api.request('GET', `/api/${plural}/${encodeURIComponent(id)}`, AnyRecord));
        return { ...result, current: records[id] ?? (await read.get(id)!) };
      }),
    );
  });
}

const AnyRecord = z.record(z.string(), z.unknown());
