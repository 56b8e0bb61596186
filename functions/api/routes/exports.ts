/**
 * GET /api/{plural}/export.csv: the type's live records as a CSV download. The domain produces
 * the file page by page; Lambda behind the HTTP API answers with one buffered body of at most
 * 6 MB, so the chunks are joined here and a larger export is refused (413) until exports go to
 * S3 with a presigned link.
 */
import { exportCsv } from '../../exports/export-csv.ts';
import { recordSchemaFor } from '../../records/record-schema.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { HttpError } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf } from './records.ts';

/** Lambda's response limit is 6 MB; room is left for headers and the JSON envelope. */
const MAX_EXPORT_BYTES = 5 * 1024 * 1024;

export function exportRoute(type: RecordTypeSpec): Route {
  return {
    // Before the record routes: `export.csv` is not a record id.
    method: 'GET',
    path: `/api/${type.plural}/export.csv`,
    handle: async (request) => {
      const chunks: string[] = [];
      let bytes = 0;
      for await (const chunk of exportCsv(actorOf(request), await recordSchemaFor(request.caller.tenant, type))) {
        bytes += Buffer.byteLength(chunk);
        if (bytes > MAX_EXPORT_BYTES) throw new HttpError(413, 'ExportTooLarge', `the export is larger than ${MAX_EXPORT_BYTES} bytes, more than one response can carry`);
        chunks.push(chunk);
      }
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${type.plural}.csv"`, 'cache-control': 'no-store' },
        body: chunks.join(''),
      };
    },
  };
}
