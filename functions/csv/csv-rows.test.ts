/** Reading CSV bytes: encodings decided from the bytes, delimiters from the first rows, in chunks of any size. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRows, headerOfBytes } from './csv-rows.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf16le = (text: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

/** The bytes in chunks of `size` (1: every byte its own chunk, so every decision meets a cut). */
function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

async function rowsOf(bytes: Buffer, size = 7): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of csvRows(chunked(bytes, size))) rows.push(row);
  return rows;
}

const NAMES = 'Name;City\r\nJürgen Müller;Köln\r\nFrançoise Dupré;Besançon €\r\n';
const EXPECTED = [
  ['Name', 'City'],
  ['Jürgen Müller', 'Köln'],
  ['Françoise Dupré', 'Besançon €'],
];

describe('csvRows', () => {
  it('reads UTF-8 with and without a byte-order mark, Windows-1252, UTF-16LE and BE, in chunks of any size', async () => {
    // The euro sign is byte 0x80 in Windows-1252 (a control character in Latin-1).
    const cp1252 = Buffer.from(NAMES.replace('€', '\x80'), 'latin1');
    for (const size of [1, 3, 7, 65536]) {
      expect(await rowsOf(Buffer.from(NAMES), size)).toEqual(EXPECTED);
      expect(await rowsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NAMES)]), size)).toEqual(EXPECTED);
      expect(await rowsOf(cp1252, size)).toEqual(EXPECTED);
      expect(await rowsOf(utf16le(NAMES), size)).toEqual(EXPECTED);
      expect(await rowsOf(utf16le(NAMES, false), size)).toEqual(EXPECTED);
      expect(await rowsOf(utf16be(NAMES), size)).toEqual(EXPECTED);
    }
  });

  it('decides Windows-1252 at the first byte past ASCII, however far into the file', async () => {
    const ascii = Array.from({ length: 5000 }, (_, i) => `Person ${i},p${i}@example.com`).join('\n');
    const rows = await rowsOf(latin1(`Name,Email\n${ascii}\nRenée Süß,r@example.com\n`), 4096);
    expect(rows.at(-1)).toEqual(['Renée Süß', 'r@example.com']);
    expect(rows).toHaveLength(5002);
  });

  it('refuses a file that starts as UTF-8 and turns out not to be, a workbook, and binary bytes', async () => {
    const utf8 = Buffer.from(`Name\nJürgen\n${'x'.repeat(70_000)}\n`);
    const mixed = Buffer.concat([utf8, latin1('Müller\n')]);
    await expect(rowsOf(mixed, 4096)).rejects.toThrow('is not UTF-8 throughout (line 4 is not): save it again as "CSV UTF-8"');
    await expect(rowsOf(Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'))).rejects.toThrow(/is a workbook \(\.xlsx\)/);
    await expect(rowsOf(Buffer.from([0x4e, 0x61, 0x00, 0x00, 0x6d, 0x65, 0x00]))).rejects.toThrow(FieldValidationError);
  });

  it('guesses comma, semicolon, tab and pipe, two columns and a final line break included; one column is comma-separated', async () => {
    for (const delimiter of [',', ';', '\t', '|']) {
      const text = `Name${delimiter}Email\r\nAda${delimiter}ada@example.com\r\n`;
      expect(await rowsOf(Buffer.from(text))).toEqual([['Name', 'Email'], ['Ada', 'ada@example.com']]);
      expect(headerOfBytes(Buffer.from(text))).toEqual(['Name', 'Email']);
    }
    // Commas inside the cells of a semicolon file, semicolons inside the cells of a comma file.
    expect(await rowsOf(Buffer.from('Name;Size\n"Acme, Inc.";1,200\nInitech;12\n'))).toEqual([['Name', 'Size'], ['Acme, Inc.', '1,200'], ['Initech', '12']]);
    expect(await rowsOf(Buffer.from('Name,Tags\nAcme,a;b;c\n'))).toEqual([['Name', 'Tags'], ['Acme', 'a;b;c']]);
    expect(await rowsOf(Buffer.from('Name\nAcme\nInitech'))).toEqual([['Name'], ['Acme'], ['Initech']]);
  });
});
