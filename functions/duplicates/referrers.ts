/**
 * The records that point at a record through a relation (a deal's `companyId`, a contact's
 * `companyIds`, an activity's `contactId`, a custom relation field, a deal line's `productId`),
 * so that a merge can move them to the survivor. Top-level relations are found through the
 * reverse-relation index (records/reverse-relations.ts), one consistent Query, then one
 * BatchGetItem of the records named. Relations nested in lists (`lines.productId`) are not in
 * that index (a deal's 200 lines would not fit its transaction): their records are found among
 * the type's live records in the view snapshot (views/type-snapshot.ts: caught up with every
 * write acknowledged before; a request reads at most 5,000 records from the table), then read again
 * consistently. Each record read is checked again (live, and the field still a relation of the
 * tenant's schema that holds the id), so an entry of a custom relation field deleted since, or
 * a snapshot's older copy, moves nothing. Every record counts, whoever owns it (the merge moves
 * them all, and names to its caller only those they may see: merge.ts).
 */
import { readRecordsUnscoped } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import type { RecordType } from '../records/keys.ts';
import { RECORD_TYPES, recordTypeWithKey } from '../records/record-types.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { referencesTo } from '../records/reverse-relations.ts';
import type { StoredRecord } from '../records/errors.ts';
import { typeSnapshot } from '../views/type-snapshot.ts';

export interface Referrer {
  schema: RecordSchema;
  record: StoredRecord;
  /** The relation paths that hold the id: a top-level field, or one through a list (`lines.productId`). */
  fields: string[];
}

/** Live records of any type whose relations name `id` of type `target`. */
export async function referrersOf(actor: Actor, target: RecordType, id: string): Promise<Referrer[]> {
  return [...(await indexedReferrers(actor, target, id)), ...(await nestedReferrers(actor, target, id))];
}

async function indexedReferrers(actor: Actor, target: RecordType, id: string): Promise<Referrer[]> {
  const references = await referencesTo(actor.tenant, target, id);
  const schemas = new Map<string, RecordSchema>();
  for (const type of new Set(references.map((reference) => reference.type))) {
    const spec = recordTypeWithKey(type);
    if (spec) schemas.set(type, await recordSchemaFor(actor.tenant, spec));
  }
  const records = await readRecordsUnscoped(actor.tenant, references.filter((r) => schemas.has(r.type)).map((r) => ({ type: r.type, id: r.id })));
  return records.flatMap((record) => {
    const named = references.filter((reference) => reference.id === record.id);
    const schema = schemas.get(named[0].type)!;
    const relations = new Set(schema.relations.filter((relation) => relation.target === target).map((relation) => relation.path));
    const fields = [...new Set(named.map((reference) => reference.field))].filter((field) => relations.has(field) && holds(record[field], id));
    return record.deletedAt || fields.length === 0 ? [] : [{ schema, record, fields }];
  });
}

/** Live records whose relations through a list (a deal line's `productId`) name `id` of type `target`. */
async function nestedReferrers(actor: Actor, target: RecordType, id: string): Promise<Referrer[]> {
  const found: Referrer[] = [];
  for (const spec of RECORD_TYPES) {
    const paths = spec.relations.filter((relation) => relation.target === target && relation.path.includes('.')).map((relation) => relation.path);
    if (paths.length === 0) continue;
    const holding = (record: StoredRecord) => paths.filter((path) => holdsAt(record, path.split('.'), id));
    const snapshot = await typeSnapshot(actor.tenant, spec.key);
    const candidates = [...snapshot.records.values()].filter((record) => holding(record).length > 0);
    if (candidates.length === 0) continue;
    const schema = await recordSchemaFor(actor.tenant, spec);
    for (const record of await readRecordsUnscoped(actor.tenant, candidates.map((record) => ({ type: spec.key, id: record.id })))) {
      const fields = holding(record);
      if (!record.deletedAt && fields.length > 0) found.push({ schema, record, fields });
    }
  }
  return found;
}

/**
 * The record's changed values with `from` replaced by `to` at each relation path: once in a list
 * of ids, in every item of a list of objects (`lines.productId` gives the whole new `lines`).
 */
export function repointed(record: StoredRecord, fields: string[], from: string, to: string): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const path of fields) {
    const [field, ...rest] = path.split('.');
    changed[field] = replacedAt(field in changed ? changed[field] : record[field], rest, from, to);
  }
  return changed;
}

function replacedAt(value: unknown, path: string[], from: string, to: string): unknown {
  if (path.length === 0) {
    if (Array.isArray(value)) return [...new Set(value.map((v) => (v === from ? to : v)))];
    return value === from ? to : value;
  }
  if (Array.isArray(value)) return value.map((item) => replacedAt(item, path, from, to));
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  return head in value ? { ...value, [head]: replacedAt((value as Record<string, unknown>)[head], rest, from, to) } : value;
}

/** Whether `id` is at `path` in `value`, going through lists. */
function holdsAt(value: unknown, path: string[], id: string): boolean {
  if (Array.isArray(value)) return value.some((item) => holdsAt(item, path, id));
  if (path.length === 0) return value === id;
  if (value === null || typeof value !== 'object') return false;
  const [head, ...rest] = path;
  return holdsAt((value as Record<string, unknown>)[head], rest, id);
}

const holds = (value: unknown, id: string) => holdsAt(value, [], id);
