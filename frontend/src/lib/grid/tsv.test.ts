import { describe, expect, it } from 'vitest';
import { parseTsv, toTsv } from './tsv.ts';

describe('TSV as spreadsheets write it', () => {
  it('reads a block with the trailing line break Excel adds', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps a quoted cell with a tab, line break or quote whole, both ways', () => {
    const block = [['line 1\nline 2', 'say "hi"'], ['x\ty', '']];
    expect(parseTsv(toTsv(block))).toEqual(block);
  });

  it('reads nothing from nothing', () => {
    expect(parseTsv('')).toEqual([]);
  });
});
