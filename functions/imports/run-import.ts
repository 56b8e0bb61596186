/**
 * Imports a CSV file of records of one type, streamed: its rows are read one by one with
 * backpressure (csv/csv-rows.ts: encoding and delimiter found from the bytes), so a file of
 * 1,000,000 rows never sits in memory. Each batch of rows is
 * read into fields through the column mapping, validated by the tenant's schema of the type
 * (custom fields included; users and related records named by name or id, cell-names.ts),
 * checked against existing records and the file's earlier rows, and
 * written. Bad rows are counted and the first ones kept with line and reason; good rows are
 * written regardless. After every batch the job item gets the counts, for polling.
 *
 * Writes: each row is a creation planned by the record model (record, history item, lookup
 * items), and rows go to the table in TransactWriteItems of up to 100 items, several at once.
 * A transaction rather than BatchWriteItem because a batch write is not atomic per item: a
 * crash or an unprocessed item could leave a record without its history, and no change may
 * lack its history. A transaction also keeps each creation conditional on the id being new.
 *
 * A re-run of the same file creates nothing twice: a row's id is derived from the tenant, the
 * type, its line and its cells (rowId), so the row imported before is found by id; and rows
 * whose e-mail, phone, domain or tax id a record has already are skipped as duplicates. Ids
 * so derived are not in time order (a ULID's first ten characters are time), so imported
 * records list in no particular order among themselves.
 *
 * A run can go on with a job (`options.job`): it skips the rows up to the job's checkpoint
 * (`resumeAt`, the last line of the last batch counted) and may stop after any batch
 * (`shouldPause`), so a long import runs in stretches and resumes after a crash (imports/handler.ts).
 */
import { createHash } from 'node:crypto';
import type { ImportJob } from '../contracts/imports.ts';
import { FieldValidationError, ItemTooLargeError, VersionConflictError } from '../records/errors.ts';
import { commit, madeByRequest, type Actor, type RecordWrite } from '../records/repository.ts';
import { planCreation } from '../records/records.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { duplicateKeys } from '../records/duplicate-keys.ts';
import type { RecordTypeSpec } from '../records/record-types.ts';
import { cellValue } from '../csv/cells.ts';
import { mapColumns, type ColumnMapping } from '../csv/columns.ts';
import { csvRows } from '../csv/csv-rows.ts';
import { unguardCell } from '../csv/formula-guard.ts';
import { newJob, recordBadRow, recordDuplicate, saveJob } from './import-job.ts';
import { KnownRecords, SAME_ROW } from './known-records.ts';
import { CellNames } from './cell-names.ts';
import type { ImportSource } from './import-source.ts';
import { inParallel } from '../in-parallel.ts';
import { snapshotAfterWrites } from '../views/type-snapshot.ts';

const BATCH_ROWS = 1000;
const TRANSACTION_ITEMS = 100;
const WRITERS = 8;

export interface ImportOptions {
  type: RecordTypeSpec;
  /** Header cell -> field key (null skips the column); other columns match fields by name. */
  mapping?: Record<string, string | null>;
  /** Read, validate and deduplicate everything, write nothing but the job. */
  dryRun?: boolean;
  /** Called with the job after every batch (the job item is saved then too). */
  onProgress?: (job: ImportJob) => void;
  /** Up to how many existing records to read into memory for deduplication (tests lower it). */
  preloadLimit?: number;
  /**
   * Go on with this job (an import of an uploaded file, new or interrupted): rows up to its
   * `resumeAt` line are counted already and are skipped. An error other than a refused file
   * leaves it `running` at its last checkpoint, for the caller to resume.
   */
  job?: ImportJob;
  /** Asked after every batch: true ends the run there, the job `running` at its checkpoint. */
  shouldPause?: () => boolean;
  /**
   * Whose records a cell may name by name (cell-names.ts): the importer's scope; the actor's own
   * when absent. The imports function acts for the job's creator without their scope, and passes it here.
   */
  scope?: Actor['visibleOwners'];
}

interface Row {
  line: number;
  cells: string[];
}

/** How the file's columns are read: the field of each, its header cell, and the names in user and relation cells. */
interface FileColumns {
  mapping: ColumnMapping;
  header: string[];
  names: CellNames;
}

