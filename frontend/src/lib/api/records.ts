/**
 * Any record type through its generic routes (`/api/{plural}`), parsed with the type's own
 * contract; plus the routes around records: custom fields, bulk cell changes, search, views.
 */
import { z } from 'zod';
import { ListResponse, HistoryResponse } from '$contracts/record.ts';
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import { FieldDefinition, FieldList, type CreateFieldBody } from '$contracts/fields.ts';
import { BulkResponse, type BulkBody } from '$contracts/bulk.ts';
import { SearchResponse } from '$contracts/search.ts';
import { View, ViewList, ViewRows, ViewRowsOfIds, type ViewFields } from '$contracts/views.ts';
import type { ApiClient } from './api-client.ts';

/** A 204 has no body. */
const NO_BODY = z.undefined();

export function recordsApi<S extends z.ZodType<{ id: string; version: number }>>(api: ApiClient, type: Pick<RecordTypeInfo, 'plural'>, record: S) {
  const base = `/api/${type.plural}`;
  const item = (id: string) => `${base}/${encodeURIComponent(id)}`;
  const List = ListResponse(record);
  return {
    /** Every live record of the type, page after page. */
    async listAll(): Promise<z.infer<S>[]> {
      const records: z.infer<S>[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.request('GET', `${base}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, List);
        records.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return records;
    },
    get: (id: string) => api.request('GET', item(id), record),
    create: (fields: Record<string, unknown>) => api.request('POST', base, record, fields),
    /** Changes fields only if the record is still at `version`; else ApiError 409 with `current`. */
    update: (id: string, version: number, fields: Record<string, unknown>) => api.request('PATCH', item(id), record, { version, fields }),
    /** Moves the record to the trash (restorable for 30 days). */
    trash: (id: string, version: number) => api.request('DELETE', `${item(id)}?version=${version}`, NO_BODY),
    restore: (id: string) => api.request('POST', `${item(id)}/restore`, record, {}),
    listTrash: () => api.request('GET', `${base}/trash?limit=1000`, List),
    /** The whole history, page after page (a page holds at most 4 MiB). */
    async history(id: string): Promise<HistoryResponse> {
      const items: HistoryResponse['items'] = [];
      let after: string | undefined;
      do {
        const page = await api.request('GET', `${item(id)}/history${after ? `?after=${after}` : ''}`, HistoryResponse);
        items.push(...page.items);
        after = page.nextCursor;
      } while (after);
      return { items };
    },
  };
}

/** Custom fields of a type (`type` singular: `company`). */
export function fieldsApi(api: ApiClient, type: string) {
  const base = `/api/fields/${encodeURIComponent(type)}`;
  return {
    list: () => api.request('GET', base, FieldList),
    create: (body: CreateFieldBody) => api.request('POST', base, FieldDefinition, body),
    rename: (key: string, version: number, label: string) => api.request('PATCH', `${base}/${key}`, FieldDefinition, { version, label }),
    remove: (key: string, version: number) => api.request('DELETE', `${base}/${key}?version=${version}`, NO_BODY),
    restore: (key: string) => api.request('POST', `${base}/${key}/restore`, FieldDefinition, {}),
  };
}

export const applyCellChanges = (api: ApiClient, body: BulkBody) => api.request('POST', '/api/bulk', BulkResponse, body);

export const searchRecords = (api: ApiClient, q: string, types?: string[], limit?: number) =>
  api.request('GET', `/api/search?q=${encodeURIComponent(q)}${types ? `&types=${types.join(',')}` : ''}${limit ? `&limit=${limit}` : ''}`, SearchResponse);

/**
 * A slice of a view's rows as the grid reads it. The contract's `rows: array of arrays of
 * unknown` makes zod copy every row (some 120 ms of the main thread per 20,000-row slice, while
 * the grid scrolls); one loop that checks each row's shape (`[id, version, ...values]`, all the
 * grid relies on) costs about a millisecond and keeps the arrays as parsed.
 */
const ViewRowsSlice = ViewRows.extend({
  rows: z.custom<unknown[][]>((rows) => Array.isArray(rows) && rows.every(isViewRow), { message: 'Each row is [id, version, ...values].' }),
});
const isViewRow = (row: unknown) => Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'number';

/** Grid views of a type (`type` singular). */
export function viewsApi(api: ApiClient, type: string) {
  const base = `/api/views/${encodeURIComponent(type)}`;
  return {
    list: () => api.request('GET', base, ViewList),
    save: (fields: ViewFields) => api.request('POST', base, View, fields),
    /** Changes one's own view if it is still at `version`; else ApiError 409 with `current`. */
    update: (id: string, version: number, fields: Partial<ViewFields>) => api.request('PATCH', `${base}/${id}`, View, { version, fields }),
    remove: (id: string, version: number) => api.request('DELETE', `${base}/${id}?version=${version}`, NO_BODY),
    /** One slice of the view's rows (at most 20,000); `total` says how many there are. */
    rows: (id: string, offset = 0, limit?: number) => api.request('GET', `${base}/${id}/rows?offset=${offset}${limit ? `&limit=${limit}` : ''}`, ViewRowsSlice),
    /** The same for a view not saved (yet): its columns, filters and order in the body. */
    unsavedRows: (fields: Omit<ViewFields, 'name'> & { name?: string }, offset = 0, limit?: number) =>
      api.request('POST', `${base}/rows?offset=${offset}${limit ? `&limit=${limit}` : ''}`, ViewRowsSlice, fields),
    /**
     * The rows of just these records (e.g. those `GET /api/changes` named), with their places in
     * the view; `removed`: those no longer in it. At most 300 ids (1,000 for an unsaved view).
     */
    rowsOfIds: (id: string, ids: string[]) => allRowsOf(ids, (some) => api.request('GET', `${base}/${id}/rows?ids=${some.join(',')}`, ViewRowsOfIds)),
    unsavedRowsOfIds: (fields: Omit<ViewFields, 'name'> & { name?: string }, ids: string[]) =>
      allRowsOf(ids, (some) => api.request('POST', `${base}/rows`, ViewRowsOfIds, { ...fields, ids: some })),
  };
}

/** Rows by id, asked again for those an answer had no room for (`later`: rows of long texts). */
async function allRowsOf(ids: string[], ask: (ids: string[]) => Promise<ViewRowsOfIds>): Promise<ViewRowsOfIds> {
  const answer = await ask(ids);
  for (let later = answer.later; later?.length; ) {
    const next = await ask(later);
    answer.rows.push(...next.rows);
    answer.positions.push(...next.positions);
    answer.removed.push(...next.removed);
    answer.total = next.total;
    later = next.later;
  }
  delete answer.later;
  return answer;
}
