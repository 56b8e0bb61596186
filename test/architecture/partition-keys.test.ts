/**
 * Partition keys are built in one place, the store's registry of item kinds
 * (functions/store/item-kinds.ts), which refuses a kind whose word a record type or another kind
 * has: a key written by hand elsewhere would pass that check by.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, modulesUnder } from '../support/import-graph.ts';

describe('partition keys', () => {
  it('are built only by the store (no `T#${...}`, \'T#...\' or /^T#/ elsewhere in functions/)', () => {
    const byHand = modulesUnder('functions')
      .filter((path) => !path.startsWith('functions/store/'))
      .filter((path) => /`T#\$\{|['"]T#|\/\^T#/.test(readFileSync(join(ROOT, path), 'utf8')));
    expect(byHand).toEqual([]);
  });
});
