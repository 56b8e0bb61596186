/**
 * Grid views of a record type, `/api/views/{type}` (type singular: `company`), and every row
 * of one. Also `POST /api/views/{type}/rows`: the rows of an unsaved view (the grid while its
 * filters are being edited), with the same body as a saved one.
 */
import { MAX_VIEW_ROWS_PER_RESPONSE, PatchViewBody, ViewFields, ViewRowsQuery, type ViewList } from '../../contracts/views.ts';
import { assertFieldsExist, changeView, createView, deleteView, visibleView, visibleViews } from '../../views/views.ts';
import { viewRows } from '../../views/view-rows.ts';
import { recordSchemaFor } from '../../records/record-schema.ts';
import { ULID } from '../../contracts/values.ts';
import { HttpError, json, noContent, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { VersionQuery, actorOf, typeParam } from './records.ts';

const base = '/api/views/{type}';

export const viewRoutes: Route[] = [
  {
    method: 'GET',
    path: base,
    handle: async (request) => json(200, { items: await visibleViews(actorOf(request), typeParam(request).key) } satisfies ViewList),
  },
  {
    method: 'POST',
    path: base,
    handle: async (request) => {
      const type = typeParam(request);
      const view = await createView(actorOf(request), await recordSchemaFor(request.caller.tenant, type), readBody(request.event, ViewFields));
      return json(201, view, { location: `/api/views/${type.name}/${view.id}` });
    },
  },
  {
    method: 'POST',
    path: `${base}/rows`,
    handle: async (request) => {
      const type = typeParam(request);
      const fields = readBody(request.event, ViewFields.partial({ name: true }));
      const schema = await recordSchemaFor(request.caller.tenant, type);
      assertFieldsExist(schema, fields);
      return json(200, await viewRows(actorOf(request), schema, fields, sliceOf(request)));
    },
  },
  {
    method: 'PATCH',
    path: `${base}/{id}`,
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
    handle: async (request) => {
      const type = typeParam(request);
      const view = await visibleView(actorOf(request), type.key, viewId(request));
      return json(200, await viewRows(actorOf(request), await recordSchemaFor(request.caller.tenant, type), view, sliceOf(request)));
    },
  },
];

function sliceOf(request: ApiRequest) {
  const { offset = 0, limit = MAX_VIEW_ROWS_PER_RESPONSE } = readQuery(request.event, ViewRowsQuery);
  return { offset, limit };
}

function viewId({ params }: ApiRequest): string {
  if (!ULID.test(params.id)) throw new HttpError(404, 'NotFound', `no view ${params.id}`);
  return params.id;
}
