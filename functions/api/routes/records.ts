/**
 * The routes of one record type: list, create, read, change fields (conditional on the version
 * the client saw), delete (likewise) and read its history. Issue 4's record types reuse them as they are.
 */
import { z } from 'zod';
import { ListQuery, type HistoryResponse } from '../../contracts/record.ts';
import { RecordNotFoundError } from '../../records/errors.ts';
import { createRecord, deleteRecord, getRecord, listRecords, recordHistory, updateRecord } from '../../records/repository.ts';
import type { RecordType } from '../../records/keys.ts';
import { json, noContent, readBody, readQuery, HttpError } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';

export interface RecordRoutesSpec {
  type: RecordType;
  /** e.g. `/api/companies` */
  basePath: string;
  createBody: z.ZodType<Record<string, unknown>>;
  patchBody: z.ZodType<{ version: number; fields: Record<string, unknown> }>;
}

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const DeleteQuery = z.strictObject({ version: z.coerce.number().int().positive() });

export function recordRoutes(spec: RecordRoutesSpec): Route[] {
  const { type, basePath } = spec;
  const itemPath = `${basePath}/{id}`;
  const actor = ({ caller }: ApiRequest) => ({ tenant: caller.tenant, sub: caller.sub });
  return [
    {
      method: 'GET',
      path: basePath,
      handle: async (request) => {
        const query = readQuery(request.event, ListQuery);
        const page = await listRecords(actor(request), type, { limit: query.limit ?? 100, after: query.cursor });
        return json(200, page);
      },
    },
    {
      method: 'POST',
      path: basePath,
      handle: async (request) => {
        const record = await createRecord(actor(request), type, readBody(request.event, spec.createBody));
        return json(201, record, { location: `${basePath}/${record.id}` });
      },
    },
    {
      method: 'GET',
      path: itemPath,
      handle: async (request) => json(200, await getRecord(actor(request), type, recordId(request))),
    },
    {
      method: 'PATCH',
      path: itemPath,
      handle: async (request) => {
        const id = recordId(request);
        const { version, fields } = readBody(request.event, spec.patchBody);
        return json(200, await updateRecord(actor(request), type, id, version, fields));
      },
    },
    {
      method: 'DELETE',
      path: itemPath,
      handle: async (request) => {
        const id = recordId(request);
        const { version } = readQuery(request.event, DeleteQuery);
        await deleteRecord(actor(request), type, id, version);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: `${itemPath}/history`,
      handle: async (request) => {
        const items = await recordHistory(actor(request), type, recordId(request));
        // A record that never existed has no history; one that was deleted keeps its own.
        if (items.length === 0) throw new RecordNotFoundError(type, request.params.id);
        return json(200, { items } satisfies HistoryResponse);
      },
    },
  ];
}

/** An id that is no ULID names no record: the same answer as a record that does not exist. */
function recordId({ params }: ApiRequest): string {
  if (!ID.test(params.id)) throw new HttpError(404, 'NotFound', `no record ${params.id}`);
  return params.id;
}
