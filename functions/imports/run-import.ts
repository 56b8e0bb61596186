/**
 * Imports a CSV file of records of one type, streamed: its rows are read one by one with
 * backpressure (csv/csv-rows.ts: encoding and delimiter found from the bytes), so a file of
 * 1,000,000 rows never sits in memory. Each batch of rows is read into fields through the column
 * mapping, cell by cell (row-reading.ts: a cell that cannot be read is left empty and named,
 * in plain words; users and related records named by name or id, cell-names.ts), checked
 * against existing records and the file's earlier rows, and written. A row is refused only when
 * it cannot be written without the cells left out (a required field); every row not imported as
 * it was is counted, the first ones kept with line and reasons, and kept for the error file
 * (error-rows.ts). After every batch the job item gets the counts, for polling.
 *
 * Two modes (contracts/imports.ts `ImportSettings`): `create` makes a record of every row;
 * `update` changes the record a row names (by its Id, else by e-mail, domain...: record-targets.ts)
 * at the version its file says, as the grid does: a record changed since is a conflict, never
 * overwritten; each change with its history. Rows naming no record are created.
 *
 * Writes: each row is a creation or a change planned by the record model (record, history
 * item, derived items), and rows go to the table in TransactWriteItems of up to 100 items,
 * several at once. A transaction rather than BatchWriteItem because a batch write is not atomic
 * per item: a crash or an unprocessed item could leave a record without its history, and no
 * change may lack its history. A transaction also keeps each write conditional (a creation on
 * the id being new, a change on the version read).
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
import type { CountryCode } from 'libphonenumber-js';
import type { ImportJob, ImportSettings } from '../contracts/imports.ts';
import { plainCellReason, plainIssue } from '../contracts/plain-words.ts';
import { ItemTooLargeError, RecordNotFoundError, VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { commit, isMeta, madeByRequest, sameValue, type RecordWrite } from '../records/repository.ts';
import { transactionGroups } from '../records/transaction-groups.ts';
import type { Actor } from '../access/actor.ts';
import { planChange, planCreation } from '../records/records.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import { duplicateKeys } from '../records/duplicate-keys.ts';
import { recordTypeWithKey, type RecordTypeSpec } from '../records/record-types.ts';
import { mapColumns, type ColumnMapping } from '../csv/columns.ts';
import { fieldLabel } from '../contracts/field-labels.ts';
import { csvRows } from '../csv/csv-rows.ts';
import { holdsList, type CellReading } from '../contracts/cell-text.ts';
import { newJob, recordDuplicate, recordRowError, saveJob, type CellReason } from './import-job.ts';
import { KnownRecords, SAME_ROW } from './known-records.ts';
import { CellNames } from './cell-names.ts';
import type { ImportSource } from './import-source.ts';
import { readRow, type FileColumns, type RowRead } from './row-reading.ts';
import { MissingRecords } from './missing-records.ts';
import { targetsOf, type Target } from './record-targets.ts';
import { keepErrorRows, type ErrorRow } from './error-rows.ts';
import { DEFAULT_IMPORT_SETTINGS } from './import-settings.ts';
import { derivedId } from './derived-id.ts';
import { inParallel } from '../in-parallel.ts';
import { snapshotAfterWrites } from '../views/type-snapshot.ts';

/** Rows a batch reads, checks and writes, and after which the job is saved (its checkpoint). */
const BATCH_ROWS = 1000;
const WRITERS = 8;

