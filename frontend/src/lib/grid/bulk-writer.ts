/**
 * Sends cell changes as `POST /api/bulk` requests of at most 1,000 cells, one after the other,
 * each with its own idempotency key (so a retried request gets its first answer, not a
 * conflict with itself), and reports progress. Answers one result per change, in order.
 */
import { MAX_CELL_CHANGES, type CellChange, type CellOutcome } from '$contracts/bulk.ts';
import { UI_RECORD_TYPES } from './record-types.ts';
import { z } from 'zod';
import { applyCellChanges } from '../api/records.ts';
import type { ApiClient } from '../api/api-client.ts';

export interface BulkRequest {
  idempotencyKey: string;
  changes: CellChange[];
}

/** A key per request: random, within the contract's alphabet. */
export const newIdempotencyKey = () => crypto.randomUUID().replaceAll('-', '');

/** The changes cut into requests of at most 1,000, each with a fresh key. */
export function bulkRequests(changes: CellChange[]): BulkRequest[] {
  const requests: BulkRequest[] = [];
  for (let i = 0; i < changes.length; i += MAX_CELL_CHANGES) {
    requests.push({ idempotencyKey: newIdempotencyKey(), changes: changes.slice(i, i + MAX_CELL_CHANGES) });
  }
  return requests;
}

/**
 * Sends one request; an ApiError (NetworkError when offline) is the caller's to handle. A
 * conflict comes with the record as it is now: the answer holds each once (as many as fit), a
 * record it had no room for is read by id.
 */
export async function sendBulk(api: ApiClient, request: BulkRequest): Promise<CellOutcome[]> {
  const { results, records } = await applyCellChanges(api, { idempotencyKey: request.idempotencyKey, changes: request.changes });
  return Promise.all(
    results.map(async (result, i): Promise<CellOutcome> => {
      if (result.status !== 'conflict') return result;
      const { type, id } = request.changes[i];
      const plural = UI_RECORD_TYPES.find(({ info }) => info.name === type)?.info.plural;
      records[id] ??= await api.request('GET', `/api/${plural}/${encodeURIComponent(id)}`, AnyRecord);
      return { ...result, current: records[id] };
    }),
  );
}

const AnyRecord = z.record(z.string(), z.unknown());
