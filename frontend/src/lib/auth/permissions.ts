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

/**
 * Why the role may not change a field of the type's records, or undefined when it may. The one
 * answer the grid's cells, the record card and the kanban show (as a tooltip / description).
 */
export function whyReadOnly(me: Pick<Me, 'role'> | undefined, typeName: string, fieldKey: string): string | undefined {
  const role = me?.role?.name ?? 'Your role';
  if (!can(me, 'update', typeName)) return `${role} may not change ${typeName} records`;
  if (readOnlyFields(me, typeName).has(fieldKey)) return `${role} may read this field but not change it`;
  return undefined;
}

/** Fields made read-only where the role may not change them, each with the reason. */
export function lockFields<F extends { key: string; editable: boolean }>(me: Pick<Me, 'role'> | undefined, typeName: string, fields: F[]): Array<F & { readOnlyReason?: string }> {
  return fields.map((field) => {
    const reason = field.editable ? whyReadOnly(me, typeName, field.key) : undefined;
    return reason ? { ...field, editable: false, readOnlyReason: reason } : field;
  });
}
