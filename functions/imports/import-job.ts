/**
 * An import job: one item per import (`pk = T#<tenant>#IMPORT#<id>`, `sk = JOB`), rewritten
 * after every batch with the counts so far, so a client polls `GET /api/imports/{id}` for progress.
 * Only the first bad rows and duplicates are kept, so the item stays far below 400 KB however
 * large the file.
 *
 * A job is its starter's: its errors and its error file quote the file's cells, which may never have become records
 * anyone else may see. So a caller reads a job only as `jobAsSeenBy` shows it: their own, or any
 * when they administer the tenant; to anyone else it does not exist. The records a job's rows
 * duplicate are named only when the reader may see them (`{line, match, hidden: true}` else).
 */
import { ulid } from 'ulid';
import { callStore, conditionFailed, getItem, putItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { StoreError } from '../store/store-error.ts';
import { visibleRecords } from '../records/repository.ts';
import type { Actor, Writer } from '../access/actor.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import type { ImportJob, ImportRowError } from '../contracts/imports.ts';
import { ULID } from '../contracts/values.ts';
import { DomainError } from '../errors/domain-error.ts';

export const KEPT_ROWS = 200;

export class ImportNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly id: string) {
    super(`import ${id} does not exist`);
    this.name = 'ImportNotFoundError';
  }
}

const jobKey = (tenant: string, id: string) => ({ pk: ITEM_KINDS.importJob.pk(tenant, id), sk: 'JOB' });

/** A job about to start; `of` names what a job keeps to be resumed (its id, upload, mapping, settings). */
export function newJob(actor: Writer, type: string, dryRun: boolean, of: Partial<Pick<ImportJob, 'id' | 'upload' | 'mapping' | 'settings'>> = {}): ImportJob {
  const at = new Date().toISOString();
  return { id: ulid(), type, status: 'running', dryRun, rowsRead: 0, ok: 0, partial: 0, updated: 0, unchanged: 0, conflicts: 0, bad: 0, duplicates: 0, errors: [], duplicateRows: [], ignoredColumns: [], startedAt: at, updatedAt: at, createdBy: actor.sub, ...of };
}

/**
 * Saves a job that must not exist yet: true if this call created it, false if a job with its id
 * is there already (a retried request, which must not start the import twice).
 */
export async function createJob(tenant: string, job: ImportJob): Promise<boolean> {
  try {
    await putItem({ Item: { ...jobKey(tenant, job.id), ...job }, ConditionExpression: 'attribute_not_exists(pk)' });
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw new StoreError('could not create the import job', { cause: err });
  }
}

export async function saveJob(tenant: string, job: ImportJob): Promise<void> {
  job.updatedAt = new Date().toISOString();
  await callStore('save the import job', () => putItem({ Item: { ...jobKey(tenant, job.id), ...job } }));
}

/** The job as stored, whoever started it: for the imports function and the upload's start; a caller is answered `jobAsSeenBy`. */
export async function readJob(tenant: string, id: string): Promise<ImportJob> {
  // Job ids are ULIDs: another names no job, and one longer than a key may be would fail the read itself.
  if (!ULID.test(id)) throw new ImportNotFoundError(id);
  const result = await callStore('read the import job', () => getItem({ Key: jobKey(tenant, id), ConsistentRead: true }));
  if (!result.Item) throw new ImportNotFoundError(id);
  const { pk, sk, ...job } = result.Item;
  return job as ImportJob;
}

/** Who reads a job: the caller, and whether they administer the tenant. */
export interface JobReader extends Actor {
  role?: { administer: boolean };
}

/** The job as `reader` may see it (see above); not found when it is not theirs to see. */
export async function jobAsSeenBy(reader: JobReader, job: ImportJob): Promise<ImportJob> {
  if (job.createdBy !== reader.sub && !reader.role?.administer) throw new ImportNotFoundError(job.id);
  const type = recordTypeNamed(job.type);
  const named = job.duplicateRows.flatMap((row) => (row.id ? [row.id] : []));
  if (!type || named.length === 0) return job;
  const seen = new Set((await visibleRecords(reader, named.map((id) => ({ type: type.key, id })))).map((record) => record.id));
  return { ...job, duplicateRows: job.duplicateRows.map((row) => (!row.id || seen.has(row.id) ? row : { line: row.line, match: row.match, hidden: true as const })) };
}

/** The job with `id` as `reader` may see it; ImportNotFoundError (404) when it is not theirs to see. */
export async function visibleJob(reader: JobReader, id: string): Promise<ImportJob> {
  return jobAsSeenBy(reader, await readJob(reader.tenant, id));
}

/** A row's cells not taken as they were: the column and why. */
export interface CellReason {
  column: string;
  reason: string;
}

/** Characters of a row's reasons kept in the job (the error file has them whole): 200 rows of them stay far below 400 KB. */
const KEPT_REASON = 300;
const KEPT_CELL_REASONS = 600;

/**
 * Counts a row not imported as it was: refused (`bad`), in conflict with a change since its
 * file was exported (`conflicts`), or imported with cells left empty (`partial`); the first
 * ones are kept with their cells' reasons (shortened: about 1 KB a row at most).
 */
export function recordRowError(job: ImportJob, line: number, outcome: 'refused' | 'conflict' | 'partial', cells: CellReason[]): ImportRowError {
  if (outcome === 'refused') job.bad++;
  else if (outcome === 'conflict') job.conflicts = (job.conflicts ?? 0) + 1;
  else job.partial = (job.partial ?? 0) + 1;
  const reason = cells.map((cell) => cell.reason).join('; ');
  const entry: ImportRowError = { line, reason, imported: outcome === 'partial', cells };
  if (job.errors.length < KEPT_ROWS) {
    let room = KEPT_CELL_REASONS;
    const kept: CellReason[] = [];
    for (const cell of cells) {
      if (room <= 0) break;
      const shown = { column: shorten(cell.column, 100), reason: shorten(cell.reason, Math.min(room, KEPT_REASON)) };
      room -= shown.reason.length;
      kept.push(shown);
    }
    job.errors.push({ ...entry, reason: shorten(reason, KEPT_REASON), cells: kept });
  }
  return entry;
}

const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

export function recordDuplicate(job: ImportJob, line: number, id: string, match: string): void {
  job.duplicates++;
  if (job.duplicateRows.length < KEPT_ROWS) job.duplicateRows.push({ line, id, match });
}
