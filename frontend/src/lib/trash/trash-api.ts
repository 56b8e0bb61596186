/**
 * Moving records to the trash and back. Many at once go through `POST /api/trash` in requests of
 * at most 1,000, each with its idempotency key, so a retry after a lost answer moves nothing
 * twice and still learns what it moved; restores go one by one (a few in flight), each at the
 * trashed version, so a record restored or purged meanwhile is reported, not overwritten.
 */
import { z } from 'zod';
import { MAX_TRASH_ITEMS, TrashResponse, type TrashResult } from '$contracts/trash.ts';
import { recordOf } from '$contracts/record.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../grid/record-types.ts';
import { newIdempotencyKey } from '../grid/bulk-writer.ts';

export interface Trashable {
  id: string;
  version: number;
}

/** A record as the trash lists it (or a restore answers): metadata, its name, and any fields. */
export const TrashedRecord = recordOf(z.object({ name: z.string().optional() }));
export type TrashedRecord = z.infer<typeof TrashedRecord>;

/** Moves the records to the trash; one result per record, in order. */
export async function moveToTrash(api: ApiClient, type: UiRecordType, records: Trashable[]): Promise<TrashResult[]> {
  const results: TrashResult[] = [];
  for (let start = 0; start < records.length; start += MAX_TRASH_ITEMS) {
    const items = records.slice(start, start + MAX_TRASH_ITEMS).map(({ id, version }) => ({ type: type.info.name, id, version }));
    const body = { items, idempotencyKey: newIdempotencyKey() };
    // One retry of a request whose answer was lost: the key makes the server answer `ok` again.
    const response = await api.request('POST', '/api/trash', TrashResponse, body).catch((err) => {
      if (err instanceof ApiError) throw err;
      return api.request('POST', '/api/trash', TrashResponse, body);
    });
    results.push(...response.results);
  }
  return results;
}

export type RestoreResult = { id: string; record: TrashedRecord } | { id: string; error: string };

const RESTORES_IN_FLIGHT = 6;

/** Brings records back from the trash, each at the version given (the trashed one) when there is one. */
export async function restoreFromTrash(api: ApiClient, type: UiRecordType, records: Array<{ id: string; version?: number }>): Promise<RestoreResult[]> {
  const results: RestoreResult[] = new Array(records.length);
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const i = next++;
      const { id, version } = records[i];
      const path = `/api/${type.info.plural}/${encodeURIComponent(id)}/restore${version ? `?version=${version}` : ''}`;
      try {
        results[i] = { id, record: await api.request('POST', path, TrashedRecord, {}) };
      } catch (err) {
        results[i] = { id, error: restoreError(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESTORES_IN_FLIGHT, records.length) }, worker));
  return results;
}

function restoreError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.code === 'NotInTrash') return 'it is not in the trash any more';
  if (err.isConflict) return 'it changed in the trash meanwhile';
  if (err.status === 404) return 'it was removed for good';
  return err.message;
}

/** The trash of a type, page after page. */
export async function listTrash(api: ApiClient, type: UiRecordType): Promise<TrashedRecord[]> {
  const List = z.object({ items: z.array(TrashedRecord), nextCursor: z.string().optional() });
  const records: TrashedRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.request('GET', `/api/${type.info.plural}/trash?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, List);
    records.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return records;
}
