/**
 * Merging two records of one type: the survivor takes the chosen values, every relation that
 * pointed at the other record is moved to the survivor, and the other record goes to the trash
 * (its history stays with it). Every write is a versioned change with its history item, tagged
 * with the merge (`request: merge:<survivor>:<other>`).
 *
 * Atomic when it fits one TransactWriteItems (100 items: the survivor, the trashed record and
 * up to ~48 moved records, two items each). A larger merge is a sequence that is safe to resume:
 * the moved records go first, in transactions of up to 100 items, each conditional on its
 * version; then survivor and trash in one last transaction (or, when their derived items make
 * that more than 100 items, the survivor and then the trash). A crash in between leaves some
 * relations already at the survivor (harmless: both name the same party) and survivor and
 * other untouched, or the survivor changed by this merge (its history at `version + 1` carries
 * the tag), so the client sends the same request again: moved records no longer point at the
 * other one and are not found again, and the versions sent still hold or the survivor's change
 * is recognised as done. Once done, the same request answers with the survivor as it is (the
 * other's last change carries the tag).
 *
 * The caller must see both records, not the records that point at the other one: every such
 * reference moves, whoever owns the record holding it, since the two records are one party and
 * a reference left behind would point at a record in the trash (and, after 30 days, at nothing).
 * The change to a record the caller may not see is that one id and nothing else; the answer
 * names the records moved that the caller sees and only counts the others (`movedHidden`).
 */
