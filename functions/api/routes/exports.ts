/**
 * GET /api/{plural}/export.csv: the type's live records as a CSV download. The domain produces
 * the file page by page; Lambda behind the HTTP API answers with one buffered body of at most
 * 6 MB, so the chunks are joined here and a larger export is refused (413) until exports go to
 * S3 with a presigned link.
 */
import { exportCsv, exportViewCsv } from '../../exports/export-csv.ts';
import { visibleView } from '../../views/views.ts';
import { ULID } from '../../contracts/values.ts';
import { recordSchemaFor } from '../../records/record-schema.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { HttpError, type ApiResult } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf, typeParam } from './records.ts';
import { access } from '../route-access.ts';

/** Lambda's response limit is 6 MB; room is left for headers and the JSON envelope. */
const MAX_EXPORT_BYTES = 5 * 1024 * 1024;

export function exportRoute(type: RecordTypeSpec): Route {
  return {
    // Before the record routes: `export.csv` is not a record id.
    method: 'GET',
    path: `/api/${type.plural}/export.csv`,
    access: access.records({ action: 'export', type }),
    handle: async (request) => csvFile(type.plural, exportCsv(actorOf(request), await recordSchemaFor(request.caller.tenant, type))),
  };
}

/** GET /api/views/{type}/{id}/export.csv: a saved view (visible to the caller) as CSV. */
export const viewExportRoute: Route = {
  method: 'GET',
  path: '/api/views/{type}/{id}/export.csv',
  access: access.records({ action: 'export', type: 'path' }),
  handle: async (request) => {
    const type = typeParam(request);
    if (!ULID.test(request.params.id)) throw new HttpError(404, 'NotFound', `no view ${request.params.id}`);
    const view = await visibleView(actorOf(request), type.key, request.params.id);
    return csvFile(`${type.plural}-${view.id}`, exportViewCsv(actorOf(request), await recordSchemaFor(request.caller.tenant, type), view));
  },
};

async function csvFile(name: string, chunks: AsyncIterable<string>): Promise<ApiResult> {
  const parts: string[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    if (bytes > MAX_EXPORT_BYTES) throw new HttpError(413, 'ExportTooLarge', `the export is larger than ${MAX_EXPORT_BYTES} bytes, more than one response can carry`);
    parts.push(chunk);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"`, 'cache-control': 'no-store' },
    body: parts.join(''),
  };
}
