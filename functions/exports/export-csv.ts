/**
 * A record type as CSV (RFC 4180, papaparse's unparse), produced page by page: the header is
 * the record's Id and Version (which an import in update mode finds it by and checks it at) and
 * the fields' labels as the grid shows them (contracts/field-labels.ts; custom fields by their
 * label), then one row per live record, values as a person
 * would type them (functions/contracts/cell-text.ts), users and related records by name as the grid shows
 * them (views/shown-names.ts; an import reads them back), so the file imports again as it is. A cell that a
 * spreadsheet would run as a formula (`=...`, `@...`, `+`/`-` not followed by a number) is
 * quoted with a leading apostrophe (csv/formula-guard.ts, which the import undoes); phone numbers
 * (lists of them too) and negative amounts stay as they are.
 */
import Papa from 'papaparse';
import type { Actor } from '../access/actor.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { cellText } from '../contracts/cell-text.ts';
import { fieldColumns, ID_COLUMN, VERSION_COLUMN } from '../csv/columns.ts';
import { FORMULA } from '../csv/formula-guard.ts';
import { fieldLabel } from '../contracts/field-labels.ts';
import { viewRows } from '../views/view-rows.ts';
import { DEFAULT_SORT, type View } from '../contracts/views.ts';
import { foldedSearch, searchText } from '../contracts/view-matching.ts';
import { shownValues, type ShowValue } from '../views/shown-names.ts';

const PAGE = 1000;

const unparse = (rows: string[][]) => Papa.unparse(rows, { escapeFormulae: FORMULA, newline: '\r\n' }) + '\r\n';

/**
 * A type's records as the grid opens the type without a saved view, in its order (by name):
 * every field, then when each was last updated. Read as a view is (views/view-rows.ts), so
 * scoped the same way; the file and the grid list the records alike.
 */
export function exportCsv(actor: Actor, schema: RecordSchema): AsyncGenerator<string> {
  const columns = [...fieldColumns(schema).map((column) => column.key), 'updatedAt'];
  return exportViewCsv(actor, schema, { columns, filters: [], sort: [...DEFAULT_SORT] });
}

/**
 * A view as CSV: its rows in its order, filtered (and with `search`, only the rows the quick
 * search finds), with its columns (after the id and version), in chunks of PAGE rows. The rows come from the view's own reading (views/view-rows.ts), which holds them
 * all in memory to sort them; only the CSV text is produced piece by piece.
 */
export async function* exportViewCsv(actor: Actor, schema: RecordSchema, view: Pick<View, 'columns' | 'filters' | 'sort' | 'groupBy'>, search = ''): AsyncGenerator<string> {
  const labels = new Map(fieldColumns(schema).map((column) => [column.key, column.label]));
  yield unparse([[ID_COLUMN, VERSION_COLUMN, ...view.columns.map((key) => labels.get(key) ?? fieldLabel(key))]]);
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
