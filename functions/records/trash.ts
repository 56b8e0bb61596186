/**
 * Deleting a record moves it to the trash: it keeps its data and history, leaves every list
 * (its gsi1 key moves to the trash partition), and can be restored for 30 days, after which
 * the table's TTL removes it. Both moves are versioned writes with history, like any change.
 */
import { NotInTrashError, RecordNotFoundError, VersionConflictError, type StoredRecord } from './errors.ts';
import { change, commit, getRecord, inScope, madeByRequest, readRecord, type Actor, type RecordWrite } from './repository.ts';
import { inParallel } from '../in-parallel.ts';
import { assertAtVersion } from './records.ts';
import { purgeAfter } from './trash-period.ts';
import type { RecordType } from './keys.ts';
import type { IndexedType } from './derived-items.ts';
import { indexedType, recordSchemaFor } from './record-schema.ts';
import { recordTypeWithKey } from './record-types.ts';

export async function trashRecord(actor: Actor, type: RecordType, id: string, version: number, options: { indexed?: IndexedType; request?: string } = {}): Promise<StoredRecord> {
  const current = await getRecord(actor, type, id);
  assertAtVersion(current, version);
  const write = trashing(actor, options.indexed ?? (await indexedTypeOf(actor, type)), current, new Date(), { request: options.request });
  await commit(actor, [write]);
  return write.record;
}

export type TrashOutcome = { status: 'ok'; version: number } | { status: 'conflict'; current: StoredRecord } | { status: 'notFound' };

/** Records moved at once; the table takes many small transactions in parallel well. */
const CONCURRENCY = 16;

/**
 * Many records to the trash, each by `trashRecord` in a transaction of its own, each with its
 * outcome. A retry cannot trash twice (versions); with `request` (an idempotency key) a record
 * this very request already trashed is `ok` again, not `notFound`.
 */
export async function trashRecords(actor: Actor, items: Array<{ type: RecordType; id: string; version: number }>, request?: string): Promise<TrashOutcome[]> {
  const indexed = new Map<RecordType, IndexedType>();
  for (const type of new Set(items.map((item) => item.type))) indexed.set(type, await indexedTypeOf(actor, type));
  const outcomes: TrashOutcome[] = new Array(items.length);
  await inParallel([...items.keys()], CONCURRENCY, async (i) => {
    const { type, id, version } = items[i];
    try {
      outcomes[i] = { status: 'ok', version: (await trashRecord(actor, type, id, version, { indexed: indexed.get(type), request })).version };
    } catch (err) {
      if (err instanceof VersionConflictError) outcomes[i] = { status: 'conflict', current: err.current };
      else if (err instanceof RecordNotFoundError) outcomes[i] = (await trashedByRequest(actor, items[i], request)) ? { status: 'ok', version: version + 1 } : { status: 'notFound' };
      else throw err;
    }
  });
  return outcomes;
}

/** Whether the record is in the trash because this request put it there (an earlier try of it). */
async function trashedByRequest(actor: Actor, item: { type: RecordType; id: string; version: number }, request: string | undefined): Promise<boolean> {
  if (!request) return false;
  const current = await readRecord(actor.tenant, item.type, item.id);
  if (!current?.deletedAt || !inScope(actor, item.type, current) || current.version !== item.version + 1) return false;
  return madeByRequest(actor.tenant, item.type, item.id, item.version + 1, request);
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
