/**
 * Custom field definitions of a record type: `/api/fields/{type}` (type singular: `company`).
 * Adding, renaming and deleting a field takes effect for the next request, without a deploy.
 */
import { z } from 'zod';
import { CreateFieldBody, FieldListQuery, PatchFieldBody } from '../../contracts/fields.ts';
import { changeField, createField, deleteField, fieldDefinitions, restoreField } from '../../fields/field-definitions.ts';
import { recordTypeNamed, type RecordTypeSpec } from '../../records/record-types.ts';
import { HttpError, json, noContent, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { actorOf } from './records.ts';

const VersionQuery = z.strictObject({ version: z.coerce.number().int().positive() });
const base = '/api/fields/{type}';

export const fieldRoutes: Route[] = [
  {
    method: 'GET',
    path: base,
    handle: async (request) => {
      const type = typeOf(request);
      const { deleted } = readQuery(request.event, FieldListQuery);
      return json(200, { items: await fieldDefinitions(request.caller.tenant, type, { deleted: deleted === 'true' }) });
    },
  },
  {
    method: 'POST',
    path: base,
    handle: async (request) => {
      const type = typeOf(request);
      const definition = await createField(actorOf(request), type, readBody(request.event, CreateFieldBody));
      return json(201, definition, { location: `/api/fields/${type.name}/${definition.key}` });
    },
  },
  {
    method: 'PATCH',
    path: `${base}/{key}`,
    handle: async (request) => {
      const type = typeOf(request);
      return json(200, await changeField(actorOf(request), type, request.params.key, readBody(request.event, PatchFieldBody)));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{key}`,
    handle: async (request) => {
      const type = typeOf(request);
      const { version } = readQuery(request.event, VersionQuery);
      await deleteField(actorOf(request), type, request.params.key, version);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: `${base}/{key}/restore`,
    handle: async (request) => json(200, await restoreField(actorOf(request), typeOf(request), request.params.key)),
  },
];

/** An unknown type is a path that names nothing: 404, before the body is looked at. */
function typeOf({ params }: ApiRequest): RecordTypeSpec {
  const type = recordTypeNamed(params.type);
  if (!type) throw new HttpError(404, 'NotFound', `there is no record type ${params.type}`);
  return type;
}
