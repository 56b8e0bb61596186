/**
 * Removing a custom field's values from the records once its definition is gone for good. A
 * deleted field is restorable for 30 days (its values stay on the records, hidden); then the
 * table's TTL removes the definition, and its values would stay behind as leftovers nobody can
 * read, and would come back to life under a new field that got the same key.
 *
 * The stream consumer sees the TTL's removal of the definition (a REMOVE with the old image) and
 * starts a purge: a job item per field (`pk = T#<tenant>#FIELDPURGE#<TYPE>`, `sk = <key>`). The
 * job removes the key from one page of the type's records (live, then trashed) and then writes
 * its next position; that write is a stream event again, which runs the next page. So a type of
 * any size is purged in steps that each fit a stream invocation, and a step that fails is
 * retried by the stream from the job as it was.
 *
 * Idempotent: each record's change is conditional on its version (a record changed meanwhile is
 * read again and the change retried), a record without the key is left alone, and the job moves
 * on only from the position it was at, so a redelivered event changes nothing twice. Each
 * removal is a versioned change with a history entry by `system`, tagged `field-purge:<key>`,
 * and takes the field's derived items (a relation's reverse-relation entries) with it.
 *
 * The finished job stays as a tombstone: a new field never takes a key whose values were purged
 * or are being purged (fields/retired-keys.ts).
 *
 * A folder of its own, above records and fields: the purge reads a type's field definitions and
 * changes records, while records build their schema from the definitions (records import fields).
 */
import type { FieldDefinition } from '../contracts/fields.ts';
import { inParallel } from '../in-parallel.ts';
import { change, commit, readRecordUnscoped } from '../records/repository.ts';
import { systemActor } from '../access/actor.ts';
import { RECORD_SK, listKeys, recordPk, trashKeys } from '../records/keys.ts';
import { VersionConflictError } from '../records/errors.ts';
import { callStore, conditionFailed, putItem, queryItems } from '../store/commands.ts';
import { ITEM_KINDS, parseTypePartition } from '../store/item-kinds.ts';
import { StoreError } from '../store/store-error.ts';
import { buildRecordSchema, indexedType } from '../records/record-schema.ts';
import { recordTypeWithKey } from '../records/record-types.ts';
import type { IndexedType } from '../records/derived-items.ts';
import { fieldDefinitions } from '../fields/field-definitions.ts';
import { purgePk } from '../fields/retired-keys.ts';

/** Records read per step; their changes go 8 at a time. */
const PAGE = 100;
const WRITERS = 8;
/** Who the history names for the removals. */
export const SYSTEM_SUB = 'system';

export interface FieldPurge {
  tenant: string;
  /** The record type's key, e.g. `COMPANY`. */
  type: string;
  key: string;
  /** The definition as it was when the TTL removed it (a relation's target matters). */
  definition: FieldDefinition;
  /** Which records the next step reads: live ones, then trashed ones, then none. */
  phase: 'live' | 'trash' | 'done';
  /** The last record id read in this phase ('' before the first). */
  after: string;
  removed: number;
  startedAt: string;
  finishedAt?: string;
}

/** The tenant and type of a purge job item's key, if it is one. */
export function parsePurgePk(pk: string): { tenant: string; type: string } | undefined {
  return parseTypePartition(ITEM_KINDS.fieldPurges, pk);
}

/** Starts purging the values of a field whose definition the TTL removed; a second start finds the job and does nothing. */
export async function startFieldPurge(tenant: string, definition: FieldDefinition): Promise<void> {
  const job: FieldPurge = { tenant, type: definition.recordType, key: definition.key, definition, phase: 'live', after: '', removed: 0, startedAt: new Date().toISOString() };
  await putJob(job, 'attribute_not_exists(pk)');
}

/** One step of a purge: the next page of records loses the key, then the job moves on (which triggers the next step). */
export async function continueFieldPurge(job: FieldPurge): Promise<void> {
  const spec = recordTypeWithKey(job.type);
  if (job.phase === 'done' || !spec) return;
  // The expired definition joins the live ones, so that its relation entries leave with the values.
  const live = (await fieldDefinitions(job.tenant, spec)).filter((definition) => definition.key !== job.key);
  const indexed = indexedType(buildRecordSchema(spec, [...live, job.definition]));
  const keysOf = job.phase === 'live' ? listKeys : trashKeys;
  const page = await callStore('find field values', () =>
    queryItems({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: 'attribute_exists(#field)',
      ProjectionExpression: '#id',
      ExpressionAttributeNames: { '#field': job.key, '#id': 'id' },
      ExpressionAttributeValues: { ':pk': keysOf(job.tenant, job.type, '').gsi1pk },
      Limit: PAGE,
      ExclusiveStartKey: job.after ? { pk: recordPk(job.tenant, job.type, job.after), sk: RECORD_SK, ...keysOf(job.tenant, job.type, job.after) } : undefined,
    }),
  );
  let removed = 0;
  await inParallel(page.Items ?? [], WRITERS, async (item) => {
    if (await removeValue(job, indexed, item.id as string)) removed++;
  });
  const last = page.LastEvaluatedKey?.gsi1sk as string | undefined;
  const next: FieldPurge = last
    ? { ...job, after: last, removed: job.removed + removed }
    : { ...job, phase: job.phase === 'live' ? 'trash' : 'done', after: '', removed: job.removed + removed };
  if (next.phase === 'done') next.finishedAt = new Date().toISOString();
  // Only from where this step started: a redelivered event of an old position moves nothing.
  await putJob(next, 'phase = :phase AND #after = :after', { ':phase': job.phase, ':after': job.after });
}

/** Removes the key from one record, conditional on its version (read again on a conflict); false when it had none. */
async function removeValue(job: FieldPurge, indexed: IndexedType, id: string): Promise<boolean> {
  const actor = systemActor(job.tenant, SYSTEM_SUB);
  for (let attempt = 1; ; attempt++) {
    const current = await readRecordUnscoped(job.tenant, job.type, id);
    if (!current || !(job.key in current)) return false;
    try {
      await commit(actor, [change(actor, indexed, current, { [job.key]: null }, new Date().toISOString(), { request: `field-purge:${job.key}` })]);
      return true;
    } catch (err) {
      // Someone changed the record since it was read: read it again, a few times; then let the stream retry the step.
      if (!(err instanceof VersionConflictError) || attempt === 5) throw err;
    }
  }
}

/** Writes the job if the condition holds; a job already started, or moved on, is left as it is. */
async function putJob(job: FieldPurge, condition: string, values?: Record<string, unknown>): Promise<void> {
  try {
    await putItem({
      Item: { pk: purgePk(job.tenant, job.type), sk: job.key, ...job },
      ConditionExpression: condition,
      ExpressionAttributeNames: values ? { '#after': 'after' } : undefined,
      ExpressionAttributeValues: values,
    });
  } catch (err) {
    if (conditionFailed(err)) return;
    throw new StoreError(`could not write the purge of field ${job.key}`, { cause: err });
  }
}
