/**
 * The guard an export puts before a cell a spreadsheet would run as a formula (`=...`, `@...`,
 * a leading tab or carriage return, `+`/`-` not followed by a number: `'=1+1`), and its undoing
 * when the file is imported again, so an export -> import round trip gives every value back as
 * it was. A value that already starts with apostrophes before such a start (`'=x`, typed as it
 * is) gets one more, so the import takes exactly one away: the guard is the one apostrophe the
 * export added, and nothing else is ever taken from a cell.
 */

/** Cells papaparse's `unparse` guards (its `escapeFormulae`): apostrophes, then what a spreadsheet runs. Phone numbers and negative amounts (`+44 20 ...`, `-12.50`) are left alone. */
export const FORMULA = /^'*(?:[=@\t\r]|[+-](?![\d.;+ ]*$))/;

/** A cell of an imported file without the export's guard; any other cell as it is. */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}
