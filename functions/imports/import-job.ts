/**
 * An import job: one item per import (`pk = T#<tenant>#IMPORT#<id>`, `sk = JOB`), rewritten
 * after every batch with the counts so far, so a client polls `GET /api/imports/{id}` for progress.
 * Only the first bad rows and duplicates are kept, so the item stays far below 400 KB however
 * large the file.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient, tableName } from '../table.ts';
import { callStore, type Actor } from '../records/repository.ts';
import type { ImportJob, ImportRowError } from '../contracts/imports.ts';
import { RecordStoreError } from '../records/errors.ts';

export const KEPT_ROWS = 200;

export class ImportNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`import ${id} does not exist`);
    this.name = 'ImportNotFoundError';
  }
}

const jobKey = (tenant: string, id: string) => ({ pk: `T#${tenant}#IMPORT#${id}`, sk: 'JOB' });

/** A job about to start; `of` names what a job keeps to be resumed (its id, upload, mapping, settings). */
export function newJob(actor: Actor, type: string, dryRun: boolean, of: Partial<Pick<ImportJob, 'id' | 'upload' | 'mapping' | 'settings'>> = {}): ImportJob {
  const at = new Date().toISOString();
  return { id: ulid(), type, status: 'running', dryRun, rowsRead: 0, ok: 0, partial: 0, updated: 0, unchanged: 0, conflicts: 0, bad: 0, duplicates: 0, errors: [], duplicateRows: [], ignoredColumns: [], startedAt: at, updatedAt: at, createdBy: actor.sub, ...of };
}

/**
 * Saves a job that must not exist yet: true if this call created it, false if a job with its id
 * is there already (a retried request, which must not start the import twice).
 */
export async function createJob(tenant: string, job: ImportJob): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand({ TableName: tableName(), Item: { ...jobKey(tenant, job.id), ...job }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw new RecordStoreError('could not create the import job', { cause: err });
  }
}

export async function saveJob(tenant: string, job: ImportJob): Promise<void> {
  job.updatedAt = new Date().toISOString();
  await callStore('save the import job', () => documentClient.send(new PutCommand({ TableName: tableName(), Item: { ...jobKey(tenant, job.id), ...job } })));
}

export async function readJob(tenant: string, id: string): Promise<ImportJob> {
  const result = await callStore('read the import job', () => documentClient.send(new GetCommand({ TableName: tableName(), Key: jobKey(tenant, id), ConsistentRead: true })));
  if (!result.Item) throw new ImportNotFoundError(id);
  const { pk, sk, ...job } = result.Item;
  return job as ImportJob;
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

/** Counts a bad row, keeping the first ones with their reason. */
export function recordBadRow(job: ImportJob, line: number, reason: string): ImportRowError {
  return recordRowError(job, line, 'refused', [{ column: '', reason }]);
}

const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

export function recordDuplicate(job: ImportJob, line: number, id: string, match: string): void {
  job.duplicates++;
  if (job.duplicateRows.length < KEPT_ROWS) job.duplicateRows.push({ line, id, match });
}
