/**
 * The guard an export puts before a cell a spreadsheet would run as a formula (`=...`, `@...`,
 * a leading tab or carriage return, `+`/`-` not followed by a number: `'=1+1`), and its undoing
 * when the file is imported again, so an export -> import round trip gives every value back as
 * it was. A value that already starts with apostrophes before such a start (`'=x`, typed as it
 * is) gets one more, so the import takes exactly one away: the guard is the one apostrophe the
 * export added, and nothing else is ever taken from a cell.
 */

/** What a spreadsheet runs as a formula. Phone numbers and negative amounts (`+44 20 ...`, `-12.50`) are left alone. */
const RUNS = String.raw`[=@\t\r]|[+-](?![\d.;+ ]*$)`;

/** Cells papaparse's `unparse` guards (its `escapeFormulae`) in an export: apostrophes, then what a spreadsheet runs. */
export const FORMULA = new RegExp(`^'*(?:${RUNS})`);

/**
 * Cells of a person's own file that a spreadsheet would run, guarded when the import writes them
 * back into its error file: a cell that starts with an apostrophe already reads back as its file
 * did, as it is.
 */
export const RUNS_AS_FORMULA = new RegExp(`^(?:${RUNS})`);

/** A cell of an imported file without the export's guard; any other cell as it is. */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}
