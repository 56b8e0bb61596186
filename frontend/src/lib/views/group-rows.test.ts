import { describe, expect, it } from 'vitest';
import { applyView, EMPTY_VIEW_STATE } from './apply-view.ts';
import { groupKey, isGroupRow, withGroupCollapsed, withGroupRows } from './group-rows.ts';

const COLUMNS = ['name', 'stage', 'size'];
const ROWS = [
  ['1', 1, 'Acme', 'won', 10],
  ['2', 1, 'Globex', 'lost', 5],
  ['3', 1, 'Initech', 'won', 7],
  ['4', 1, 'Hooli', null, 1],
];

describe('group rows', () => {
  it('puts a header row with count and sums before each group, and only the header of a collapsed one', () => {
    const state = { ...EMPTY_VIEW_STATE, groupBy: 'stage', sort: [{ field: 'name', direction: 'asc' as const }] };
    const shown = withGroupRows(applyView(ROWS, COLUMNS, state), 'stage');
    const describe = (rows: readonly unknown[]) => rows.map((row) => (isGroupRow(row) ? `${row.key}:${row.group.count}:${row.group.sums.size?.number}${row.collapsed ? ':collapsed' : ''}` : (row as unknown[])[2]));
    expect(describe(shown)).toEqual(['"lost":1:5', 'Globex', '"won":2:17', 'Acme', 'Initech', 'null:1:1', 'Hooli']);
    const collapsed = withGroupCollapsed(state, groupKey('won'), true);
    expect(collapsed.collapsed).toEqual(['"won"']);
    expect(describe(withGroupRows(applyView(ROWS, COLUMNS, collapsed), 'stage', collapsed.collapsed))).toEqual(['"lost":1:5', 'Globex', '"won":2:17:collapsed', 'null:1:1', 'Hooli']);
    expect(withGroupCollapsed(collapsed, groupKey('won'), false).collapsed).toBeUndefined();
  });

  it('leaves the rows as they are without grouping', () => {
    const view = applyView(ROWS, COLUMNS, EMPTY_VIEW_STATE);
    expect(withGroupRows(view, undefined)).toBe(view.rows);
    expect(ROWS.some(isGroupRow)).toBe(false);
  });
});
