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
export function newJob(actor: Actor, type: string, dryRun: boolean, of: Partial<Pick<ImportJob, 'id' | 'upload' | 'mapping'>> = {}): ImportJob {
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

export async function readJob(tenant: string, id: string): Promise<ImportJob> {
  // Job ids are ULIDs: another names no job, and one longer than a key may be would fail the read itself.
  if (!ULID.test(id)) throw new ImportNotFoundError(id);
  const result = await callStore('read the import job', () => documentClient.send(new GetCommand({ TableName: tableName(), Key: jobKey(tenant, id), ConsistentRead: true })));
  if (!result.Item) throw new ImportNotFoundError(id);
  const { pk, sk, ...job } = result.Item;
  return job as ImportJob;
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
