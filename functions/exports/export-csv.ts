/**
 * A record type as CSV (RFC 4180, papaparse's unparse), produced page by page: the header is
 * the record's Id and Version (which an import in update mode finds it by and checks it at) and
 * the fields' labels (custom fields included), then one row per live record, values as a person
 * would type them (functions/csv/cells.ts), users and related records by name as the grid shows
 * them (views/shown-names.ts; an import reads them back), so the file imports again as it is. A cell that a
 * spreadsheet would run as a formula (`=...`, `@...`, `+`/`-` not followed by a number) is
 * quoted with a leading apostrophe (csv/formula-guard.ts, which the import undoes); phone numbers
 * (lists of them too) and negative amounts stay as they are.
 */
import Papa from 'papaparse';
import { listLiveRecords } from '../records/records.ts';
import type { Actor } from '../records/repository.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { cellText } from '../csv/cells.ts';
import { fieldColumns, ID_COLUMN, labelOf, VERSION_COLUMN } from '../csv/columns.ts';
import { FORMULA } from '../csv/formula-guard.ts';
import { viewRows } from '../views/view-rows.ts';
import type { View } from '../contracts/views.ts';
import { foldedSearch, searchText } from '../contracts/view-matching.ts';
import { shownValues, type ShowValue } from '../views/shown-names.ts';

const PAGE = 1000;

const unparse = (rows: string[][]) => Papa.unparse(rows, { escapeFormulae: FORMULA, newline: '\r\n' }) + '\r\n';

/** The CSV in chunks: the header, then a chunk per page of records. */
export async function* exportCsv(actor: Actor, schema: RecordSchema): AsyncGenerator<string> {
  const columns = [{ key: 'id', label: ID_COLUMN }, { key: 'version', label: VERSION_COLUMN }, ...fieldColumns(schema), { key: 'updatedAt', label: 'Updated At' }];
  yield unparse([columns.map((column) => column.label)]);
  const shown = await shownValues(actor, schema, columns.map((column) => column.key));
  let after: string | undefined;
  do {
    const page = await listLiveRecords(actor, schema, { limit: PAGE, after });
    if (page.items.length > 0) yield unparse(page.items.map((record) => cellsOf(columns.map((column) => record[column.key]), shown)));
    after = page.nextCursor;
  } while (after);
}

/**
 * A view as CSV: its rows in its order, filtered (and with `search`, only the rows the quick
 * search finds), with its columns (after the id), in chunks of PAGE rows. The rows come from the view's own reading (views/view-rows.ts), which holds them
 * all in memory to sort them; only the CSV text is produced piece by piece.
 */
export async function* exportViewCsv(actor: Actor, schema: RecordSchema, view: Pick<View, 'columns' | 'filters' | 'sort' | 'groupBy'>, search = ''): AsyncGenerator<string> {
  const labels = new Map(fieldColumns(schema).map((column) => [column.key, column.label]));
  yield unparse([[ID_COLUMN, VERSION_COLUMN, ...view.columns.map((key) => labels.get(key) ?? labelOf(key))]]);
  const all = (await viewRows(actor, schema, view)).rows;
  const shown = await shownValues(actor, schema, view.columns);
  // The quick search over the view's columns as their cells show them, as the grid matches it ($contracts/view-matching.ts).
  const folded = foldedSearch(search);
  const rows = folded ? all.filter((row) => searchText(shownRow(row.slice(2), shown)).includes(folded)) : all;
  for (let start = 0; start < rows.length; start += PAGE) {
    // A row is [id, version, ...columns]: the version is what an update of the file, edited, checks.
    yield unparse(rows.slice(start, start + PAGE).map(([id, version, ...values]) => [String(id), String(version), ...cellsOf(values, shown)]));
  }
}

/** A row's values as its cells show them: names for ids. */
const shownRow = (values: unknown[], shown: Array<ShowValue | undefined>) => values.map((value, i) => (shown[i] ? shown[i](value) : value));

const cellsOf = (values: unknown[], shown: Array<ShowValue | undefined>) => shownRow(values, shown).map(cellText);
