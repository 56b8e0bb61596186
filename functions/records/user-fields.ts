/**
 * Values of fields that name a user (an activity's `assignee`, custom `user` fields: the schema's
 * `users`) are active users of the tenant: checked against the directory on every write that sets
 * one (create, PATCH, bulk, import, a lead's conversion), as relations are checked against
 * records. A user of another tenant is not in this one's directory, so is refused alike. A value
 * the record holds already stays, deactivated since or not. No read when a write sets none.
 */
import type { StoredRecord } from './errors.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import type { RecordSchema } from './record-schema.ts';
import type { Fields } from './record-types.ts';
import { currentDirectory } from '../directory/directory.ts';

export async function assertUserFields(tenant: string, schema: RecordSchema, fields: Fields, current?: StoredRecord): Promise<void> {
  const named = schema.users
    .filter((field) => typeof fields[field] === 'string' && fields[field] !== current?.[field])
    .map((field) => ({ path: field, sub: fields[field] as string }));
  await assertActiveUsers(tenant, named);
}

/** Each sub named must be an active user of the tenant (an owner, a `user` field's value). */
export async function assertActiveUsers(tenant: string, named: Array<{ path: string; sub: string }>): Promise<void> {
  if (named.length === 0) return;
  const active = new Set((await currentDirectory(tenant)).users.filter((user) => user.active).map((user) => user.sub));
  const issues = named.filter(({ sub }) => !active.has(sub)).map(({ path, sub }) => ({ path, message: 'is no active user of this tenant', value: sub }));
  if (issues.length) throw new FieldValidationError(issues);
}
