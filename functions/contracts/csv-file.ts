/**
 * How a CSV file's bytes become text and rows, the same on both sides: the import reads a whole
 * file as a stream (functions/csv/csv-rows.ts), the import dialog and an upload's check read its
 * first bytes for the header. Both must agree, or the dialog would show other columns than the
 * server maps.
 *
 * - **Encoding.** A byte-order mark says UTF-8, UTF-16LE or UTF-16BE; UTF-16 without one shows as
 *   a zero byte beside each ASCII character. Otherwise the file is 8-bit text: ASCII reads the
 *   same in every candidate, so the choice is made at the first byte above 127, from up to
 *   ENCODING_WINDOW bytes from there: valid UTF-8 is UTF-8, anything else is Windows-1252 (what
 *   Excel on Windows saves as "CSV", a superset of Latin-1). A workbook (.xlsx, .xls) or other
 *   binary file is refused with what to do instead.
 * - **Delimiter.** A comma, semicolon, tab or pipe, whichever splits the first rows into the
 *   same number of cells (at least two); a file of one column is comma-separated. Blank lines
 *   are passed over when guessing (papaparse's guess counts a file's last line break as a row of
 *   one cell, which refused two-column files).
 */
import Papa from 'papaparse';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes from the first non-ASCII byte that decide between UTF-8 and Windows-1252. */
export const ENCODING_WINDOW = 64 * 1024;
/** Text the delimiter is guessed from (papaparse looks at its first 10 rows). */
export const DELIMITER_SAMPLE = 64 * 1024;
export const DELIMITERS = [',', ';', '\t', '|'];

/** The start of a file: its encoding and the length of its byte-order mark; `eightBit` when that is still to be decided. */
export type FileStart = { encoding: TextEncoding; bom: number } | { eightBit: true } | { refused: string };

const starts = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);

/**
 * What the first bytes say (`head`: at least the first 4 unless the file is shorter,
 * `complete`); undefined while there are too few to tell.
 */
export function fileStart(head: Uint8Array, complete: boolean): FileStart | undefined {
  if (head.length < 4 && !complete) return undefined;
  if (starts(head, 0xef, 0xbb, 0xbf)) return { encoding: 'utf-8', bom: 3 };
  if (starts(head, 0xff, 0xfe)) return { encoding: 'utf-16le', bom: 2 };
  if (starts(head, 0xfe, 0xff)) return { encoding: 'utf-16be', bom: 2 };
  if (starts(head, 0x50, 0x4b, 0x03, 0x04)) return { refused: 'is a workbook (.xlsx) or another zipped file, not CSV: save it as CSV (File > Save as > CSV) and import that' };
  if (starts(head, 0xd0, 0xcf, 0x11, 0xe0)) return { refused: 'is an Excel 97-2003 workbook (.xls), not CSV: save it as CSV (File > Save as > CSV) and import that' };
  if (head.length >= 2 && head[0] !== 0 && head[1] === 0) return { encoding: 'utf-16le', bom: 0 };
  if (head.length >= 2 && head[0] === 0 && head[1] !== 0) return { encoding: 'utf-16be', bom: 0 };
  if (head.subarray(0, 4096).includes(0)) return { refused: 'holds zero bytes, so it is no text file: save it as CSV and import that' };
  return { eightBit: true };
}

/** Where 8-bit text stops being ASCII (its length when it never does). */
export const asciiLength = (bytes: Uint8Array) => {
  const at = bytes.findIndex((byte) => byte > 0x7f);
  return at < 0 ? bytes.length : at;
};

/**
 * UTF-8 or Windows-1252, from bytes starting at the first non-ASCII byte (ENCODING_WINDOW of
 * them, or fewer when they are all there are); a sequence cut at the window's end is no reason
 * to doubt UTF-8.
 */
export function eightBitEncoding(window: Uint8Array): TextEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(window.subarray(0, ENCODING_WINDOW), { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * The first bytes of a file as text, decided as the whole file would be (for the header row):
 * the text, or why the file is refused.
 */
export function headText(head: Uint8Array): { text: string; encoding: TextEncoding } | { refused: string } {
  const start = fileStart(head, true)!;
  if ('refused' in start) return start;
  const ascii = 'eightBit' in start ? asciiLength(head) : 0;
  const encoding = 'eightBit' in start ? (ascii === head.length ? 'utf-8' : eightBitEncoding(head.subarray(ascii))) : start.encoding;
  const bom = 'bom' in start ? start.bom : 0;
  return { text: new TextDecoder(encoding, { ignoreBOM: true }).decode(head.subarray(bom), { stream: true }), encoding };
}

/** The delimiter of CSV text, guessed from its first rows (`sample`: the file's first DELIMITER_SAMPLE characters or all of it). */
export function delimiterOf(sample: string): string {
  // Rows whole: a last row cut off at the sample's end has fewer cells than the others.
  const end = sample.length >= DELIMITER_SAMPLE ? sample.lastIndexOf('\n') : -1;
  const text = end > 0 ? sample.slice(0, end) : sample;
  const guessed = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: 'greedy', delimitersToGuess: DELIMITERS });
  const undetected = guessed.errors.some((error) => error.code === 'UndetectableDelimiter');
  return undetected ? ',' : guessed.meta.delimiter;
}

/** The header row of CSV text (its first row, cells trimmed). */
export function headerOf(text: string, delimiter = delimiterOf(text)): string[] {
  const [header] = Papa.parse<string[]>(text, { preview: 1, delimiter }).data;
  return (header ?? []).map((cell) => cell.trim());
}
