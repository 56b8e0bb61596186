/**
 * A record type as CSV (RFC 4180, papaparse's unparse), produced page by page: the header is
 * the fields' labels (custom fields included), then one row per live record, values as a person
 * would type them (functions/csv/cells.ts), so the file imports again as it is. A cell that a
 * spreadsheet would run as a formula (`=...`, `@...`, `+`/`-` not followed by a number) is
 * quoted with a leading apostrophe; phone numbers (lists of them too) and negative amounts stay as they are.
 */
import Papa from 'papaparse';
import { listLiveRecords } from '../records/records.ts';
import type { Actor } from '../records/repository.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { cellText } from '../csv/cells.ts';
import { fieldColumns } from '../csv/columns.ts';

const FORMULA = /^[=@\t\r]|^[+-](?![\d.;+ ]*$)/;
const PAGE = 1000;

/** The CSV in chunks: the header, then a chunk per page of records. */
export async function* exportCsv(actor: Actor, schema: RecordSchema): AsyncGenerator<string> {
  const columns = [{ key: 'id', label: 'Id' }, ...fieldColumns(schema), { key: 'updatedAt', label: 'Updated At' }];
  const unparse = (rows: string[][]) => Papa.unparse(rows, { escapeFormulae: FORMULA, newline: '\r\n' }) + '\r\n';
  yield unparse([columns.map((column) => column.label)]);
  let after: string | undefined;
  do {
    const page = await listLiveRecords(actor, schema, { limit: PAGE, after });
    if (page.items.length > 0) yield unparse(page.items.map((record) => columns.map((column) => cellText(record[column.key]))));
    after = page.nextCursor;
  } while (after);
}
