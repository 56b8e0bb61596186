/**
 * The error file of an import: every row that was not imported as it was (refused, in conflict,
 * or imported with cells left empty), as it was in the file, with a Reason column, so a person
 * fixes it in their spreadsheet and sends it again. Rows the import wrote carry their record's
 * id in the `Id` column: sent again as an update, the fixed cells land on that record instead
 * of a second one.
 *
 * Rows are items of their own beside the job (`T#<tenant>#IMPORT#<job>` / `ROW#<line>`), written
 * with each batch (a retried batch writes the same keys again), kept 7 days (TTL), up to
 * ERROR_FILE_ROWS of them; the job item stays small however many rows there are. The file is
 * built from them on request, a page at a time.
 */
import Papa from 'papaparse';
import type { ImportJob } from '../contracts/imports.ts';
import { ID_COLUMN } from '../csv/columns.ts';
import { RUNS_AS_FORMULA } from '../csv/formula-guard.ts';
import { batchPutAll, callStore, queryItems } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

export const ERROR_FILE_ROWS = 10_000;
/** Lowers ERROR_FILE_ROWS (tests: the limit met with a few rows). */
const ROWS_LIMIT_VARIABLE = 'IMPORT_ERROR_FILE_ROWS';
/** A row longer than this (its cells together) is counted and reported, not kept: an item holds at most 400 KB. */
const ROW_CHARACTERS = 100_000;
const KEPT_DAYS = 7;
const PAGE = 1000;

export interface ErrorRow {
  line: number;
  cells: string[];
  reason: string;
  /** The record the row wrote (created or changed), if it did. */
  id?: string;
}

const rowsPk = (tenant: string, job: string) => ITEM_KINDS.importJob.pk(tenant, job);
const rowSk = (line: number) => `ROW#${String(line).padStart(10, '0')}`;

/** Keeps the batch's rows for the error file, as many as the job has room for; the job counts them. */
export async function keepErrorRows(tenant: string, job: ImportJob, rows: ErrorRow[]): Promise<void> {
  const limit = Number(process.env[ROWS_LIMIT_VARIABLE] ?? ERROR_FILE_ROWS);
  const room = Math.max(0, limit - (job.errorFileRows ?? 0));
  const kept = rows.filter((row) => row.cells.reduce((n, cell) => n + cell.length, 0) <= ROW_CHARACTERS).slice(0, room);
  if (kept.length === 0) return;
  const expiresAt = Math.floor(Date.now() / 1000) + KEPT_DAYS * 24 * 3600;
  const items = kept.map((row) => ({ pk: rowsPk(tenant, job.id), sk: rowSk(row.line), ...row, expiresAt }));
  await callStore('keep rows for the error file', () => batchPutAll(items));
  job.errorFileRows = (job.errorFileRows ?? 0) + kept.length;
}

/**
 * The error file in chunks: the file's own header (with an `Id` column first if it had none),
 * then a Reason column; each kept row as it was, its record's id in `Id` when it wrote one. A
 * cell a spreadsheet would run as a formula is guarded as an export guards it, and read back so.
 */
export async function* errorFileCsv(tenant: string, job: ImportJob): AsyncGenerator<string> {
  const header = job.columns?.map((c) => c.column) ?? [];
  const idAt = header.findIndex((cell) => cell.trim().toLowerCase() === ID_COLUMN.toLowerCase());
  const unparse = (rows: string[][]) => Papa.unparse(rows, { escapeFormulae: RUNS_AS_FORMULA, newline: '\r\n' }) + '\r\n';
  yield unparse([[...(idAt < 0 ? [ID_COLUMN] : []), ...header, 'Reason']]);
  let after: Record<string, unknown> | undefined;
  do {
    const page = await queryPage(tenant, job.id, after);
    after = page.last;
    if (page.rows.length === 0) continue;
    yield unparse(
      page.rows.map((row) => {
        const cells = header.map((_, i) => row.cells[i] ?? '');
        if (idAt >= 0 && row.id) cells[idAt] = row.id;
        return [...(idAt < 0 ? [row.id ?? ''] : []), ...cells, row.reason];
      }),
    );
  } while (after);
}

async function queryPage(tenant: string, job: string, after: Record<string, unknown> | undefined): Promise<{ rows: ErrorRow[]; last?: Record<string, unknown> }> {
  const result = await callStore('read the error file', () =>
    queryItems({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rows)',
      ExpressionAttributeValues: { ':pk': rowsPk(tenant, job), ':rows': 'ROW#' },
      ConsistentRead: true,
      Limit: PAGE,
      ExclusiveStartKey: after,
    }),
  );
  return { rows: (result.Items ?? []) as ErrorRow[], last: result.LastEvaluatedKey };
}
