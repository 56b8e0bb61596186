/**
 * Records of any type, as the API and the other domain services use them: fields validated
 * against the tenant's schema of the type, computed fields derived, relations checked, then
 * written through the repository (conditional on the version, with history).
 */
import { VersionConflictError, type StoredRecord } from './errors.ts';
import { change, commit, creation, getRecord, listRecords, type ChangeOptions, type Page, type RecordWrite } from './repository.ts';
import type { Actor } from '../access/actor.ts';
import { assertRelationsExist } from './relations.ts';
import { assertUserFields } from './user-fields.ts';
import { indexedType, present, type RecordSchema } from './record-schema.ts';
import type { Fields } from './record-types.ts';

/**
 * Plans the creation of a record from fields already parsed by `schema.create`. `pending`:
 * ids of records created in the same transaction, which relations may name.
 */
export async function planCreation(actor: Actor, schema: RecordSchema, fields: Fields, at: string, options: { id?: string; pending?: string[]; request?: string } = {}): Promise<RecordWrite> {
  const derived = schema.type.derive?.(fields, fields, true) ?? {};
  await assertRelationsExist(actor, schema.relations, fields, { pending: options.pending });
  await assertUserFields(actor.tenant, schema, fields);
  return creation(actor, indexedType(schema), { ...fields, ...derived }, at, options.id, options.request);
}

/** Plans a change of fields (parsed by `schema.fields`, partially) of `current`, which must be at `version`. */
export async function planChange(actor: Actor, schema: RecordSchema, current: StoredRecord, version: number, fields: Fields, at: string, options?: ChangeOptions): Promise<RecordWrite> {
  assertAtVersion(current, version);
  const derived = schema.type.derive?.({ ...current, ...fields }, fields, false) ?? {};
  await assertRelationsExist(actor, schema.relations, fields, { current });
  await assertUserFields(actor.tenant, schema, fields, current);
  return change(actor, indexedType(schema), current, { ...fields, ...derived }, at, options);
}

export async function createRecord(actor: Actor, schema: RecordSchema, fields: Fields): Promise<StoredRecord> {
  const write = await planCreation(actor, schema, fields, new Date().toISOString());
  await commit(actor, [write]);
  return present(write.record, schema);
}

export async function updateRecord(actor: Actor, schema: RecordSchema, id: string, version: number, fields: Fields): Promise<StoredRecord> {
  const current = await getRecord(actor, schema.type.key, id);
  const write = await planChange(actor, schema, current, version, fields, new Date().toISOString());
  await commit(actor, [write]);
  return present(write.record, schema);
}

export async function readLiveRecord(actor: Actor, schema: RecordSchema, id: string): Promise<StoredRecord> {
  return present(await getRecord(actor, schema.type.key, id), schema);
}

export async function listLiveRecords(actor: Actor, schema: RecordSchema, page: { limit: number; after?: string; trash?: boolean }): Promise<Page> {
  const result = await listRecords(actor, schema.type.key, page);
  return { ...result, items: result.items.map((record) => present(record, schema)) };
}

/** A write based on another version than the current one is refused with the current record. */
export function assertAtVersion(current: StoredRecord, version: number): void {
  if (current.version !== version) throw new VersionConflictError(version, current);
}