export interface ImportOptions {
  type: RecordTypeSpec;
  /** Header cell -> field key (null skips the column); other columns match fields by name. */
  mapping?: Record<string, string | null>;
  /** Read, validate and deduplicate everything, write nothing but the job. */
  dryRun?: boolean;
  /** How to read and write (import-settings.ts#importSettings); a job gone on with keeps its own. */
  settings?: ImportSettings;
  /** Checks the file's columns before any row is read (the importer's rights: import-settings.ts#assertMayImport). */
  checkColumns?: (mapping: ColumnMapping, schema: RecordSchema) => void;
  /** Called with the job after every batch (the job item is saved then too). */
  onProgress?: (job: ImportJob) => void;
  /** Up to how many existing records to read into memory for deduplication (tests lower it). */
  preloadLimit?: number;
  /** Rows a batch (and so between checkpoints): BATCH_ROWS (tests lower it, to see batches of a small file). */
  batchRows?: number;
  /**
   * Go on with this job (an import of an uploaded file, new or interrupted): rows up to its
   * `resumeAt` line are counted already and are skipped. An error other than a refused file
   * leaves it `running` at its last checkpoint, for the caller to resume.
   */
  job?: ImportJob;
  /** Asked after every batch: true ends the run there, the job `running` at its checkpoint. */
  shouldPause?: () => boolean;
}

interface Row {
  line: number;
  cells: string[];
}

/** What a batch works with, for the whole run. */
interface Run {
  actor: Actor;
  schema: RecordSchema;
  columns: FileColumns;
  width: number;
  known: KnownRecords;
  job: ImportJob;
  settings: ImportSettings;
  reading: CellReading;
  missing: MissingRecords;
  /** Records this run changed (an update): a second row naming one is refused. */
  changed: Set<string>;
}

