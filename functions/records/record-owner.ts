/**
 * A record's owner is a user of its tenant: set to the creator, handed to another active user
 * by a versioned change (with history, like any field). Who owns a record decides who sees it
 * under an own or team scope, so a user who hands a record outside their scope loses sight of it.
 */
import type { StoredRecord } from './errors.ts';
import { updateRecord } from './records.ts';
import type { RecordSchema } from './record-schema.ts';
import type { Actor } from '../access/actor.ts';
import { assertActiveUsers } from './user-fields.ts';

export async function reassignOwner(actor: Actor, schema: RecordSchema, id: string, version: number, owner: string): Promise<StoredRecord> {
  await assertActiveUsers(actor.tenant, [{ path: 'owner', sub: owner }]);
  return updateRecord(actor, schema, id, version, { owner });
}
