/**
 * The routes of every record type, built from its description: list, create, read, change
 * fields (conditional on the version the client saw), delete to the trash, restore, list the
 * trash, read the history. Bodies are checked against the tenant's schema of the type (its
 * custom fields included), so unknown fields and wrong types are named by path.
 */
import { z } from 'zod';
import { HistoryQuery, ListQuery, type HistoryResponse } from '../../contracts/record.ts';
import { pageWithinBudget, withinBudget } from '../records-once.ts';
import { ItemTooLargeError } from '../../records/errors.ts';
import { FieldValidationError } from '../../errors/field-validation-error.ts';
import { recordHistory } from '../../records/repository.ts';
import type { Actor } from '../../access/actor.ts';
import { createRecord, listLiveRecords, readLiveRecord, updateRecord } from '../../records/records.ts';
import { present, recordSchemaFor } from '../../records/record-schema.ts';
import { restoreRecord, trashRecord } from '../../records/trash.ts';
import { recordTypeNamed, type RecordTypeSpec } from '../../records/record-types.ts';
import { ULID } from '../../contracts/values.ts';
import { json, noContent, readBody, readQuery, HttpError } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { assertWritable } from '../../access/permissions.ts';
import { ChangeOwnerBody } from '../../contracts/users.ts';
import { RecordPatchQuery } from '../../contracts/stage-moves.ts';
import { reassignOwner } from '../../records/record-owner.ts';

export const VersionQuery = z.strictObject({ version: z.coerce.number().int().positive() });
const OptionalVersionQuery = VersionQuery.partial();

/** The domain acts as the principal: its tenant, its subject, and the records it may see. */
export const actorOf = ({ principal }: ApiRequest): Actor => principal;

export function recordRoutes(type: RecordTypeSpec): Route[] {
  const basePath = `/api/${type.plural}`;
  const itemPath = `${basePath}/{id}`;
  const schemaOf = (request: ApiRequest) => recordSchemaFor(request.caller.tenant, type);
  return [
    {
      method: 'GET',
      path: basePath,
      access: access.records({ action: 'read', type }),
      handle: async (request) => {
        const query = readQuery(request.event, ListQuery);
        return json(200, pageWithinBudget(await listLiveRecords(actorOf(request), await schemaOf(request), { limit: query.limit ?? 100, after: query.cursor })));
      },
    },
    {
      method: 'POST',
      path: basePath,
      access: access.records({ action: 'create', type }),
      handle: async (request) => {
        const schema = await schemaOf(request);
        const fields = readBody(request.event, schema.create);
        assertWritable(request.principal, type.name, Object.keys(fields));
        const record = await createRecord(actorOf(request), schema, fields);
        return json(201, record, { location: `${basePath}/${record.id}` });
      },
    },
    {
      method: 'GET',
      path: `${basePath}/trash`,
      access: access.records({ action: 'delete', type }),
      handle: async (request) => {
        const query = readQuery(request.event, ListQuery);
        return json(200, pageWithinBudget(await listLiveRecords(actorOf(request), await schemaOf(request), { limit: query.limit ?? 100, after: query.cursor, trash: true })));
      },
    },
    {
      method: 'GET',
      path: itemPath,
      access: access.record({ action: 'read', type }),
      handle: async (request) => json(200, await readLiveRecord(actorOf(request), await schemaOf(request), recordId(request))),
    },
    {
      method: 'PATCH',
      path: itemPath,
      access: access.record({ action: 'update', type }),
      handle: async (request) => {
        const id = recordId(request);
        const schema = await schemaOf(request);
        const { version, fields } = readBody(request.event, schema.patch);
        const { source } = readQuery(request.event, RecordPatchQuery);
        assertWritable(request.principal, type.name, Object.keys(fields));
        return json(200, await underFields(updateRecord(actorOf(request), schema, id, version, fields, { source })));
      },
    },
    {
      method: 'DELETE',
      path: itemPath,
      access: access.record({ action: 'delete', type }),
      handle: async (request) => {
        const id = recordId(request);
        const { version } = readQuery(request.event, VersionQuery);
        await trashRecord(actorOf(request), type.key, id, version);
        return noContent();
      },
    },
    {
      method: 'POST',
      path: `${itemPath}/restore`,
      access: access.record({ action: 'delete', type }),
      handle: async (request) => {
        const id = recordId(request);
        const { version } = readQuery(request.event, OptionalVersionQuery);
        const restored = await restoreRecord(actorOf(request), type.key, id, version);
        return json(200, present(restored, await schemaOf(request)));
      },
    },
    {
      method: 'PATCH',
      path: `${itemPath}/owner`,
      access: access.record({ action: 'update', type }),
      handle: async (request) => {
        const id = recordId(request);
        const schema = await schemaOf(request);
        const { version, owner } = readBody(request.event, ChangeOwnerBody);
        return json(200, await reassignOwner(actorOf(request), schema, id, version, owner));
      },
    },
    {
      method: 'GET',
      path: `${itemPath}/history`,
      access: access.history({ action: 'read', type }),
      handle: async (request) => {
        const { after } = readQuery(request.event, HistoryQuery);
        const items = (await recordHistory(actorOf(request), type.key, recordId(request))).filter((item) => item.version > (after ?? 0));
        // A long text changed many times: each change holds it twice (old and new).
        const { kept, cut } = withinBudget(items);
        return json(200, { items: kept, ...(cut ? { nextCursor: String(kept.at(-1)!.version) } : {}) } satisfies HistoryResponse);
      },
    },
  ];
}

/** The `{type}` of a path (singular: `company`); an unknown type names nothing: 404, before any body is read. */
export function typeParam({ params }: ApiRequest): RecordTypeSpec {
  const type = recordTypeNamed(params.type);
  if (!type) throw new HttpError(404, 'NotFound', `there is no record type ${params.type}`);
  return type;
}

/** An id that is no ULID names no record: the same answer as a record that does not exist. */
export function recordId({ params }: ApiRequest): string {
  if (!ULID.test(params.id)) throw new HttpError(404, 'NotFound', `no record ${params.id}`);
  return params.id;
}

/** A PATCH body nests the record's fields under `fields`: so do the paths of its issues. */
export async function underFields<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof FieldValidationError || err instanceof ItemTooLargeError) throw err.under('fields');
    throw err;
  }
}
