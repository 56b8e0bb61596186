import { describe, expect, it } from 'vitest';
import { shownNames, type GridField } from '../records/grid-fields.ts';
import { displayNames, PENDING_NAME } from '../pickers/display-names.svelte.ts';
import { applyView, EMPTY_VIEW_STATE, type SourceRow, type ViewState } from './apply-view.ts';
import { idsIn, relationColumnsRead } from './names-read.ts';

const field = (key: string, kind: GridField['kind'], target?: string): GridField => ({ key, label: key, kind, editable: true, target, schema: undefined as never });
const FIELDS = [field('name', 'text'), field('companyIds', 'relation', 'COMPANY'), field('dealId', 'relation', 'DEAL'), field('owner', 'user')];
const state = (patch: Partial<ViewState>): ViewState => ({ ...EMPTY_VIEW_STATE, ...patch });
const keysRead = (patch: Partial<ViewState>, visible = ['name', 'companyIds']) => relationColumnsRead(FIELDS, state(patch), visible).map((f) => f.key);

describe('relation columns a view reads by name', () => {
  it('are those sorted, filtered or grouped by, and the visible ones while searching', () => {
    expect(keysRead({})).toEqual([]);
    expect(keysRead({ sort: [{ field: 'dealId', direction: 'asc' }] })).toEqual(['dealId']);
    expect(keysRead({ filters: [{ field: 'companyIds', op: 'contains', value: 'acme' }] })).toEqual(['companyIds']);
    expect(keysRead({ groupBy: 'dealId' })).toEqual(['dealId']);
    // The quick search reads the visible columns only; a user column is named by the directory.
    expect(keysRead({ search: 'acme' })).toEqual(['companyIds']);
    expect(keysRead({ search: '  ' })).toEqual([]);
    expect(keysRead({ search: 'acme', sort: [{ field: 'owner', direction: 'asc' }] }, ['owner', 'dealId'])).toEqual(['dealId']);
  });

  it('hold these distinct ids, single or many per cell', () => {
    const rows: SourceRow[] = [
      ['r1', 1, ['c1', 'c2']],
      ['r2', 1, 'c2'],
      ['r3', 1, null],
      ['r4', 1, ['c3', '']],
    ];
    expect([...idsIn(rows, 2)]).toEqual(['c1', 'c2', 'c3']);
  });
});

describe('shownNames of relation columns', () => {
  it('reads a related record by its known name, pending until asked for, a list by each name', () => {
    displayNames.learn('COMPANY', 'c-1', 'Zed Works');
    displayNames.learn('COMPANY', 'c-2', 'Amy Labs');
    const shown = shownNames(FIELDS)!;
    const companies = shown.of('companyIds')!;
    expect(companies(['c-1', 'c-2'])).toEqual(['Zed Works', 'Amy Labs']);
    expect(companies('c-unknown')).toBe(PENDING_NAME);
    expect(companies(null)).toBe(null);
    expect(shown.of('name')).toBeUndefined();
    // Sorted by name, not id: c-2's row (Amy) before c-1's (Zed) (the one not yet named sorts as `…`).
    const rows: SourceRow[] = [
      ['a', 1, 'first', ['c-1'], null, null],
      ['b', 1, 'second', ['c-2'], null, null],
      ['c', 1, 'third', ['c-unknown'], null, null],
    ];
    const sorted = applyView(rows, FIELDS.map((f) => f.key), state({ sort: [{ field: 'companyIds', direction: 'asc' }] }), shown);
    expect(sorted.rows.map((row) => row[0]).filter((id) => id !== 'c')).toEqual(['b', 'a']);
    expect(shown.key).toContain(`records:${displayNames.recordsRevision}`);
  });
});
