/**
 * Deleting a record moves it to the trash: it keeps its data and history, leaves every list
 * (its gsi1 key moves to the trash partition), and can be restored for 30 days, after which
 * the table's TTL removes it. Both moves are versioned writes with history, like any change.
 */
import { RecordNotFoundError, VersionConflictError, type StoredRecord } from './errors.ts';
import { NotInTrashError } from '../errors/not-in-trash-error.ts';
import { change, commit, findRecord, getRecord, madeByRequest, type RecordWrite } from './repository.ts';
import type { Actor } from '../access/actor.ts';
import { bytesRead, inParallelWithinBudget } from './work-budget.ts';
import { assertAtVersion } from './records.ts';
import { purgeAfter } from '../contracts/trash-period.ts';
import type { RecordType } from './keys.ts';
import type { IndexedType } from './derived-items.ts';
import { indexedType, present, recordSchemaFor, type RecordSchema } from './record-schema.ts';
import { recordTypeNamed, recordTypeWithKey, type RecordTypeSpec } from './record-types.ts';
import { assertCan, ForbiddenError, type Principal } from '../access/permissions.ts';

export async function trashRecord(actor: Actor, type: RecordType, id: string, version: number, options: { indexed?: IndexedType; request?: string } = {}): Promise<StoredRecord> {
  return trashAt(actor, options.indexed ?? (await indexedTypeOf(actor, type)), await getRecord(actor, type, id), version, options.request);
}

/** Moves `current` (live, as just read) to the trash, if it is at `version`. */
async function trashAt(actor: Actor, indexed: IndexedType, current: StoredRecord, version: number, request: string | undefined): Promise<StoredRecord> {
  assertAtVersion(current, version);
  const write = trashing(actor, indexed, current, new Date(), { request });
  await commit(actor, [write]);
  return write.record;
}

/** Records moved at once; the table takes many small transactions in parallel well. */
const CONCURRENCY = 16;

/** A record named in a request for many: its type (singular, `company`), id, and the version the client means. */
export interface RecordAt {
  type: string;
  id: string;
  version: number;
}

type Conflict = { status: 'conflict'; current: StoredRecord };
type Refused = { status: 'forbidden'; reason: string };
type NotFound = { status: 'notFound' };
type Later = { status: 'later' };

/**
 * Many records moved at once (to the trash or back), each by `move` in a transaction of its own,
 * each with its outcome, in order. The role's `delete` right is checked per record type (both
 * ways need it, as the single routes do): a type it lacks is `forbidden` for its records, a type
 * that does not exist `notFound`. `move` gets the tenant's schema of the type, to show records as
 * a GET would (`present`: the live custom fields only), and answers the bytes it read: records
 * past the request's work budget (work-budget.ts) are `later`.
 */
async function eachPermitted<Outcome>(
  principal: Principal,
  items: readonly RecordAt[],
  move: (schema: RecordSchema, item: RecordAt) => Promise<{ outcome: Outcome; bytes: number }>,
): Promise<Array<Outcome | Refused | NotFound | Later>> {
  const outcomes: Array<Outcome | Refused | NotFound | Later> = new Array(items.length);
  const schemas = new Map<RecordTypeSpec, RecordSchema>();
  const allowed: Array<{ index: number; type: RecordTypeSpec }> = [];
  for (const [index, item] of items.entries()) {
    const type = recordTypeNamed(item.type);
    const refused = type && whyNot(principal, type.name);
    if (!type) outcomes[index] = { status: 'notFound' };
    else if (refused) outcomes[index] = { status: 'forbidden', reason: refused };
    else {
      if (!schemas.has(type)) schemas.set(type, await recordSchemaFor(principal.tenant, type));
      allowed.push({ index, type });
    }
  }
  const left = await inParallelWithinBudget(allowed, CONCURRENCY, async ({ index, type }) => {
    const { outcome, bytes } = await move(schemas.get(type)!, items[index]);
    outcomes[index] = outcome;
    return bytes;
  });
  for (const { index } of left) outcomes[index] = { status: 'later' };
  return outcomes;
}

/** Why the role may not delete records of the type (`assertCan`'s reason, as a result rather than a 403 for the whole request); '' when it may. */
function whyNot(principal: Principal, typeName: string): string {
  try {
    assertCan(principal, 'delete', typeName);
  } catch (err) {
    if (err instanceof ForbiddenError) return err.message;
    throw err;
  }
  return '';
}

/** Whether `current` is at `version` because this request (an earlier try of it) put it there. */
const movedByRequest = async (actor: Actor, type: RecordType, current: StoredRecord, version: number, request: string | undefined) =>
  !!request && current.version === version && (await madeByRequest(actor.tenant, type, current.id, version, request));

export type TrashOutcome = { status: 'ok'; version: number } | Conflict | Refused | NotFound | Later;

/**
 * Many records to the trash, each as `trashRecord`, each with its outcome. A retry cannot trash
 * twice (versions); with `request` (an idempotency key) a record this very request already
 * trashed is `ok` again, not `notFound`. Each record is read once.
 */
