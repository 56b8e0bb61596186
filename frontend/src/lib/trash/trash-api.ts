/**
 * Moving records to the trash and back. Many at once go through `POST /api/trash` and
 * `POST /api/trash/restore` in requests of at most 1,000, each with its idempotency key, so a
 * retry after a lost answer moves nothing twice and still learns what it moved; restores name the
 * trashed version, so a record restored or purged meanwhile is reported, not overwritten.
 */
import { z } from 'zod';
import { MAX_TRASH_ITEMS, RestoreResponse, TrashResponse, type RestoreResult as RestoreOutcome, type TrashResult } from '$contracts/trash.ts';
import { recordOf, type RecordsById } from '$contracts/record.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../records/record-types.ts';
import { newIdempotencyKey } from '../api/idempotency-key.ts';
import { untilDone } from '../api/until-done.ts';

export interface Trashable {
  id: string;
  version: number;
}

/** A record as the trash lists it (or a restore answers): metadata, its name, and any fields. */
export const TrashedRecord = recordOf(z.object({ name: z.string().optional() }));
export type TrashedRecord = z.infer<typeof TrashedRecord>;

/**
 * Posts the records to a route for many (`POST /api/trash`, `/api/trash/restore`) in requests of
 * at most 1,000, each with its idempotency key, and those answered `later` (past the request's
 * work budget) again until none is; one result per record, in order, with the record as the
 * answer holds it (each once, as many as fit: a record left out is read by id).
 */
async function inRequestsOfMany<Result extends { status: string }>(api: ApiClient, path: string, Response: z.ZodType<{ results: Result[]; records: RecordsById }>, type: UiRecordType, records: Trashable[]) {
  const answers: Array<Exclude<Result, { status: 'later' }> & { record?: Record<string, unknown> }> = [];
  for (let start = 0; start < records.length; start += MAX_TRASH_ITEMS) {
    const slice = records.slice(start, start + MAX_TRASH_ITEMS).map(({ id, version }) => ({ type: type.info.name, id, version }));
    answers.push(
      ...(await untilDone(slice, async (items) => {
        const body = { items, idempotencyKey: newIdempotencyKey() };
        // One retry of a request whose answer was lost: the key makes the server answer as the first time.
        const response = await api.request('POST', path, Response, body).catch((err) => {
          if (err instanceof ApiError) throw err;
          return api.request('POST', path, Response, body);
        });
        return response.results.map((result, i) => ({ ...result, record: response.records[items[i].id] }));
      })),
    );
  }
  return answers;
}

/** Moves the records to the trash; one result per record, in order. */
export const moveToTrash = async (api: ApiClient, type: UiRecordType, records: Trashable[]): Promise<TrashResult[]> =>
  (await inRequestsOfMany(api, '/api/trash', TrashResponse, type, records)).map(({ record, ...result }) => result);

export type RestoreResult = { id: string; record: TrashedRecord } | { id: string; error: string };

/** Brings records back from the trash, each at the version given (the trashed one); a record restored or purged meanwhile is reported, not overwritten. */
export async function restoreFromTrash(api: ApiClient, type: UiRecordType, records: Trashable[]): Promise<RestoreResult[]> {
  const answers = await inRequestsOfMany(api, '/api/trash/restore', RestoreResponse, type, records);
  return Promise.all(
    answers.map(async ({ record, ...result }, i) => {
      const { id } = records[i];
      // A restored record the answer had no room for is read as it is now.
      if (result.status === 'ok') return { id, record: record ? TrashedRecord.parse(record) : await api.request('GET', `/api/${type.info.plural}/${encodeURIComponent(id)}`, TrashedRecord) };
      return { id, error: RESTORE_PROBLEMS[result.status] ?? ('reason' in result ? result.reason : result.status) };
    }),
  );
}

const RESTORE_PROBLEMS: Partial<Record<RestoreOutcome['status'], string>> = {
  notInTrash: 'it is not in the trash any more',
  conflict: 'it changed in the trash meanwhile',
  notFound: 'it was removed for good',
};

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
