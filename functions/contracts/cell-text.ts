/**
 * How a value looks in a spreadsheet cell, both ways, for the grid as for CSV: the grid's copy,
 * paste and typed input use the very rules an import and an export use, so a block copied from
 * the grid into Excel and back (or exported and imported) reads the same. The rules live with
 * the CSV code; this re-export is what the frontend reaches through `$contracts`.
 */
export { cellValue, cellText } from '../csv/cells.ts';
