/**
 * Applies a paste of cell changes: grouped by record, each record's valid cells in one
 * transaction (record + history), so a record never holds half of a row's changes; every cell
 * gets its own result (ok / conflict with the current record / invalid with the reason / later:
 * its record was past the request's work budget, records/work-budget.ts).
 *
 * A retry cannot apply a change twice: each cell names the version it was based on, and
 * applying bumps the version, so the retry finds the record past it. With an idempotency key
 * the history item of each write carries the key, and a cell whose record moved past its
 * version by this very request is answered `ok` again rather than `conflict`.
 */
import type { z } from 'zod';
import type { CellAnswer, CellChange, CellOutcome } from '../contracts/bulk.ts';
import { ItemTooLargeError, RecordNotFoundError, VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { commit, findRecord, madeByRequest } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { planChange } from '../records/records.ts';
import { present, recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { recordTypeNamed, type Fields } from '../records/record-types.ts';
import { bytesRead, inParallelWithinBudget } from '../records/work-budget.ts';
import { assertActiveUsers } from '../records/user-fields.ts';

/** Records written at once; the table takes many small transactions in parallel well. */
const CONCURRENCY = 16;

interface Cell {
  index: number;
  change: CellChange;
}

export async function applyCellChanges(actor: Actor, changes: CellChange[], idempotencyKey?: string): Promise<CellAnswer[]> {
  const results: CellAnswer[] = new Array(changes.length);
  const schemas = new Map<string, RecordSchema>();
  for (const name of new Set(changes.map((c) => c.type))) {
    const type = recordTypeNamed(name);
    if (type) schemas.set(name, await recordSchemaFor(actor.tenant, type));
  }
  const groups = new Map<string, Cell[]>();
  changes.forEach((change, index) => {
    if (!schemas.has(change.type)) return void (results[index] = invalid(`there is no record type ${change.type}`));
    const key = `${change.type}#${change.id}`;
    groups.set(key, [...(groups.get(key) ?? []), { index, change }]);
  });
  // Each record read as its turn comes (not all first: 1,000 of ~350 KB are 350 MB), within the request's work budget.
  const left = await inParallelWithinBudget([...groups.values()], CONCURRENCY, async (cells) => {
    const schema = schemas.get(cells[0].change.type)!;
    const found = await findRecord(actor, schema.type.key, cells[0].change.id);
    const outcome = await applyToRecord(actor, schema, found?.deletedAt ? undefined : found, cells, idempotencyKey);
    for (const [index, result] of outcome) results[index] = result;
    return bytesRead(found);
  });
  for (const cells of left) for (const { index } of cells) results[index] = { status: 'later' };
  return results;
}

async function applyToRecord(actor: Actor, schema: RecordSchema, current: StoredRecord | undefined, cells: Cell[], key: string | undefined): Promise<Array<[number, CellOutcome]>> {
  const results: Array<[number, CellOutcome]> = [];
  // A record outside the actor's scope is, to them, one that does not exist (findRecord does not find it).
  if (!current) return cells.map(({ index, change }) => [index, invalid(`no ${change.type} ${change.id} exists`)]);
  const stale = cells.filter(({ change }) => change.version !== current.version);
  for (const { index, change } of stale) results.push([index, await staleResult(actor, schema, current, change, key)]);

  let pending = cells.filter(({ change }) => change.version === current.version);
  const fields: Fields = {};
  for (const cell of pending) {
    const refused = parseCell(schema, cell.change, fields);
    if (refused) results.push([cell.index, invalid(refused)]);
  }
  pending = pending.filter((cell) => !results.some(([index]) => index === cell.index));
  // A relation to nothing or an oversize value fails the record's write: drop the cells named and try the rest.
  while (pending.length > 0) {
    const changed = Object.fromEntries(pending.map(({ change }) => [change.field, fields[change.field]]));
    try {
      // A record handed to someone (the grid's owner column): an active user, as PATCH .../owner checks.
      if (typeof changed.owner === 'string') await assertActiveUsers(actor.tenant, [{ path: 'owner', sub: changed.owner }]);
      const write = await planChange(actor, schema, current, current.version, changed, new Date().toISOString(), { request: key, source: 'bulk' });
      await commit(actor, [write]);
      return [...results, ...pending.map(({ index }): [number, CellOutcome] => [index, { status: 'ok', version: write.record.version }])];
    } catch (err) {
      const blamed = blame(err);
      if (err instanceof VersionConflictError) {
        return [...results, ...pending.map(({ index }): [number, CellOutcome] => [index, { status: 'conflict', version: err.current.version, current: present(err.current, schema) }])];
      }
      if (err instanceof RecordNotFoundError) return [...results, ...pending.map(({ index, change }): [number, CellOutcome] => [index, invalid(`no ${change.type} ${change.id} exists`)])];
      if (!blamed) throw err;
      const refused = pending.filter(({ change }) => blamed.has(change.field));
      // Refused for what none of its cells sets (a deal's stage entered without a field the stage
      // requires, or lost without a reason): every cell of the record, with why.
      if (refused.length === 0) return [...results, ...pending.map(({ index }): [number, CellOutcome] => [index, invalid([...blamed.values()].join('; '))])];
      for (const { index, change } of refused) results.push([index, invalid(blamed.get(change.field)!)]);
      pending = pending.filter((cell) => !refused.includes(cell));
    }
  }
  return results;
}

/** Parses the cell's value into `fields`; the reason when it is refused. */
function parseCell(schema: RecordSchema, change: CellChange, fields: Fields): string | undefined {
  if (change.field === 'owner') {
    // Not a field of the type but the record's owner: always someone, never cleared.
    if (typeof change.value !== 'string' || change.value === '') return 'owner: a record always has an owner (a user of this tenant)';
    fields.owner = change.value;
    return undefined;
  }
  if (!Object.hasOwn(schema.fields.shape, change.field)) return `${change.field} is not a known field of ${change.type}`;
  if (change.value === undefined) return 'value is missing (null clears the field)';
  // The field's own schema, as in a PATCH: null clears it unless it is required.
  const parsed = (schema.fields.shape[change.field] as z.ZodType).safeParse(change.value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => [change.field, ...issue.path.map(String)].join('.') + `: ${issue.message}`).join('; ');
  }
  fields[change.field] = parsed.data;
  return undefined;
}

/** Behind the record's version: already applied by this request (a retry), or a conflict. */
async function staleResult(actor: Actor, schema: RecordSchema, current: StoredRecord, change: CellChange, key: string | undefined): Promise<CellOutcome> {
  if (key && change.version < current.version && (await madeByRequest(actor.tenant, schema.type.key, current.id, change.version + 1, key))) {
    return { status: 'ok', version: change.version + 1 };
  }
  return { status: 'conflict', version: current.version, current: present(current, schema) };
}

/** The cells (by field) a refused write names, with the reason for each. */
function blame(err: unknown): Map<string, string> | undefined {
  if (err instanceof FieldValidationError) return new Map(err.issues.map((issue) => [issue.path.split('.')[0], `${issue.path}: ${issue.message}`]));
  if (err instanceof ItemTooLargeError) return new Map(err.fields.map((field) => [field, `${field}: makes the record larger than ${err.limit} bytes`]));
  return undefined;
}

const invalid = (reason: string): CellOutcome => ({ status: 'invalid', reason });
