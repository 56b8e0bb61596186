/**
 * Tab-separated text as spreadsheets put it on the clipboard: Excel and Google Sheets quote a
 * cell that holds a tab, a line break or a quote ("a ""b"""), and end the block with a line
 * break. RevoGrid's own parser splits on every line break, which cuts such cells apart.
 */
import Papa from 'papaparse';

export function parseTsv(text: string): string[][] {
  const trimmed = text.replace(/\r?\n$/, '');
  if (trimmed === '') return [];
  const { data } = Papa.parse<string[]>(trimmed, { delimiter: '\t', quoteChar: '"', newline: text.includes('\r\n') ? '\r\n' : '\n' });
  return data;
}

const NEEDS_QUOTES = /[\t\n\r"]/;

export function toTsv(block: string[][]): string {
  return block.map((row) => row.map((cell) => (NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join('\t')).join('\n');
}
