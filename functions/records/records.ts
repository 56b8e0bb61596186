/**
 * Records of any type, as the API and the other domain services use them: fields validated
 * against the tenant's schema of the type, the type's rules applied (computed fields, refusals,
 * items written alongside: record-types.ts `writeRules`), relations checked, then written through
 * the repository (conditional on the version, with history).
 */
import { ulid } from 'ulid';
import { VersionConflictError, type StoredRecord } from './errors.ts';
import { change, commit, creation, getRecord, listRecords, type ChangeOptions, type Page, type RecordWrite } from './repository.ts';
import type { Actor } from '../access/actor.ts';
import { assertRelationsExist } from './relations.ts';
import { assertUserFields } from './user-fields.ts';
import { indexedType, present, type RecordSchema } from './record-schema.ts';
import type { Fields, TypedWrite, TypedWritePlan, WriteSource } from './record-types.ts';

/** What made a write and what its type's rules are told besides (record-types.ts `TypedWrite`). */
export interface WriteCause {
  /** Default: `create` for a creation, `update` for a change. */
  source?: WriteSource;
  given?: unknown;
}

/**
 * Plans the creation of a record from fields already parsed by `schema.create`. `pending`:
 * ids of records created in the same transaction, which relations may name.
 */
export async function planCreation(
  actor: Actor,
  schema: RecordSchema,
  fields: Fields,
  at: string,
  options: { id?: string; pending?: string[]; request?: string } & WriteCause = {},
): Promise<RecordWrite> {
  const id = options.id ?? ulid();
  const typed = await typeRules(schema, { writer: actor, id, at, next: fields, changed: fields, version: 1, source: options.source ?? 'create', given: options.given });
  await assertRelationsExist(actor, schema.relations, fields, { pending: options.pending });
  await assertUserFields(actor.tenant, schema, fields);
  const write = creation(actor, indexedType(schema), { ...fields, ...typed.fields }, at, id, options.request);
  write.items.push(...typed.items);
  return write;
}

/** Plans a change of fields (parsed by `schema.fields`, partially) of `current`, which must be at `version`. */
export async function planChange(
  actor: Actor,
  schema: RecordSchema,
  current: StoredRecord,
  version: number,
  fields: Fields,
  at: string,
  options: ChangeOptions & WriteCause = {},
): Promise<RecordWrite> {
  assertAtVersion(current, version);
  const { source, given, ...changeOptions } = options;
  const typed = await typeRules(schema, { writer: actor, id: current.id, at, current, next: { ...current, ...fields }, changed: fields, version: current.version + 1, source: source ?? 'update', given });
  await assertRelationsExist(actor, schema.relations, fields, { current });
  await assertUserFields(actor.tenant, schema, fields, current);
  const write = change(actor, indexedType(schema), current, { ...fields, ...typed.fields }, at, changeOptions);
  write.items.push(...typed.items);
  return write;
}

/** What the type's rules add to the write (nothing for a type without rules). */
async function typeRules(schema: RecordSchema, write: TypedWrite): Promise<TypedWritePlan> {
  return schema.writeRules ? schema.writeRules.plan(write) : { fields: {}, items: [] };
}

export async function createRecord(actor: Actor, schema: RecordSchema, fields: Fields, cause: WriteCause = {}): Promise<StoredRecord> {
  const write = await planCreation(actor, schema, fields, new Date().toISOString(), cause);
  await commit(actor, [write]);
  return present(write.record, schema);
}

export async function updateRecord(actor: Actor, schema: RecordSchema, id: string, version: number, fields: Fields, cause: WriteCause = {}): Promise<StoredRecord> {
  const current = await getRecord(actor, schema.type.key, id);
  const write = await planChange(actor, schema, current, version, fields, new Date().toISOString(), cause);
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