export function trashRecords(principal: Principal, items: readonly RecordAt[], request?: string): Promise<TrashOutcome[]> {
  return eachPermitted(principal, items, async (schema, { id, version }) => {
    const current = await findRecord(principal, schema.type.key, id);
    return { outcome: await trashOne(principal, schema, id, current, version, request), bytes: bytesRead(current) };
  });
}

async function trashOne(actor: Actor, schema: RecordSchema, id: string, current: StoredRecord | undefined, version: number, request: string | undefined): Promise<TrashOutcome> {
  const type = schema.type.key;
  if (current && !current.deletedAt) {
    try {
      return { status: 'ok', version: (await trashAt(actor, indexedType(schema), current, version, request)).version };
    } catch (err) {
      if (err instanceof VersionConflictError) return { status: 'conflict', current: present(err.current, schema) };
      if (!(err instanceof RecordNotFoundError)) throw err;
    }
  }
  // In the trash (or trashed meanwhile): by this very request, an earlier try or a copy, it is done; else there is none.
  const now = current?.deletedAt ? current : await findRecord(actor, type, id);
  return now?.deletedAt && (await movedByRequest(actor, type, now, version + 1, request)) ? { status: 'ok', version: now.version } : { status: 'notFound' };
}

export type RestoreOutcome = { status: 'ok'; record: StoredRecord } | Conflict | { status: 'notInTrash'; current: StoredRecord } | Refused | NotFound | Later;

/**
 * Many records back from the trash, each at its trashed `version` as `restoreRecord` brings one,
 * each with its outcome: `ok` with the record restored, `conflict` (in the trash at another
 * version), `notInTrash` (live: restored meanwhile by someone else), `notFound` (purged, outside
 * the caller's scope, never was). With `request`, a record this very request already restored
 * is `ok` again. Each record is read once.
 */
export function restoreRecords(principal: Principal, items: readonly RecordAt[], request?: string): Promise<RestoreOutcome[]> {
  return eachPermitted(principal, items, async (schema, { id, version }) => {
    const current = await findRecord(principal, schema.type.key, id);
    return { outcome: await restoreOne(principal, schema, current, version, request), bytes: bytesRead(current) };
  });
}

async function restoreOne(actor: Actor, schema: RecordSchema, current: StoredRecord | undefined, version: number, request: string | undefined): Promise<RestoreOutcome> {
  if (!current) return { status: 'notFound' };
  try {
    return { status: 'ok', record: present(await restoreAt(actor, indexedType(schema), current, version, request), schema) };
  } catch (err) {
    if (err instanceof VersionConflictError) return { status: 'conflict', current: present(err.current, schema) };
    if (err instanceof RecordNotFoundError) return { status: 'notFound' };
    if (!(err instanceof NotInTrashError)) throw err;
    // Live: restored by this very request (an earlier try), or by someone else.
    if (await movedByRequest(actor, schema.type.key, current, version + 1, request)) return { status: 'ok', record: present(current, schema) };
    return { status: 'notInTrash', current: present(current, schema) };
  }
}

/** Plans the move of `current` to the trash, to commit alone or with other writes (a merge trashes the record merged away). */
export function trashing(actor: Actor, indexed: IndexedType, current: StoredRecord, at: Date, options: { request?: string } = {}): RecordWrite {
  const meta = { deletedAt: at.toISOString(), deletedBy: actor.sub, purgeAt: purgeAfter(at).toISOString() };
  return change(actor, indexed, current, {}, at.toISOString(), { action: 'deleted', meta, request: options.request });
}

/**
 * Brings a trashed record back; `version`, when given, must be the trashed record's. One outside
 * the actor's scope does not exist for them, as for every read.
 */
export async function restoreRecord(actor: Actor, type: RecordType, id: string, version?: number, options: { indexed?: IndexedType; request?: string } = {}): Promise<StoredRecord> {
  const current = await findRecord(actor, type, id);
  if (!current) throw new RecordNotFoundError(type, id);
  return restoreAt(actor, options.indexed ?? (await indexedTypeOf(actor, type)), current, version, options.request);
}

/** Brings `current` (as just read) back from the trash, if it is there at `version`. */
async function restoreAt(actor: Actor, indexed: IndexedType, current: StoredRecord, version: number | undefined, request: string | undefined): Promise<StoredRecord> {
  if (!current.deletedAt) throw new NotInTrashError(`${indexed.key.toLowerCase()} ${current.id}`);
  if (version !== undefined) assertAtVersion(current, version);
  const write = change(actor, indexed, current, {}, new Date().toISOString(), { action: 'restored', meta: { deletedAt: null, deletedBy: null, purgeAt: null }, request });
  await commit(actor, [write]);
  return write.record;
}

/** The tenant's schema of the type decides which derived items (custom relations too) leave and come back with the record. */
async function indexedTypeOf(actor: Actor, type: RecordType): Promise<IndexedType> {
  const spec = recordTypeWithKey(type);
  if (!spec) throw new RecordNotFoundError(type, '');
  return indexedType(await recordSchemaFor(actor.tenant, spec));
}
