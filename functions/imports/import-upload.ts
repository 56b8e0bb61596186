/**
 * CSV files of any size, through the files bucket: the browser asks for an upload (a presigned
 * PUT of one object, `imports/<tenant>/<upload id>.csv`), sends the file straight to S3, then
 * starts its import by the upload id. The import runs after the answer, in the csv-import
 * workflow (handler.ts), stretch after stretch; the client polls the job as for any import.
 *
 * The object's key is built from the caller's tenant, so an upload id of another tenant names
 * nothing. An upload is imported once: the job's id is the upload's, so a repeated start answers
 * the job that exists (a dry run gets a job of its own each time).
 */
import { ulid } from 'ulid';
import { FILES_BUCKET } from '../../infra/app-resources.ts';
import { MAX_UPLOAD_BYTES, type ImportJob, type ImportSettings, type ImportUpload } from '../contracts/imports.ts';
import { objectSize, objectStream, presignedUpload, PRESIGNED_SECONDS } from '../files/files-bucket.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import type { RecordTypeSpec } from '../records/record-types.ts';
import type { Actor } from '../access/actor.ts';
import { mapColumns, type ColumnMapping } from '../csv/columns.ts';
import { headerOfBytes } from '../csv/csv-rows.ts';
import { startWorkflow } from '../workflows/start-workflow.ts';
import { createJob, newJob, readJob } from './import-job.ts';
import { streamSource, type ImportSource } from './import-source.ts';

export const IMPORT_WORKFLOW = 'csv-import';
/** A header row longer than this is not a spreadsheet's. */
const HEADER_BYTES = 64 * 1024;
const CSV = 'text/csv';

/** What the csv-import workflow hands the imports function: the job to go on with. */
export interface ImportStretch {
  tenant: string;
  job: string;
  /** Set by the function: whether the job is finished (done or failed). */
  done?: boolean;
}

export const uploadKey = (tenant: string, upload: string) => `${FILES_BUCKET.prefixes.imports}${tenant}/${upload}.csv`;

/** A presigned PUT for a new upload id; the file's name and size were checked by the contract (ImportUploadBody). */
export async function createUpload(actor: Actor): Promise<ImportUpload> {
  const upload = ulid();
  const url = await presignedUpload(uploadKey(actor.tenant, upload), CSV);
  return { upload, url, method: 'PUT', headers: { 'content-type': CSV }, expiresAt: new Date(Date.now() + PRESIGNED_SECONDS * 1000).toISOString() };
}

/** The uploaded file as an import source, read from the bucket as a stream. */
export const uploadSource = (tenant: string, upload: string): ImportSource => streamSource(() => objectStream(uploadKey(tenant, upload)));

/**
 * Starts the import of an uploaded file and answers its job at once (`started: false` when the
 * job existed: this upload's import was started before). The file and the mapping are checked
 * first, so a file that is missing, too large, or whose columns do not map is refused (400)
 * before any work is queued.
 */
export async function startUploadImport(
  actor: Actor,
  type: RecordTypeSpec,
  options: {
    upload: string;
    mapping?: Record<string, string | null>;
    dryRun?: boolean;
    settings: ImportSettings;
    checkColumns?: (mapping: ColumnMapping, schema: RecordSchema) => void;
    /** The job's id: by default the upload's, and a new one for each dry run; a body kept as an upload (body-import.ts) names its own. */
    job?: string;
  },
): Promise<{ job: ImportJob; started: boolean }> {
  const key = uploadKey(actor.tenant, options.upload);
  const size = await objectSize(key);
  if (size > MAX_UPLOAD_BYTES) throw new FieldValidationError([{ path: 'upload', message: `is ${size} bytes, more than the ${MAX_UPLOAD_BYTES} an import reads` }]);
  const schema = await recordSchemaFor(actor.tenant, type);
  options.checkColumns?.(mapColumns(await headerRow(key), schema, options.mapping, { update: options.settings.mode === 'update' }), schema);

  const dryRun = options.dryRun ?? false;
  const fresh = newJob(actor, type.name, dryRun, { id: options.job ?? (dryRun ? ulid() : options.upload), upload: options.upload, mapping: options.mapping, settings: options.settings });
  const created = await createJob(actor.tenant, fresh);
  const job = created ? fresh : await readJob(actor.tenant, fresh.id);
  // Also for a job that exists and still runs: had the first start been cut short after saving
  // the job, this starts it; otherwise it is the same execution, started once.
  if (job.status === 'running') await startWorkflow(IMPORT_WORKFLOW, job.id, { tenant: actor.tenant, job: job.id } satisfies ImportStretch);
  return { job, started: created };
}

/** The file's first row, read from its first bytes (a Range request, not the whole file), as the import will read it. */
async function headerRow(key: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of objectStream(key, { start: 0, end: HEADER_BYTES - 1 })) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  const header = headerOfBytes(bytes);
  if (header.length === 0 || (header.length === 1 && header[0] === '')) throw new FieldValidationError([{ path: 'file', message: 'has no header row' }]);
  if (!bytes.includes(0x0a) && !bytes.includes(0x0d) && bytes.length >= HEADER_BYTES) throw new FieldValidationError([{ path: 'file', message: `has a header row longer than ${HEADER_BYTES} bytes` }]);
  return header;
}
