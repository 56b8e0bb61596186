/**
 * GET /api/{plural}/export.csv: the type's live records as a CSV download. The domain produces
 * the file page by page; up to the inline limit the CSV is the answer (text/csv), a larger one
 * goes to the files bucket and the answer is JSON with a presigned link to it
 * (functions/exports/export-delivery.ts).
 */
import { exportCsv, exportViewCsv } from '../../exports/export-csv.ts';
import { assertFieldsExist, visibleView } from '../../views/views.ts';
import { UnsavedViewExportBody } from '../../contracts/exports.ts';
import { ULID } from '../../contracts/values.ts';
import { recordSchemaFor } from '../../records/record-schema.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { HttpError, json, readBody, type ApiResult } from '../http.ts';
import { deliverExport } from '../../exports/export-delivery.ts';
import type { Route } from '../router.ts';
import { actorOf, typeParam } from './records.ts';
import { access } from '../route-access.ts';

export function exportRoute(type: RecordTypeSpec): Route {
  return {
    // Before the record routes: `export.csv` is not a record id.
    method: 'GET',
    path: `/api/${type.plural}/export.csv`,
    access: access.records({ action: 'export', type }),
    handle: async (request) => csvFile(request.caller.tenant, type.plural, exportCsv(actorOf(request), await recordSchemaFor(request.caller.tenant, type))),
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
    return csvFile(request.caller.tenant, `${type.plural}-${view.id}`, exportViewCsv(actorOf(request), await recordSchemaFor(request.caller.tenant, type), view));
  },
};

/**
 * POST /api/views/{type}/export.csv: a view as the grid shows it, saved or not (its unsaved
 * filters, order and columns, and the quick search), scoped by the caller's role as its rows are.
 */
export const unsavedViewExportRoute: Route = {
  method: 'POST',
  path: '/api/views/{type}/export.csv',
  access: access.records({ action: 'export', type: 'path' }),
  handle: async (request) => {
    const type = typeParam(request);
    const { search, ...view } = readBody(request.event, UnsavedViewExportBody);
    const schema = await recordSchemaFor(request.caller.tenant, type);
    assertFieldsExist(schema, view);
    return csvFile(request.caller.tenant, `${type.plural}-view`, exportViewCsv(actorOf(request), schema, view, search));
  },
};

/** A CSV download: up to the inline limit the file itself, past it a link to it in the files bucket. */
export async function csvFile(tenant: string, name: string, chunks: AsyncIterable<string>): Promise<ApiResult> {
  const delivery = await deliverExport(tenant, `${name}.csv`, chunks);
  if (delivery.kind === 'link') {
    const { kind, ...link } = delivery;
    return json(200, link, { 'cache-control': 'no-store' });
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"`, 'cache-control': 'no-store' },
    body: delivery.body,
  };
}
