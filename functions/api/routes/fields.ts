/**
 * Custom field definitions of a record type: `/api/fields/{type}` (type singular: `company`).
 * Adding, renaming and deleting a field takes effect for the next request, without a deploy.
 */
import { CreateFieldBody, FieldListQuery, PatchFieldBody } from '../../contracts/fields.ts';
import { changeField, createField, deleteField, fieldDefinitions, restoreField } from '../../fields/field-definitions.ts';
import { json, noContent, readBody, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { VersionQuery, actorOf, typeParam } from './records.ts';
import { access } from '../route-access.ts';

const base = '/api/fields/{type}';

export const fieldRoutes: Route[] = [
  {
    method: 'GET',
    path: base,
    access: access.records({ action: 'read', type: 'path' }),
    handle: async (request) => {
      const type = typeParam(request);
      const { deleted } = readQuery(request.event, FieldListQuery);
      return json(200, { items: await fieldDefinitions(request.caller.tenant, type, { deleted: deleted === 'true' }) });
    },
  },
  {
    method: 'POST',
    path: base,
    access: access.administer,
    handle: async (request) => {
      const type = typeParam(request);
      const definition = await createField(actorOf(request), type, readBody(request.event, CreateFieldBody));
      return json(201, definition, { location: `/api/fields/${type.name}/${definition.key}` });
    },
  },
  {
    method: 'PATCH',
    path: `${base}/{key}`,
    access: access.administer,
    handle: async (request) => {
      const type = typeParam(request);
      return json(200, await changeField(actorOf(request), type, request.params.key, readBody(request.event, PatchFieldBody)));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{key}`,
    access: access.administer,
    handle: async (request) => {
      const type = typeParam(request);
      const { version } = readQuery(request.event, VersionQuery);
      await deleteField(actorOf(request), type, request.params.key, version);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: `${base}/{key}/restore`,
    access: access.administer,
    handle: async (request) => json(200, await restoreField(actorOf(request), typeParam(request), request.params.key)),
  },
];