import type { MergeBody } from '../contracts/duplicates.ts';
import { RecordNotFoundError, VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { fitsOneTransaction, transactionCost, transactionGroups } from '../records/transaction-groups.ts';
import { commit, findRecord, getRecord, madeByRequest, type Fields, type RecordWrite } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { inScope } from '../access/record-scope.ts';
import { assertAtVersion, planChange } from '../records/records.ts';
import { indexedType, parseFields, present, type RecordSchema } from '../records/record-schema.ts';
import { trashing } from '../records/trash.ts';
import { referrersOf, repointed } from './referrers.ts';
import { DomainError } from '../errors/domain-error.ts';

export interface MergeResult {
  record: StoredRecord;
  mergedId: string;
  /** The records moved to point at the survivor that the caller may see. */
  moved: Array<{ type: string; id: string }>;
  /** How many others were moved too: records the caller may not see. */
  movedHidden: number;
  replayed: boolean;
}

/**
 * A record that pointed at the other one changed while the merge moved it, so the merge's
 * transaction did not go through. What went through before stays (references at the survivor);
 * the same request again finds the records that still point at the other one, and goes on.
 */
export class MergeInterruptedError extends DomainError {
  readonly code = 'MergeInterrupted';

  constructor(other: string, options: { cause: unknown }) {
    super(`a record pointing at ${other} changed while the merge moved it: send the same merge again, it goes on from there`, options);
    this.name = 'MergeInterruptedError';
  }
}

export async function mergeRecords(actor: Actor, schema: RecordSchema, id: string, body: MergeBody): Promise<MergeResult> {
  if (body.otherId === id) throw new FieldValidationError([{ path: 'otherId', message: 'must be another record than the one that survives', value: id }]);
  const tag = `merge:${id}:${body.otherId}`;
  const done = await replayOf(actor, schema, id, body.otherId, tag);
  if (done) return done;
  try {
    return await merge(actor, schema, id, body, tag);
  } catch (err) {
    // A copy of this request sent at the same time merged first (it moved the versions on, or
    // trashed the other record): the same answer as a retry after it.
    if (!(err instanceof VersionConflictError || err instanceof RecordNotFoundError)) throw err;
    const replayed = await replayOf(actor, schema, id, body.otherId, tag);
    if (replayed) return replayed;
    throw err;
  }
}

/** The answer to a merge this request already made: the other record's last change (its trashing) carries the tag. */
async function replayOf(actor: Actor, schema: RecordSchema, id: string, otherId: string, tag: string): Promise<MergeResult | undefined> {
  const type = schema.type.key;
  const other = await findRecord(actor, type, otherId);
  if (!other?.deletedAt || !(await madeByRequest(actor.tenant, type, other.id, other.version, tag))) return undefined;
  return { record: present(await getRecord(actor, type, id), schema), mergedId: other.id, moved: [], movedHidden: 0, replayed: true };
}

async function merge(actor: Actor, schema: RecordSchema, id: string, body: MergeBody, tag: string): Promise<MergeResult> {
  const type = schema.type.key;
  const [survivor, loser] = await Promise.all([getRecord(actor, type, id), getRecord(actor, type, body.otherId)]);
  // A merge that stopped between the survivor's change and the trash resumes after the former.
  const survivorDone = survivor.version === body.version + 1 && (await madeByRequest(actor.tenant, type, id, survivor.version, tag));
  if (!survivorDone) assertAtVersion(survivor, body.version);
  assertAtVersion(loser, body.otherVersion);

  const at = new Date();
  const fields = parseFields(schema.fields.partial(), mergedFields(schema, survivor, loser, body.pick ?? {}), '');
  const referrers = (await referrersOf(actor, type, loser.id)).filter((r) => r.record.id !== survivor.id);
  const moves = await Promise.all(
    referrers.map((r) => planChange(actor, r.schema, r.record, r.record.version, repointed(r.record, r.fields, loser.id, survivor.id), at.toISOString(), { request: tag })),
  );
  const survivorWrite = survivorDone ? undefined : await planChange(actor, schema, survivor, body.version, fields, at.toISOString(), { request: tag });
  const final = [...(survivorWrite ? [survivorWrite] : []), trashing(actor, indexedType(schema), loser, at, { request: tag })];
  for (const transaction of transactions(moves, final)) {
    try {
      await commit(actor, transaction);
    } catch (err) {
      // A moved record that changed meanwhile: not the caller's to be shown (they may not see it), nor a conflict of what they sent.
      const failed = err instanceof VersionConflictError ? err.current.id : err instanceof RecordNotFoundError ? err.id : undefined;
      if (failed !== undefined && failed !== survivor.id && failed !== loser.id) throw new MergeInterruptedError(loser.id, { cause: err });
      throw err;
    }
  }
  const seen = moves.filter((move) => inScope(actor, move.type, move.record));
  return { record: present(survivorWrite?.record ?? survivor, schema), mergedId: loser.id, moved: seen.map((m) => ({ type: m.type, id: m.id })), movedHidden: moves.length - seen.length, replayed: false };
}

/** One transaction when everything fits; otherwise the moves in chunks, then `final` on its own (or each of its writes alone, survivor first). */
function transactions(moves: RecordWrite[], final: RecordWrite[]): RecordWrite[][] {
  if (fitsOneTransaction([...moves, ...final].map(transactionCost))) return [[...moves, ...final]];
  const finalTogether = fitsOneTransaction(final.map(transactionCost));
  return [...transactionGroups(moves, (move) => move), ...(finalTogether ? [final] : final.map((write) => [write]))];
}

/** The survivor's changed fields: picked values, its gaps filled from the other, lists joined. */
function mergedFields(schema: RecordSchema, survivor: StoredRecord, other: StoredRecord, pick: Record<string, 'this' | 'other'>): Fields {
  const known = new Set(Object.keys(schema.fields.shape));
  const unknown = Object.keys(pick).filter((field) => !known.has(field));
  if (unknown.length > 0) throw new FieldValidationError(unknown.map((field) => ({ path: `pick.${field}`, message: 'is not a known field' })));
  const changed: Fields = {};
  for (const field of known) {
    const [mine, theirs] = [survivor[field], other[field]];
    const value =
      pick[field] === 'other' ? (theirs ?? null)
      : pick[field] === 'this' ? mine
      : Array.isArray(mine) && Array.isArray(theirs) ? [...new Set([...mine, ...theirs].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v))
      : (mine ?? theirs);
    if (JSON.stringify(value ?? null) !== JSON.stringify(mine ?? null)) changed[field] = value ?? null;
  }
  return changed;
}
