/**
 * Sends cell changes as `POST /api/bulk` requests of at most 1,000 cells (a record's cells never
 * cut apart), one after the other, each with its own idempotency key (so a retried request gets
 * its first answer, not a conflict with itself). Answers one result per change, in order.
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

/** A request to send, and where each of its changes stands in the changes it was cut from. */
export interface PlannedRequest {
  request: BulkRequest;
  /** `at[i]`: the index in the whole batch of `request.changes[i]`. */
  at: number[];
}

/**
 * The changes cut into requests of at most 1,000, each with a fresh key. A record's cells all go
 * in one request (as long as they fit one), since the server applies a record's cells together and
 * some only make sense together: a deal's stage entering a lost stage and its loss reason, refused
 * apart. Records keep the order of their first cell, and a record's cells their own order.
 */
export function bulkRequests(changes: readonly CellChange[]): PlannedRequest[] {
  const byRecord = new Map<string, number[]>();
  changes.forEach((change, index) => {
    const key = `${change.type}#${change.id}`;
    const cells = byRecord.get(key);
    if (cells) cells.push(index);
    else byRecord.set(key, [index]);
  });
  const planned: number[][] = [];
  let current: number[] = [];
  const cut = () => {
    if (current.length > 0) planned.push(current);
    current = [];
  };
  for (const cells of byRecord.values()) {
    if (current.length + cells.length > MAX_CELL_CHANGES) cut();
    for (const index of cells) {
      // Only a record of more cells than a request holds (the same cells over and over) is cut.
      if (current.length === MAX_CELL_CHANGES) cut();
      current.push(index);
    }
  }
  cut();
  return planned.map((at) => ({ request: { idempotencyKey: newIdempotencyKey(), changes: at.map((i) => changes[i]) }, at }));
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
