/**
 * The imports function: one stretch of the import of an uploaded file, invoked by the csv-import
 * workflow (workflows/csv-import.asl.json) until the job is finished. A stretch goes on from the
 * job's checkpoint (the last line counted) and stops after the batch that ends past its time
 * budget, well before Lambda's timeout, so a 1,000,000-row file (half an hour) is a few stretches.
 * A stretch that crashes is retried by the workflow from the checkpoint: rows of the interrupted
 * batch that were written are found again by their derived ids and are not created twice.
 * When the workflow gives up, it invokes the function once more with `failed`, which ends the job.
 */
import type { Context } from 'aws-lambda';
import { RECORD_TYPES } from '../records/record-types.ts';
import { principalOf } from '../access/permissions.ts';
import { readJob, saveJob } from './import-job.ts';
import { uploadSource, type ImportStretch } from './import-upload.ts';
import { runImport } from './run-import.ts';

/** Time kept back from the function's timeout: a batch of 1,000 rows takes a few seconds. */
const MARGIN_MS = 60_000;
/** Caps a stretch, in seconds (tests set 0: one batch a stretch, so the workflow's loop runs). */
const STRETCH_LIMIT_VARIABLE = 'IMPORT_STRETCH_SECONDS';
/** Rows a batch (tests lower it: a file of a few hundred rows is then several stretches). */
const BATCH_ROWS_VARIABLE = 'IMPORT_BATCH_ROWS';

export async function handler(event: ImportStretch & { failed?: { Error?: string; Cause?: string } }, context: Context): Promise<ImportStretch> {
  const job = await readJob(event.tenant, event.job);
  const finished = { tenant: event.tenant, job: job.id, done: true };
  if (event.failed) {
    // A refused file was marked failed by the import itself, with the reason in a person's words.
    if (job.status === 'failed') return finished;
    job.status = 'failed';
    job.failure = `${event.failed.Error ?? 'Error'}: ${failureMessage(event.failed.Cause)}`;
    await saveJob(event.tenant, job);
    return finished;
  }
  if (job.status !== 'running' || !job.upload) return finished;
  const type = RECORD_TYPES.find((t) => t.name === job.type);
  if (!type) throw new Error(`import ${job.id} is of an unknown record type ${job.type}`);

  const remaining = context.getRemainingTimeInMillis();
  const limit = Number(process.env[STRETCH_LIMIT_VARIABLE] ?? Infinity) * 1000;
  const stopAt = Date.now() + Math.min(remaining - Math.min(MARGIN_MS, remaining / 3), limit);
  // The job's creator acts, with their role's scope as of now: names and ids in the file name only
  // records they may see, as in a request; duplicates are found among all the tenant's records.
  const actor = await principalOf({ tenant: event.tenant, sub: job.createdBy, groups: [] });
  // The job keeps its mapping and settings: every stretch reads the file as the first did.
  const batchRows = process.env[BATCH_ROWS_VARIABLE] ? Number(process.env[BATCH_ROWS_VARIABLE]) : undefined;
  const result = await runImport(actor, uploadSource(event.tenant, job.upload), { type, mapping: job.mapping, dryRun: job.dryRun, job, batchRows, shouldPause: () => Date.now() > stopAt });
  return { tenant: event.tenant, job: job.id, done: result.status !== 'running' };
}

/** Step Functions' Cause of a Lambda error is JSON with the errorMessage. */
function failureMessage(cause: string | undefined): string {
  try {
    return (JSON.parse(cause ?? '') as { errorMessage?: string }).errorMessage ?? String(cause);
  } catch {
    return String(cause ?? 'the import stopped');
  }
}
