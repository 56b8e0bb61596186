import { TrashBody, type TrashResponse, type TrashResult } from '../../contracts/trash.ts';
import { trashRecords } from '../../records/trash.ts';
import { present, recordSchemaFor, type RecordSchema } from '../../records/record-schema.ts';
import { recordTypeNamed, type RecordTypeSpec } from '../../records/record-types.ts';
import { can } from '../../access/permissions.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf } from './records.ts';

/**
 * POST /api/trash: up to 1,000 records (of any types) to the trash, each as
 * `DELETE /api/{plural}/{id}` would, one result per record (200 even when some are refused). A
 * record of a type the role may not delete is `forbidden`; one outside the caller's scope, or of
 * no type at all, is `notFound`, as a record that does not exist.
 */
export const trashRoute: Route = {
  method: 'POST',
  path: '/api/trash',
  access: access.signedIn('records of types the role may not delete are refused one by one, records outside its scope do not exist'),
  handle: async (request) => {
    const { items, idempotencyKey } = readBody(request.event, TrashBody);
    const results: TrashResult[] = new Array(items.length);
    const allowed: Array<{ index: number; type: RecordTypeSpec; id: string; version: number }> = [];
    items.forEach((item, index) => {
      const type = recordTypeNamed(item.type);
      if (!type) results[index] = { status: 'notFound' };
      else if (!can(request.principal, 'delete', type.name)) results[index] = { status: 'forbidden', reason: `${request.principal.role?.name ?? 'a user without a role'} may not delete ${type.name} records` };
      else allowed.push({ index, type, id: item.id, version: item.version });
    });
    const outcomes = allowed.length ? await trashRecords(actorOf(request), allowed.map(({ type, id, version }) => ({ type: type.key, id, version })), idempotencyKey) : [];
    const schemas = new Map<RecordTypeSpec, RecordSchema>();
    for (const [i, outcome] of outcomes.entries()) {
      const { index, type } = allowed[i];
      if (outcome.status !== 'conflict') results[index] = outcome;
      else {
        // The record as a GET would show it (custom fields of the tenant's live definitions).
        if (!schemas.has(type)) schemas.set(type, await recordSchemaFor(request.caller.tenant, type));
        results[index] = { status: 'conflict', current: present(outcome.current, schemas.get(type)!) };
      }
    }
    return json(200, { results } satisfies TrashResponse);
  },
};
