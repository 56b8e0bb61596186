/**
 * The grid's columns as RevoGrid takes them: one per visible field (its width, pinning, editor,
 * whether it is read-only), the header (label, sort mark, `aria-sort`), each cell's text and its
 * ARIA and state (saving, refused, conflict), and group rows' label and sums.
 */
import type { ColumnRegular } from '@revolist/revogrid';
import { rowId, VALUE_OFFSET, type GridRow } from './cell-writes.ts';
import { textOf, type GridField } from '../records/grid-fields.ts';
import type { GridNow } from './grid-range.ts';
import { groupSumText } from '../views/aggregate-text.ts';
import type { SortState } from '../views/apply-view.ts';
import { isGroupRow, type GroupRow } from '../views/group-rows.ts';
import { sortMark } from '../views/header-sort.ts';

/** A visible column: which field (by key), its width and pinning; absent = every field as loaded. */
export interface ColumnLayout {
  key: string;
  width?: number;
  pin?: 'colPinStart' | 'colPinEnd';
}

/** What the columns read of the grid: its fields now, and its cells' states when drawn. */
type ColumnsOf = Pick<GridNow, 'fields' | 'indexOf' | 'cellState'>;

/**
 * The columns of `layout` (every field as loaded when absent), sorted by `sort`; `grouped`: group
 * header rows are shown.
 */
export function gridColumns(grid: ColumnsOf, layout: ColumnLayout[] | undefined, sort: readonly SortState[], grouped: boolean): ColumnRegular[] {
  const fields = grid.fields();
  const shown: ColumnLayout[] = layout ?? fields.map((field) => ({ key: field.key }));
  return shown.flatMap(({ key, width, pin }, position) => {
    const i = grid.indexOf(key);
    if (i === undefined) return [];
    const field = fields[i];
    const mark = sortMark(sort, key);
    // ARIA allows aria-sort on one header only, the primary key; later keys show their arrow and position.
    const ariaSort = mark?.position === 1 ? { 'aria-sort': mark.direction === 'asc' ? 'ascending' : 'descending' } : {};
    return [
      {
        prop: VALUE_OFFSET + i,
        name: field.label,
        field,
        size: width ?? defaultWidth(field),
        pin,
        // A group row is no record: nothing edits it. A function is asked per cell drawn (with a
        // model RevoGrid builds for it), so only grids showing group rows have one.
        readonly: field.editable ? (grouped ? ({ model }: { model: GridRow | GroupRow }) => isGroupRow(model) : false) : true,
        editor: 'cell',
        columnTemplate: (h: any) =>
          mark
            ? // The label gives way (ellipsis) to the mark in a narrow column.
              h('span', { class: 'sorted-header' }, [
                h('span', { class: 'header-label' }, field.label),
                h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, `${mark.direction === 'asc' ? '▲' : '▼'}${sort.length > 1 ? mark.position : ''}`),
              ])
            : field.label,
        cellTemplate: (h: any, props: { model: GridRow | GroupRow; prop: number }) => {
          if (isGroupRow(props.model)) return position === 0 ? groupLabel(grid, props.model) : groupSumText(props.model.group.sums[field.key]);
          const state = grid.cellState(rowId(props.model), field.key);
          const text = state?.text ?? textOf(field, props.model[props.prop]);
          if (state?.status === 'invalid' || state?.status === 'conflict') {
            return [text, h('span', { class: 'cell-flag', 'aria-hidden': 'true' }, '!')];
          }
          // A bare text node, as RevoGrid's own cells have: scrolling repaints every visible
          // cell, and an element per cell was one more vnode and DOM node each time.
          return text;
        },
        // ARIA by hand: RevoGrid's own plugin marks rows only in this setup (see README).
        columnProperties: () => ({ role: 'columnheader', 'aria-colindex': position + 1, 'data-field': field.key, ...ariaSort }),
        cellProperties: (props: { model: GridRow | GroupRow; rowIndex: number }) => {
          const aria = { role: 'gridcell', 'aria-colindex': position + 1, 'aria-rowindex': props.rowIndex + 2, 'data-field': field.key };
          if (isGroupRow(props.model)) return groupCellProperties(grid, props.model, aria, position === 0);
          const state = grid.cellState(rowId(props.model), field.key);
          if (!state) return aria;
          return {
            ...aria,
            class: { [`cell-${state.status}`]: true },
            'aria-invalid': state.status === 'invalid' ? 'true' : undefined,
            'aria-description': state.message,
            title: state.message,
          };
        },
      } as unknown as ColumnRegular,
    ];
  });
}

/** A group row's first cell: the group's value, its count, and whether it is open (▾) or not (▸). */
function groupLabel(grid: ColumnsOf, row: GroupRow): string {
  const i = grid.indexOf(row.field);
  const by = i === undefined ? undefined : grid.fields()[i];
  const value = row.group.value === null || row.group.value === '' ? '(empty)' : by ? textOf(by, row.group.value) : String(row.group.value);
  const count = row.group.count;
  return `${row.collapsed ? '▸' : '▾'} ${by?.label ?? row.field}: ${value} · ${count.toLocaleString('en')} ${count === 1 ? 'row' : 'rows'}`;
}

function groupCellProperties(grid: ColumnsOf, row: GroupRow, aria: Record<string, unknown>, first: boolean) {
  const sum = groupSumText(row.group.sums[String(aria['data-field'])]);
  if (!first) return { ...aria, class: { 'group-cell': true }, ...(sum ? { title: sum } : {}) };
  // The first cell toggles the group (click, Enter, arrows) and says so to assistive technology.
  return { ...aria, class: { 'group-cell': true, 'group-toggle': true }, 'aria-expanded': String(!row.collapsed), 'data-group-toggle': 'true', title: groupLabel(grid, row).slice(2) };
}

function defaultWidth(field: GridField): number {
  if (field.key === 'name') return 220;
  if (field.kind === 'checkbox') return 90;
  if (field.kind === 'number' || field.kind === 'percent' || field.kind === 'date') return 120;
  return 170;
}
