/**
 * Values of `user` custom fields name users of the tenant: checked against the directory on
 * every write that sets one, as relations are checked against records. No read when a write
 * sets none.
 */
import type { RecordSchema } from '../records/record-schema.ts';
import type { Fields } from '../records/record-types.ts';
import { assertActiveUsers } from './directory.ts';

export async function assertUserFields(tenant: string, schema: RecordSchema, fields: Fields): Promise<void> {
  const named = schema.definitions
    .filter((definition) => definition.type === 'user' && typeof fields[definition.key] === 'string')
    .map((definition) => ({ path: definition.key, sub: fields[definition.key] as string }));
  await assertActiveUsers(tenant, named);
}
