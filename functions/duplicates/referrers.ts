/**
 * The records that point at a record through a relation (a deal's `companyId`, a contact's
 * `companyIds`, an activity's `contactId`, a custom relation field), so that a merge can move
 * them to the survivor. Found through the reverse-relation index (records/reverse-relations.ts),
 * one consistent Query, then one BatchGetItem of the records named. Each record read is checked
 * again (live, and the field still a relation of the tenant's schema that holds the id), so an
 * entry of a custom relation field deleted since moves nothing.
 */
import { readRecords, type Actor } from '../records/repository.ts';
import type { RecordType } from '../records/keys.ts';
import { recordTypeWithKey } from '../records/record-types.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { referencesTo } from '../records/reverse-relations.ts';
import type { StoredRecord } from '../records/errors.ts';

export interface Referrer {
  schema: RecordSchema;
  record: StoredRecord;
  /** The top-level fields that hold the id. */
  fields: string[];
}

/** Live records of any type whose relations name `id` of type `target`. */
export async function referrersOf(actor: Actor, target: RecordType, id: string): Promise<Referrer[]> {
  const references = await referencesTo(actor.tenant, target, id);
  const schemas = new Map<string, RecordSchema>();
  for (const type of new Set(references.map((reference) => reference.type))) {
    const spec = recordTypeWithKey(type);
    if (spec) schemas.set(type, await recordSchemaFor(actor.tenant, spec));
  }
  const records = await readRecords(actor.tenant, references.filter((r) => schemas.has(r.type)).map((r) => ({ type: r.type, id: r.id })));
  return records.flatMap((record) => {
    const named = references.filter((reference) => reference.id === record.id);
    const schema = schemas.get(named[0].type)!;
    const relations = new Set(schema.relations.filter((relation) => relation.target === target).map((relation) => relation.path));
    const fields = [...new Set(named.map((reference) => reference.field))].filter((field) => relations.has(field) && holds(record[field], id));
    return record.deletedAt || fields.length === 0 ? [] : [{ schema, record, fields }];
  });
}

/** The record's relation values with `from` replaced by `to` (once, in lists). */
export function repointed(record: StoredRecord, fields: string[], from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = record[field];
      return [field, Array.isArray(value) ? [...new Set(value.map((v) => (v === from ? to : v)))] : to];
    }),
  );
}

const holds = (value: unknown, id: string) => value === id || (Array.isArray(value) && value.includes(id));
