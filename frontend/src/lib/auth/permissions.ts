/**
 * What the signed-in user's role lets them do, from `GET /api/me`, so a page can hide what the
 * role cannot do (an Add button, an import, a cell that is read-only). Only a convenience: the
 * API checks every request itself.
 */
import type { Me } from '$contracts/auth.ts';
import type { Action } from '$contracts/roles.ts';

/** Whether the role allows `action` on records of the type (singular name, e.g. `company`). */
export function can(me: Pick<Me, 'role'> | undefined, action: Action, typeName: string): boolean {
  return me?.role?.types[typeName]?.actions.includes(action) ?? false;
}

/** Fields of the type the role may read but not change. */
export function readOnlyFields(me: Pick<Me, 'role'> | undefined, typeName: string): ReadonlySet<string> {
  return new Set(me?.role?.types[typeName]?.readOnlyFields ?? []);
}

/** Whether the role administers users, teams, roles, custom fields and the audit log. */
export const administers = (me: Pick<Me, 'role'> | undefined): boolean => me?.role?.administer ?? false;
