/**
 * What each route needs of the caller's role, declared beside the route (Route.access) and
 * checked by the handler before the route runs. A route without a declaration does not type-
 * check, and test/access enumerates ROUTES against the declarations, so none is left open.
 */
import type { Action } from '../contracts/roles.ts';
import { ULID } from '../contracts/values.ts';
import { RECORD_TYPES, recordTypeNamed, type RecordTypeSpec } from '../records/record-types.ts';
import { findRecord } from '../records/repository.ts';
import { assertAdminister, can, ForbiddenError, type Principal } from '../access/permissions.ts';
import { HttpError } from './http.ts';
import type { ApiRequest } from './router.ts';

/**
 * The record type a need is about: a fixed one, the path's `{type}` (singular), the query's
 * `type` (plural, as imports name it), or any type at all (a need met by any one).
 */
export type TypeRef = RecordTypeSpec | 'path' | 'query' | 'any';

export interface Need {
  action: Action;
  type: TypeRef;
}

export type RouteAccess =
  /** Any user of the tenant; `filtered` says how the route keeps to what the caller may see. */
  | { kind: 'signed-in'; filtered: string }
  | { kind: 'administer' }
  /**
   * Every need met; `record`: the path's `{id}` names a record of the first need's type, which
   * must exist (live or in the trash) and be in the caller's scope; `purged`: or be gone for good
   * (its history outlives it; the domain judges its scope by the history then).
   */
  | { kind: 'records'; needs: Need[]; record: boolean; purged?: true };

export const access = {
  signedIn: (filtered: string): RouteAccess => ({ kind: 'signed-in', filtered }),
  administer: { kind: 'administer' } as RouteAccess,
  records: (...needs: Need[]): RouteAccess => ({ kind: 'records', needs, record: false }),
  record: (...needs: Need[]): RouteAccess => ({ kind: 'records', needs, record: true }),
  /** A record's history: readable after the record itself is gone for good. */
  history: (need: Need): RouteAccess => ({ kind: 'records', needs: [need], record: true, purged: true }),
};

export async function authorize(rule: RouteAccess, request: ApiRequest): Promise<void> {
  const { principal } = request;
  if (rule.kind === 'signed-in') return;
  if (rule.kind === 'administer') return assertAdminister(principal);
  for (const need of rule.needs) {
    const types = typesOf(need.type, request);
    if (types === undefined) continue; // no such type: the route answers that itself (404/400)
    if (!types.some((type) => can(principal, need.action, type.name))) {
      throw new ForbiddenError(`${principal.role ? `the role ${principal.role.name}` : 'a user without a role'} may not ${need.action} ${need.type === 'any' ? 'any' : types[0].name} records`);
    }
  }
  if (rule.record) await assertRecordInScope(principal, typesOf(rule.needs[0].type, request)?.[0], request.params.id, rule.purged ?? false);
}

function typesOf(ref: TypeRef, request: ApiRequest): readonly RecordTypeSpec[] | undefined {
  if (ref === 'any') return RECORD_TYPES;
  if (ref === 'path') {
    const type = recordTypeNamed(request.params.type);
    return type && [type];
  }
  if (ref === 'query') {
    const type = RECORD_TYPES.find((t) => t.plural === request.event.queryStringParameters?.type);
    return type && [type];
  }
  return [ref];
}

/**
 * A record that is not there, or is outside the caller's scope, is a 404 before anything else
 * (the body included), so no answer tells the two apart. The domain reads as the caller too;
 * this is so that a route answers it before reading its body. A history route lets a record
 * that is not there pass: its history may outlive it, and the domain judges its scope.
 */
async function assertRecordInScope(principal: Principal, type: RecordTypeSpec | undefined, id: string | undefined, purged: boolean): Promise<void> {
  if (!type || !id) return;
  const missing = () => new HttpError(404, 'NotFound', `${type.name} ${id} does not exist`);
  if (!ULID.test(id)) throw missing();
  if (!purged && !(await findRecord(principal, type.key, id))) throw missing();
}
