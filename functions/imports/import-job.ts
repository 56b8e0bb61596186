/**
 * An import job: one item per import (`pk = T#<tenant>#IMPORT#<id>`, `sk = JOB`), rewritten
 * after every batch with the counts so far, so a client polls `GET /api/imports/{id}` for progress.
 * Only the first bad rows and duplicates are kept, so the item stays far below 400 KB however
 * large the file.
 *
 * A job is its starter's: its errors quote the file's cells, which may never have become records
 * anyone else may see. So a caller reads a job only as `jobAsSeenBy` shows it: their own, or any
 * when they administer the tenant; to anyone else it does not exist. The records a job's rows
 * duplicate are named only when the reader may see them (`{line, match, hidden: true}` else).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient, tableName } from '../table.ts';
import { callStore, visibleRecords, type Actor, type Writer } from '../records/repository.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import type { ImportJob } from '../contracts/imports.ts';
import { ULID } from '../contracts/values.ts';
import { RecordStoreError } from '../records/errors.ts';

export const KEPT_ROWS = 200;

export class ImportNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`import ${id} does not exist`);
    this.name = 'ImportNotFoundError';
  }
}

const jobKey = (tenant: string, id: string) => ({ pk: `T#${tenant}#IMPORT#${id}`, sk: 'JOB' });

/** A job about to start; `of` names what a job of an uploaded file keeps to be resumed (its id, upload, mapping). */
export function newJob(actor: Writer, type: string, dryRun: boolean, of: Partial<Pick<ImportJob, 'id' | 'upload' | 'mapping'>> = {}): ImportJob {
  const at = new Date().toISOString();
  return { id: ulid(), type, status: 'running', dryRun, rowsRead: 0, ok: 0, bad: 0, duplicates: 0, errors: [], duplicateRows: [], ignoredColumns: [], startedAt: at, updatedAt: at, createdBy: actor.sub, ...of };
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

/** The job as stored, whoever started it: for the imports function and the upload's start; a caller is answered `jobAsSeenBy`. */
export async function readJob(tenant: string, id: string): Promise<ImportJob> {
  // Job ids are ULIDs: another names no job, and one longer than a key may be would fail the read itself.
  if (!ULID.test(id)) throw new ImportNotFoundError(id);
  const result = await callStore('read the import job', () => documentClient.send(new GetCommand({ TableName: tableName(), Key: jobKey(tenant, id), ConsistentRead: true })));
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

/** The job with `id` as `reader` may see it. */
export async function visibleJob(reader: JobReader, id: string): Promise<ImportJob> {
  return jobAsSeenBy(reader, await readJob(reader.tenant, id));
}

/** Counts a bad row, keeping the first ones with their reason. */
export function recordBadRow(job: ImportJob, line: number, reason: string): void {
  job.bad++;
  if (job.errors.length < KEPT_ROWS) job.errors.push({ line, reason: reason.length > 300 ? `${reason.slice(0, 300)}…` : reason });
}

export function recordDuplicate(job: ImportJob, line: number, id: string, match: string): void {
  job.duplicates++;
  if (job.duplicateRows.length < KEPT_ROWS) job.duplicateRows.push({ line, id, match });
}