export async function runImport(actor: Actor, source: ImportSource, options: ImportOptions): Promise<ImportJob> {
  const schema = await recordSchemaFor(actor.tenant, options.type);
  const job = options.job ?? newJob(actor, options.type.name, options.dryRun ?? false);
  // Line 1 is the header; rows up to resumeAt were written (or found bad) by an earlier stretch.
  const resumeAt = job.resumeAt ?? 1;
  job.status = 'running';
  delete job.failure;
  await saveJob(actor.tenant, job);
  const input = source.open();
  try {
    const known = await KnownRecords.load(actor, options.type.key, options.preloadLimit);
    const rows = csvRows(input);
    let columns: FileColumns | undefined;
    let width = 0;
    let batch: Row[] = [];
    let line = 0;
    // A job gone on with (a stretch): its first batch after the checkpoint may have been written,
    // wholly or in part, by a stretch that crashed before saving it; its rows found by id are this
    // job's own, ok rather than duplicates.
    let resumed = options.job !== undefined;
    for await (const cells of rows) {
      line++;
      if (!columns) {
        width = cells.length;
        const header = cells.map((cell) => cell.trim());
        const mapped = mapColumns(header, schema, options.mapping);
        columns = { mapping: mapped, header, names: await CellNames.load({ tenant: actor.tenant, visibleOwners: options.scope ?? actor.visibleOwners }, schema, mapped.fields) };
        job.ignoredColumns = mapped.ignored;
        job.columns = header.map((column, i) => ({ column, field: mapped.fields[i] ?? null }));
        continue;
      }
      if (line <= resumeAt) continue;
      if (cells.length === 1 && cells[0].trim() === '') continue; // a blank line
      batch.push({ line, cells });
      if (batch.length === BATCH_ROWS) {
        await importBatch(actor, schema, columns, width, batch, known, job, resumed);
        resumed = false;
        job.resumeAt = line;
        batch = [];
        await progress(actor, job, options);
        if (options.shouldPause?.()) return job;
      }
    }
    if (!columns) throw new FieldValidationError([{ path: 'file', message: 'has no header row' }]);
    await importBatch(actor, schema, columns, width, batch, known, job, resumed);
    job.resumeAt = line;
    job.status = 'done';
    if (!job.dryRun) await snapshotAfterWrites(actor.tenant, options.type.key, job.ok);
  } catch (err) {
    // A refused file fails for good; anything else fails a run that nobody resumes.
    if (!options.job || err instanceof FieldValidationError) {
      job.status = 'failed';
      job.failure = err instanceof FieldValidationError ? err.issues.map((issue) => `${issue.path === 'file' ? 'The file' : issue.path} ${issue.message}`).join('; ') : (err as Error).message;
      await saveJob(actor.tenant, job);
    }
    throw err;
  } finally {
    input.destroy();
  }
  await progress(actor, job, options);
  return job;
}

async function progress(actor: Actor, job: ImportJob, options: ImportOptions): Promise<void> {
  await saveJob(actor.tenant, job);
  options.onProgress?.(job);
}

