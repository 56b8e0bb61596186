/**
 * Values of fields that name a user (an activity's `assignee`, custom `user` fields: the schema's
 * `users`) are active users of the tenant: checked against the directory on every write that sets
 * one (create, PATCH, bulk, import, a lead's conversion), as relations are checked against
 * records. A user of another tenant is not in this one's directory, so is refused alike. A value
 * the record holds already stays, deactivated since or not. No read when a write sets none.
 */
import type { StoredRecord } from '../records/errors.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import type { Fields } from '../records/record-types.ts';
import { assertActiveUsers } from './directory.ts';

export async function assertUserFields(tenant: string, schema: RecordSchema, fields: Fields, current?: StoredRecord): Promise<void> {
  const named = schema.users
    .filter((field) => typeof fields[field] === 'string' && fields[field] !== current?.[field])
    .map((field) => ({ path: field, sub: fields[field] as string }));
  await assertActiveUsers(tenant, named);
}
