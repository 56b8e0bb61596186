import { describe, expect, it } from 'vitest';
import { applyView, EMPTY_VIEW_STATE, type ShownValues, type SourceRow, type ViewState } from './apply-view.ts';

// A user column holds ids; its cells show names. Sort, filters, search and groups read the names.
const COLUMNS = ['name', 'assignee'];
const rows: SourceRow[] = [
  ['a', 1, 'first', 'sub-zed'],
  ['b', 1, 'second', 'sub-amy'],
  ['c', 1, 'third', null],
  ['d', 1, 'fourth', 'sub-zed'],
];
const ids = (view: { rows: readonly SourceRow[] }) => view.rows.map((row) => row[0]);
const state = (patch: Partial<ViewState>): ViewState => ({ ...EMPTY_VIEW_STATE, ...patch });
const shownBy = (names: Record<string, string>, key: string): ShownValues => ({
  key,
  of: (column) => (column === 'assignee' ? (value) => (typeof value === 'string' ? names[value] : value) : undefined),
});

describe('applyView with what cells show (ShownValues)', () => {
  const shown = shownBy({ 'sub-zed': 'Abe Young', 'sub-amy': 'Zoe Adams' }, 'v1');

  it('sorts, filters, searches and groups by the names shown, not the ids', () => {
    // By id it would be b (sub-amy) first.
    expect(ids(applyView(rows, COLUMNS, state({ sort: [{ field: 'assignee', direction: 'asc' }] }), shown))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(applyView(rows, COLUMNS, state({ filters: [{ field: 'assignee', op: 'contains', value: 'young' }] }), shown))).toEqual(['a', 'd']);
    expect(ids(applyView(rows, COLUMNS, state({ filters: [{ field: 'assignee', op: 'contains', value: 'sub' }] }), shown))).toEqual([]);
    expect(ids(applyView(rows, COLUMNS, state({ search: 'adams' }), shown))).toEqual(['b']);
    // Groups in the order of the names; each group's value stays the id (the summary shows its name).
    expect(applyView(rows, COLUMNS, state({ groupBy: 'assignee' }), shown).groups?.map((group) => [group.value, group.count])).toEqual([
      ['sub-zed', 2],
      ['sub-amy', 1],
      [null, 1],
    ]);
  });

  it('reads the names again when the key changes (the directory arrived), and the ids without a hook', () => {
    const sort = state({ sort: [{ field: 'assignee', direction: 'asc' }] });
    expect(ids(applyView(rows, COLUMNS, sort, shown))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(applyView(rows, COLUMNS, sort, shownBy({ 'sub-zed': 'Zed Young', 'sub-amy': 'Amy Adams' }, 'v2')))).toEqual(['b', 'a', 'd', 'c']);
    expect(ids(applyView(rows, COLUMNS, sort))).toEqual(['b', 'a', 'd', 'c']);
  });
});
