/**
 * Grid views of a record type, `/api/views/{type}` (type singular: `company`), and every row
 * of one. Also `POST /api/views/{type}/rows`: the rows of an unsaved view (the grid while its
 * filters are being edited), with the same body as a saved one. `?ids=` (or `ids` in the unsaved
 * view's body) asks for the rows of just those records.
 */
import { MAX_VIEW_ROWS_PER_RESPONSE, PatchViewBody, UnsavedViewRowsBody, ViewFields, ViewRowsQuery, type ViewList, type ViewRows, type ViewRowsOfIds } from '../../contracts/views.ts';
import { SnapshotBuildingError } from '../../views/snapshot-build.ts';
import { assertFieldsExist, changeView, createView, deleteView, visibleView, visibleViews } from '../../views/views.ts';
import { viewRows, viewRowsJson, viewRowsOfIds } from '../../views/view-rows.ts';
import { recordSchemaFor, type RecordSchema } from '../../records/record-schema.ts';
import { FieldValidationError } from '../../errors/field-validation-error.ts';
import { ULID } from '../../contracts/values.ts';
import { HttpError, json, jsonText, noContent, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { VersionQuery, actorOf, typeParam } from './records.ts';
import { access } from '../route-access.ts';

const base = '/api/views/{type}';

export const viewRoutes: Route[] = [
  {
    method: 'GET',
    path: base,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => json(200, { items: await visibleViews(actorOf(request), typeParam(request).key) } satisfies ViewList),
  },
  {
    method: 'POST',
    path: base,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const view = await createView(actorOf(request), await recordSchemaFor(request.caller.tenant, type), readBody(request.event, ViewFields));
      return json(201, view, { location: `/api/views/${type.name}/${view.id}` });
    },
  },
  {
    method: 'POST',
    path: `${base}/rows`,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const { ids, ...fields } = readBody(request.event, UnsavedViewRowsBody);
      const schema = await recordSchemaFor(request.caller.tenant, type);
      assertFieldsExist(schema, fields);
      return rowsAnswer(request, schema, fields, ids);
    },
  },
  {
    method: 'PATCH',
    path: `${base}/{id}`,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const id = viewId(request);
      const { version, fields } = readBody(request.event, PatchViewBody);
      return json(200, await changeView(actorOf(request), await recordSchemaFor(request.caller.tenant, type), id, version, fields));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{id}`,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const id = viewId(request);
      await deleteView(actorOf(request), type.key, id, readQuery(request.event, VersionQuery).version);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: `${base}/{id}/rows`,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const view = await visibleView(actorOf(request), type.key, viewId(request));
      return rowsAnswer(request, await recordSchemaFor(request.caller.tenant, type), view);
    },
  },
];

/** A slice of the view's rows, or with `ids` (in the query, or the body of an unsaved view) the rows of those records. */
async function rowsAnswer(request: ApiRequest, schema: RecordSchema, view: Parameters<typeof viewRows>[2], bodyIds?: string[]) {
  const query = readQuery(request.event, ViewRowsQuery);
  if (bodyIds && Object.keys(query).length > 0) throw new FieldValidationError([{ path: 'ids', message: 'in the body goes with no query' }]);
  const ids = bodyIds ?? query.ids;
  if (ids) return json(200, (await viewRowsOfIds(actorOf(request), schema, view, ids)) satisfies ViewRowsOfIds);
  const { offset = 0, limit = MAX_VIEW_ROWS_PER_RESPONSE } = query;
  try {
    return jsonText(200, await viewRowsJson(actorOf(request), schema, view, { offset, limit }));
  } catch (err) {
    // The type's records are being prepared in the background: the grid shows how far, and asks again.
    if (!(err instanceof SnapshotBuildingError)) throw err;
    const { records, startedAt } = err.build;
    return json(202, { columns: view.columns, rows: [], total: 0, offset, building: { records, startedAt } } satisfies ViewRows, { 'retry-after': '1' });
  }
}

function viewId({ params }: ApiRequest): string {
  if (!ULID.test(params.id)) throw new HttpError(404, 'NotFound', `no view ${params.id}`);
  return params.id;
}
