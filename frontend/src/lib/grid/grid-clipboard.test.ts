import { describe, expect, it } from 'vitest';
import { companyType } from '$contracts/company.ts';
import type { CellWrite, GridRow, WriteOrigin } from './cell-writes.ts';
import { GridClipboard } from './grid-clipboard.ts';
import { gridFields } from '../records/grid-fields.ts';
import type { GridNow } from './grid-range.ts';
import type { GroupRow } from '../views/group-rows.ts';

// name and size are editable, createdAt is not.
const fields = gridFields(companyType, ['name', 'size', 'createdAt'], []);
const row = (id: string, name: string | null, size: number | null): GridRow => [id, 1, name, size, '2026-01-01T00:00:00.000Z'];
const group: GroupRow = { group: { value: 'x', count: 2, start: 2, sums: {} }, field: 'name', key: '"x"', collapsed: false, rowClass: 'group-row' };
const shown = [row('c1', 'A', 1), row('c2', 'B', 2), group, row('c3', null, null), row('c4', null, null)];

function clipboardOver(rows: ReadonlyArray<GridRow | GroupRow>) {
  const grid: GridNow = {
    element: () => undefined,
    rows: () => rows,
    fields: () => fields,
    fieldAt: (x) => fields[x],
    indexOf: (key) => fields.findIndex((field) => field.key === key),
    columnCount: () => fields.length,
    cellState: () => undefined,
  };
  const written: Array<{ origin: WriteOrigin; cells: string[] }> = [];
  const clipboard = new GridClipboard(grid, (writes: CellWrite[], origin) => written.push({ origin, cells: writes.map((w) => `${w.row[0]}.${w.field.key}=${w.text}`) }));
  return { clipboard, written };
}

const rangeEdit = (detail: object) => new CustomEvent('beforerangeedit', { detail, cancelable: true });

describe('GridClipboard', () => {
  it('fills down from the handle: a series per column, over group rows, not into read-only columns', () => {
    const { clipboard, written } = clipboardOver(shown);
    clipboard.beforeAutofill();
    const event = rangeEdit({ data: {}, models: {}, oldRange: { x: 0, y: 0, x1: 2, y1: 1 }, newRange: { x: 0, y: 0, x1: 2, y1: 4 } });
    clipboard.beforeRangeEdit(event);
    expect(event.defaultPrevented).toBe(true);
    expect(written).toEqual([{ origin: 'fill', cells: ['c3.name=A', 'c4.name=B', 'c3.size=3', 'c4.size=4'] }]);
  });

  it('fills sideways from what the cells show', () => {
    const { clipboard, written } = clipboardOver(shown);
    clipboard.beforeAutofill();
    clipboard.beforeRangeEdit(rangeEdit({ data: {}, models: {}, oldRange: { x: 0, y: 1, x1: 0, y1: 1 }, newRange: { x: 0, y: 1, x1: 2, y1: 1 } }));
    expect(written).toEqual([{ origin: 'fill', cells: ['c2.size=B'] }]);
  });

  it('clears a range (no fill handle): its editable record cells', () => {
    const { clipboard, written } = clipboardOver(shown);
    clipboard.beforeRangeEdit(rangeEdit({ data: { 0: { 2: '', 4: '' }, 2: { 2: '' } }, models: { 0: shown[0], 2: group }, oldRange: null, newRange: null }));
    expect(written).toEqual([{ origin: 'clear', cells: ['c1.name='] }]);
  });
});
