/**
 * The grid's folder is the grid's: only a page that shows the grid imports from it. What the card,
 * the board, imports, trash and the rest share with the grid lives in lib/records/ (record types,
 * field kinds, refused input), lib/live/ (other users' changes) or lib/api/. A module that starts
 * to reach into lib/grid/ fails here: move what it needs to a shared place, or, if it shows the
 * grid itself, list it with why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GRID = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(GRID, '../..');

/** Modules outside lib/grid/ that show the grid, and so may import from it. */
const SHOWS_THE_GRID: Record<string, string> = {
  'routes/[type]/+page.svelte': 'the grid page of every record type',
  'routes/[type]/grid-page.svelte.ts': 'that page\'s controller',
  'routes/processes/instances/+page.svelte': 'the Processes grid: the instances in the same grid, read-only',
  'routes/processes/instances/instances-page.svelte.ts': 'that page\'s controller',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}

const specifiers = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('lib/grid/', () => {
  it('is imported only by the grid itself and the pages that show it', () => {
    const reaching = sources(SRC)
      .filter((path) => !path.startsWith(GRID + '/'))
      .flatMap((path) => {
        const file = relative(SRC, path);
        const into = specifiers(readFileSync(path, 'utf8')).filter((spec) => {
          const target = spec.startsWith('$lib/') ? join(SRC, 'lib', spec.slice(5)) : spec.startsWith('.') ? resolve(dirname(path), spec) : '';
          return target.startsWith(GRID + '/');
        });
        return into.length && !(file in SHOWS_THE_GRID) ? [`${file}: ${into.join(', ')}`] : [];
      });
    expect(reaching).toEqual([]);
  });
});