export async function runImport(actor: Actor, source: ImportSource, options: ImportOptions): Promise<ImportJob> {
  const schema = await recordSchemaFor(actor.tenant, options.type);
  const job = options.job ?? newJob(actor, options.type.name, options.dryRun ?? false, { settings: options.settings ?? DEFAULT_IMPORT_SETTINGS });
  const settings = job.settings ?? DEFAULT_IMPORT_SETTINGS;
  // Line 1 is the header; rows up to resumeAt were written (or found bad) by an earlier stretch.
  const resumeAt = job.resumeAt ?? 1;
  const batchRows = options.batchRows ?? BATCH_ROWS;
  job.status = 'running';
  delete job.failure;
  await saveJob(actor.tenant, job);
  const input = source.open();
  try {
    const known = await KnownRecords.load(actor, options.type.key, options.preloadLimit);
    let run: Run | undefined;
    let batch: Row[] = [];
    let line = 0;
    // A job gone on with (a stretch): its first batch after the checkpoint may have been written,
    // wholly or in part, by a stretch that crashed before saving it; its rows found by id are this
    // job's own, ok rather than duplicates.
    let resumed = options.job !== undefined;
    for await (const cells of csvRows(input)) {
      line++;
      if (!run) {
        const header = cells.map((cell) => cell.trim());
        const mapping = mapColumns(header, schema, options.mapping, { update: settings.mode === 'update' });
        options.checkColumns?.(mapping, schema);
        // Whose records a cell may name, and an update may change: the importer's scope (cell-names.ts, record-targets.ts).
        const names = await CellNames.load(actor, schema, mapping.fields);
        run = { actor, schema, columns: { mapping, header, names }, width: cells.length, known, job, settings, reading: { country: settings.country as CountryCode | undefined, locale: settings.locale }, missing: new MissingRecords(actor, job, jobRequest(job)), changed: new Set() };
        job.ignoredColumns = mapping.ignored;
        job.columns = header.map((column, i) => ({ column, field: mapping.fields[i] ?? null }));
        continue;
      }
      if (line <= resumeAt) continue;
      if (cells.length === 1 && cells[0].trim() === '') continue; // a blank line
      batch.push({ line, cells });
      if (batch.length === batchRows) {
        await importBatch(run, batch, resumed);
        resumed = false;
        job.resumeAt = line;
        batch = [];
        await progress(actor, job, options);
        if (options.shouldPause?.()) return job;
      }
    }
    if (!run) throw new FieldValidationError([{ path: 'file', message: 'has no header row' }]);
    await importBatch(run, batch, resumed);
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

/** A row on its way: what was read, then what becomes of it. */
interface Pending {
  row: Row;
  read: RowRead;
  problems: CellReason[];
  /** The record the row writes (created: its derived id; changed: the record's). */
  id?: string;
  write?: RecordWrite;
  /** A change's values, field by field (what a record changed meanwhile may hold already). */
  changes?: Record<string, unknown>;
  outcome?: { kind: 'ok' | 'updated' | 'unchanged' } | { kind: 'refused' | 'conflict'; reasons: CellReason[] } | { kind: 'duplicate'; id: string; match: string };
}

async function importBatch(run: Run, rows: Row[], resumed: boolean): Promise<void> {
  const { actor, schema, columns, job } = run;
  job.rowsRead += rows.length;
  const at = new Date().toISOString();
  const pending: Pending[] = [];
  for (const row of rows) {
    const entry: Pending = { row, read: { fields: {}, empty: [], problems: [], missing: [] }, problems: [] };
    pending.push(entry);
    if (row.cells.length !== run.width) {
      entry.outcome = { kind: 'refused', reasons: [{ column: '', reason: `has ${row.cells.length} cells, the header ${run.width}` }] };
      continue;
    }
    entry.read = readRow(schema, columns, row.cells, run.reading);
    entry.problems = [...entry.read.problems];
    await linkMissing(run, entry);
  }
  await run.missing.createPlanned(at, job.dryRun);
  const reading = pending.filter((p) => !p.outcome);
  const targets: Target[] = run.settings.mode === 'update' ? await targetsOf(actor, schema, reading.map((p) => naming(run, p))) : reading.map(() => ({ kind: 'new' }));

  const creations: Pending[] = [];
  for (const [i, entry] of reading.entries()) {
    const target = targets[i];
    if (target.kind === 'refused') entry.outcome = { kind: 'refused', reasons: [{ column: target.column, reason: target.reason }] };
    else if (target.kind === 'hidden') entry.outcome = { kind: 'duplicate', id: target.id, match: target.match };
    else if (target.kind === 'record') await planUpdate(run, entry, target.record, target.version, at);
    else creations.push(entry);
  }
  await planCreations(run, creations, at, resumed);

  const writes = pending.filter((p) => p.write && !p.outcome);
  if (job.dryRun) for (const entry of writes) entry.outcome = { kind: entry.write!.expectedVersion === 0 ? 'ok' : 'updated' };
  else await inParallel(transactionGroups(writes, (entry) => entry.write!), WRITERS, (group) => writeGroup(actor, group));
  await account(run, pending);
}

/**
 * Names in the row's relation cells that no record has: linked to the records created for them
 * (`createMissing`), after those the cell named that exist; else left out, and said.
 */
async function linkMissing(run: Run, entry: Pending): Promise<void> {
  const { schema } = run;
  for (const missing of entry.read.missing) {
    const ids = await run.missing.resolve(missing, entry.row);
    if (ids) {
      const given = entry.read.fields[missing.field];
      entry.read.fields[missing.field] = holdsList(schema.fields.shape[missing.field]) ? [...(Array.isArray(given) ? given : []), ...ids] : (given ?? ids[0]);
      continue;
    }
    const type = recordTypeWithKey(missing.target);
    const named = missing.names.map((name) => `"${name}"`).join(', ');
    entry.problems.push({ column: missing.column, reason: `${missing.column}: no ${type?.name ?? 'record'} named ${named}: the link is left out (the import can create the ${type?.plural ?? 'records'} it does not find)` });
  }
}

/** The row's Id and Version cells and the values it may be found by. */
function naming(run: Run, entry: Pending) {
  const { idColumn, versionColumn } = run.columns.mapping;
  const cell = (at: number | undefined) => (at === undefined ? undefined : entry.row.cells[at]?.trim() || undefined);
  return { id: cell(idColumn), version: cell(versionColumn), keys: duplicateKeys(run.schema.type.key, entry.read.fields) };
}

/**
 * A change of the record the row names, to the row's values: at the version the file says (a
 * record changed since is a conflict: what its file shows is no longer what it changes), or
 * the one just read. An empty cell clears its field; a cell that could not be read leaves it
 * as it was. A row that changes nothing writes nothing, whatever its version: compared as the
 * record would store it (a stage named by its label, `Won`, is the `won` the record holds).
 */
async function planUpdate(run: Run, entry: Pending, record: StoredRecord, version: number | undefined, at: string): Promise<void> {
  const { actor, schema, job } = run;
  entry.id = record.id;
  if (run.changed.has(record.id)) {
    entry.outcome = { kind: 'refused', reasons: [{ column: 'Id', reason: `names the same ${schema.type.name} as a row above it (${record.id}): one row per record` }] };
    return;
  }
  run.changed.add(record.id);
  const fields: Record<string, unknown> = { ...entry.read.fields };
  const required: string[] = [];
  for (const field of entry.read.empty) {
    if (schema.fields.shape[field].safeParse(null).success) fields[field] = null;
    else required.push(field);
  }
  const changed = Object.fromEntries(Object.entries(fields).filter(([field, value]) => !sameValue(record[field], value)));
  // Nothing to change (the row was applied before, by this job or another).
  if (Object.keys(changed).length === 0) {
    entry.outcome = { kind: 'unchanged' };
    return;
  }
  for (const field of required) entry.problems.push({ column: columnOf(run, field), reason: `${columnOf(run, field)}: is empty, but a ${schema.type.name} needs it: left as it was` });
  const plan = async (fields: Record<string, unknown>) => {
    const write = await planChange(actor, schema, record, record.version, fields, at, { request: jobRequest(job), source: 'import' });
    entry.changes = Object.fromEntries(Object.keys(fields).map((field) => [field, write.record[field]]));
    return write;
  };
  await planWithout(run, entry, changed, plan, () => true);
  if (entry.outcome) return;
  if (storesNothingNew(record, entry.write!.record)) {
    entry.write = undefined;
    entry.outcome = { kind: 'unchanged' };
    return;
  }
  if (version !== undefined && version !== record.version) {
    entry.write = undefined;
    // This job changed it already (a stretch that crashed after writing it): done, not a conflict.
    if (version < record.version && !job.dryRun && (await madeByRequest(actor.tenant, schema.type.key, record.id, version + 1, jobRequest(job)))) {
      entry.outcome = { kind: 'updated' };
      return;
    }
    const reason = `the ${schema.type.name} changed since this file was exported (it is at version ${record.version}, the file has ${version}): not overwritten; export it again and redo the change`;
    entry.outcome = { kind: 'conflict', reasons: [{ column: 'Version', reason }] };
  }
}

/** Whether a change would store what the record holds already, field for field (its version and stamps aside). */
function storesNothingNew(record: StoredRecord, written: StoredRecord): boolean {
  return Object.keys({ ...record, ...written }).every((field) => isMeta(field) || sameValue(record[field], written[field]));
}

/**
 * Creations of the rows that name no record: validated as the API would a new record (a cell
 * whose field the record refuses is left out; a required field missing refuses the row), then
 * checked against existing records and the file's earlier rows.
 */
async function planCreations(run: Run, entries: Pending[], at: string, resumed: boolean): Promise<void> {
  const { actor, schema, job, known } = run;
  const valid: Pending[] = [];
  for (const entry of entries) {
    const fields = creatable(run, entry);
    if (!fields) continue;
    entry.read.fields = fields;
    entry.id = rowId(actor.tenant, schema.type.key, entry.row);
    valid.push(entry);
  }
  const candidates = valid.map((entry) => ({ id: entry.id!, keys: duplicateKeys(schema.type.key, entry.read.fields) }));
  const existing = await known.existing(candidates);
  const ours = resumed && !job.dryRun ? await createdByJob(actor, schema, job, [...existing.values()].filter((match) => match.match === SAME_ROW).map((match) => match.id)) : new Set<string>();
  const pendingIds = run.missing.pending;
  const optional = (field: string) => schema.fields.shape[field]?.safeParse(undefined).success ?? false;
  for (const [i, entry] of valid.entries()) {
    if (ours.has(entry.id!)) {
      entry.outcome = { kind: 'ok' };
      known.add(candidates[i]);
      continue;
    }
    // Rows of this batch are not in `existing`: an earlier one may have taken the key just now.
    const match = existing.get(entry.id!) ?? known.remembered(candidates[i]);
    if (match) {
      entry.outcome = { kind: 'duplicate', id: match.id, match: match.match };
      continue;
    }
    await planWithout(run, entry, entry.read.fields, (fields) => planCreation(actor, schema, fields, at, { id: entry.id, request: jobRequest(job), pending: pendingIds, source: 'import' }), optional);
    if (entry.write) known.add(candidates[i]); // a later row of the file with the same key is a duplicate of this one
  }
}

/** The row's fields as a new record takes them, cells it refuses left out; undefined (the row refused) when a required one is missing. */
function creatable(run: Run, entry: Pending): Record<string, unknown> | undefined {
  const { schema } = run;
  const fields = { ...entry.read.fields };
  for (;;) {
    const parsed = schema.create.safeParse(fields);
    if (parsed.success) return parsed.data;
    const blamed = parsed.error.issues.filter((issue) => typeof issue.path[0] === 'string' && issue.path[0] in fields);
    for (const issue of blamed) {
      const field = issue.path[0] as string;
      entry.problems.push({ column: columnOf(run, field), reason: plainCellReason(columnOf(run, field), '', plainIssue(issue)) });
      delete fields[field];
    }
    if (blamed.length === 0) {
      const reasons = parsed.error.issues.map((issue) => {
        const field = typeof issue.path[0] === 'string' ? issue.path[0] : '';
        const column = field ? columnOf(run, field) : '';
        return { column, reason: column ? plainCellReason(column, '', plainIssue(issue)) : plainIssue(issue) };
      });
      // The cells left out may be why: say those too.
      entry.outcome = { kind: 'refused', reasons: [...entry.problems, ...reasons] };
      return undefined;
    }
  }
}

/**
 * Plans the write; a field the write refuses (a relation to a record that is not there, a value
 * that makes the record too large) is left out and the rest planned again, if it may be
 * (`mayLeaveOut`: not a field a new record needs).
 */
async function planWithout(run: Run, entry: Pending, fields: Record<string, unknown>, plan: (fields: Record<string, unknown>) => Promise<RecordWrite>, mayLeaveOut: (field: string) => boolean): Promise<void> {
  const left = { ...fields };
  for (;;) {
    try {
      entry.write = await plan(left);
      return;
    } catch (err) {
      const blamed = blame(err);
      if (blamed.size === 0) throw err;
      const reasons = [...blamed].map(([field, why]) => ({ column: columnOf(run, field), reason: plainCellReason(columnOf(run, field), '', why) }));
      if ([...blamed.keys()].some((field) => !(field in left) || !mayLeaveOut(field))) {
        entry.outcome = { kind: 'refused', reasons: [...entry.problems, ...reasons] };
        return;
      }
      entry.problems.push(...reasons);
      for (const field of blamed.keys()) delete left[field];
      if (Object.keys(left).length === 0) {
        entry.outcome = { kind: 'unchanged' };
        return;
      }
    }
  }
}

/** The fields a refused write names, each with why in plain words. */
function blame(err: unknown): Map<string, string> {
  if (err instanceof FieldValidationError) return new Map(err.issues.map((issue) => [issue.path.split('.')[0], issue.message]));
  if (err instanceof ItemTooLargeError) return new Map(err.fields.map((field) => [field, `makes the record larger than the ${Math.round(err.limit / 1000)} KB a record may be`]));
  return new Map();
}

/** The header cell of the column a field came from (the field's label if none did). */
function columnOf({ columns, schema }: Run, field: string): string {
  const at = columns.mapping.fields.indexOf(field);
  if (at >= 0) return columns.header[at];
  return schema.definitions.find((d) => d.key === field)?.label ?? fieldLabel(field);
}

/** Counts each row's outcome in the job; the rows not imported as they were go to the error file too. */
async function account(run: Run, pending: Pending[]): Promise<void> {
  const { job } = run;
  const kept: ErrorRow[] = [];
  for (const entry of pending) {
    const outcome = entry.outcome ?? { kind: 'refused' as const, reasons: entry.problems };
    if (outcome.kind === 'duplicate') {
      recordDuplicate(job, entry.row.line, outcome.id, outcome.match);
      continue;
    }
    if (outcome.kind === 'refused' || outcome.kind === 'conflict') {
      const error = recordRowError(job, entry.row.line, outcome.kind, outcome.reasons);
      kept.push({ line: entry.row.line, cells: entry.row.cells, reason: `${outcome.kind === 'conflict' ? 'Not imported (changed since)' : 'Not imported'}: ${error.reason}` });
      continue;
    }
    job.ok++;
    if (outcome.kind === 'updated') job.updated = (job.updated ?? 0) + 1;
    if (outcome.kind === 'unchanged') job.unchanged = (job.unchanged ?? 0) + 1;
    if (entry.problems.length === 0) continue;
    const error = recordRowError(job, entry.row.line, 'partial', entry.problems);
    const what = run.settings.mode === 'update' && outcome.kind !== 'ok' ? 'left as they were' : 'left empty';
    kept.push({ line: entry.row.line, cells: entry.row.cells, reason: `Imported, these cells ${what}: ${error.reason}`, id: entry.id });
  }
  if (!job.dryRun) await keepErrorRows(run.actor.tenant, job, kept);
}

/** The idempotency key of the job's writes, kept in their history (older imports' records have none). */
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
 * A ULID-shaped id from what identifies the row: the same row of the same file gets the same
 * id on every run.
 */
export function rowId(tenant: string, type: string, row: Row): string {
  return derivedId([tenant, type, row.line, row.cells]);
}

/**
 * One transaction for the group; if a write's condition fails (the same row imported by a run
 * at the same time; a record changed since it was read), the rows go one by one: such a
 * creation is a duplicate, such a change a conflict.
 */
async function writeGroup(actor: Actor, group: Pending[]): Promise<void> {
  const done = (entry: Pending) => (entry.outcome = { kind: entry.write!.expectedVersion === 0 ? 'ok' : 'updated' });
  try {
    await commit(actor, group.map((entry) => entry.write!));
    group.forEach(done);
  } catch (err) {
    if (!(err instanceof VersionConflictError) && !(err instanceof RecordNotFoundError)) throw err;
    for (const entry of group) {
      try {
        await commit(actor, [entry.write!]);
        done(entry);
      } catch (single) {
        // A creation whose id is taken: the same row imported at the same time (by someone whose records the importer may not see: not found, but there).
        if ((single instanceof VersionConflictError || single instanceof RecordNotFoundError) && entry.write!.expectedVersion === 0) entry.outcome = { kind: 'duplicate', id: entry.write!.id, match: 'the same row, imported at the same time' };
        // Changed meanwhile to what the row says (the same file imported at the same time): nothing to do.
        else if (single instanceof VersionConflictError && Object.entries(entry.changes ?? {}).every(([field, value]) => sameValue(single.current[field], value))) entry.outcome = { kind: 'unchanged' };
        else if (single instanceof VersionConflictError) entry.outcome = { kind: 'conflict', reasons: [{ column: 'Version', reason: `the ${entry.write!.type.toLowerCase()} changed while it was imported (now at version ${single.current.version}): not overwritten` }] };
        else if (single instanceof RecordNotFoundError) entry.outcome = { kind: 'refused', reasons: [{ column: 'Id', reason: `the ${entry.write!.type.toLowerCase()} was deleted, or handed to someone whose records you do not see, while it was imported` }] };
        else throw single;
      }
    }
  }
}