async function importBatch(actor: Actor, schema: RecordSchema, columns: FileColumns, width: number, rows: Row[], known: KnownRecords, job: ImportJob, resumed: boolean): Promise<void> {
  job.rowsRead += rows.length;
  const at = new Date().toISOString();
  const parsed: Array<{ row: Row; id: string; fields: Record<string, unknown> }> = [];
  for (const row of rows) {
    if (row.cells.length !== width) {
      recordBadRow(job, row.line, `has ${row.cells.length} cells, the header ${width}`);
      continue;
    }
    const read = fieldsOf(schema, columns, row.cells);
    if ('refused' in read) {
      recordBadRow(job, row.line, read.refused.join('; '));
      continue;
    }
    const result = schema.create.safeParse(read.fields);
    if (result.success) parsed.push({ row, id: rowId(actor.tenant, schema.type.key, row), fields: result.data });
    else recordBadRow(job, row.line, result.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; '));
  }
  const candidates = parsed.map((p) => ({ id: p.id, keys: duplicateKeys(schema.type.key, p.fields) }));
  const existing = await known.existing(candidates);
  const ours = resumed && !job.dryRun ? await createdByJob(actor, schema, job, [...existing.values()].filter((match) => match.match === SAME_ROW).map((match) => match.id)) : new Set<string>();
  const writes: Array<{ line: number; write: RecordWrite }> = [];
  for (const [i, { row, id, fields }] of parsed.entries()) {
    if (ours.has(id)) {
      job.ok++;
      known.add(candidates[i]);
      continue;
    }
    // Rows of this batch are not in `existing`: an earlier one may have taken the key just now.
    const match = existing.get(id) ?? known.remembered(candidates[i]);
    if (match) {
      recordDuplicate(job, row.line, match.id, match.match);
      continue;
    }
    try {
      writes.push({ line: row.line, write: await planCreation(actor, schema, fields, at, { id, request: jobRequest(job) }) });
      known.add(candidates[i]); // a later row of the file with the same key is a duplicate of this one
    } catch (err) {
      if (err instanceof FieldValidationError || err instanceof ItemTooLargeError) recordBadRow(job, row.line, err.message);
      else throw err;
    }
  }
  if (job.dryRun) {
    job.ok += writes.length;
    return;
  }
  await inParallel(transactions(writes), WRITERS, (group) => writeGroup(actor, group, job));
}

/** The idempotency key of the job's creations, kept in their history (older imports' records have none). */
const jobRequest = (job: ImportJob) => `import:${job.id}`;

/** Of the records found by id, those this job created (in a stretch that crashed before its checkpoint). */
async function createdByJob(actor: Actor, schema: RecordSchema, job: ImportJob, ids: string[]): Promise<Set<string>> {
  const ours = new Set<string>();
  await inParallel(ids, WRITERS, async (id) => {
    if (await madeByRequest(actor.tenant, schema.type.key, id, 1, jobRequest(job))) ours.add(id);
  });
  return ours;
}

/**
 * The row's cells as the fields they map to; empty cells are left out (a field not given). A
 * name that names no one (or several) refuses the row, each such cell named by its column.
 */
function fieldsOf(schema: RecordSchema, { mapping, header, names }: FileColumns, cells: string[]): { fields: Record<string, unknown> } | { refused: string[] } {
  const fields: Record<string, unknown> = {};
  const refused: string[] = [];
  mapping.fields.forEach((field, i) => {
    const text = unguardCell(cells[i].trim());
    if (!field || text === '') return;
    const named = names.read(i, text);
    if (named && 'refused' in named) refused.push(`${header[i]}: ${named.refused}`);
    else fields[field] = named ? named.value : cellValue(schema.fields.shape[field], text);
  });
  return refused.length ? { refused } : { fields };
}

/**
 * A ULID-shaped id from what identifies the row: the same row of the same file gets the same
 * id on every run. The first character stays within 0-7, as a ULID's must.
 */
export function rowId(tenant: string, type: string, row: Row): string {
  const digest = createHash('sha256').update(JSON.stringify([tenant, type, row.line, row.cells])).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return Array.from({ length: 26 }, (_, i) => alphabet[i === 0 ? digest[0] % 8 : digest[i] % 32]).join('');
}

function transactions(writes: Array<{ line: number; write: RecordWrite }>) {
  const groups: Array<typeof writes> = [[]];
  let items = 0;
  for (const entry of writes) {
    if (items + entry.write.items.length > TRANSACTION_ITEMS) {
      groups.push([]);
      items = 0;
    }
    groups.at(-1)!.push(entry);
    items += entry.write.items.length;
  }
  return groups.filter((group) => group.length > 0);
}

/**
 * One transaction for the group; if a creation's condition fails (the same row is being
 * imported by a run at the same time), the rows go one by one and that one is a duplicate.
 */
async function writeGroup(actor: Actor, group: Array<{ line: number; write: RecordWrite }>, job: ImportJob): Promise<void> {
  try {
    await commit(actor, group.map((entry) => entry.write));
    job.ok += group.length;
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    for (const { line, write } of group) {
      try {
        await commit(actor, [write]);
        job.ok++;
      } catch (single) {
        if (!(single instanceof VersionConflictError)) throw single;
        recordDuplicate(job, line, write.id, 'the same row, imported at the same time');
      }
    }
  }
}
