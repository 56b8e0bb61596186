/**
 * Deleting a record moves it to the trash: it keeps its data and history, leaves every list
 * (its gsi1 key moves to the trash partition), and can be restored for 30 days, after which
 * the table's TTL removes it. Both moves are versioned writes with history, like any change.
 */
import { NotInTrashError, RecordNotFoundError, type StoredRecord } from './errors.ts';
import { change, commit, getRecord, readRecord, type Actor, type RecordWrite } from './repository.ts';
import { assertAtVersion } from './records.ts';
import { purgeAfter } from './trash-period.ts';
import type { RecordType } from './keys.ts';
import type { IndexedType } from './derived-items.ts';
import { indexedType, recordSchemaFor } from './record-schema.ts';
import { recordTypeWithKey } from './record-types.ts';

export async function trashRecord(actor: Actor, type: RecordType, id: string, version: number): Promise<void> {
  const current = await getRecord(actor, type, id);
  assertAtVersion(current, version);
  await commit(actor, [trashing(actor, await indexedTypeOf(actor, type), current, new Date())]);
}

/** Plans the move of `current` to the trash, to commit alone or with other writes (a merge trashes the record merged away). */
export function trashing(actor: Actor, indexed: IndexedType, current: StoredRecord, at: Date, options: { request?: string } = {}): RecordWrite {
  const meta = { deletedAt: at.toISOString(), deletedBy: actor.sub, purgeAt: purgeAfter(at).toISOString() };
  return change(actor, indexed, current, {}, at.toISOString(), { action: 'deleted', meta, request: options.request });
}

/** Brings a trashed record back; `version`, when given, must be the trashed record's. */
export async function restoreRecord(actor: Actor, type: RecordType, id: string, version?: number): Promise<StoredRecord> {
  const current = await readRecord(actor.tenant, type, id);
  if (!current) throw new RecordNotFoundError(type, id);
  if (!current.deletedAt) throw new NotInTrashError(`${type.toLowerCase()} ${id}`);
  if (version !== undefined) assertAtVersion(current, version);
  const write = change(actor, await indexedTypeOf(actor, type), current, {}, new Date().toISOString(), {
    action: 'restored',
    meta: { deletedAt: null, deletedBy: null, purgeAt: null },
  });
  await commit(actor, [write]);
  return write.record;
}

/** The tenant's schema of the type decides which derived items (custom relations too) leave and come back with the record. */
async function indexedTypeOf(actor: Actor, type: RecordType): Promise<IndexedType> {
  const spec = recordTypeWithKey(type);
  if (!spec) throw new RecordNotFoundError(type, '');
  return indexedType(await recordSchemaFor(actor.tenant, spec));
}
