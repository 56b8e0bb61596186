/**
 * Groups shown inside the grid, as header rows: before each group's rows, a row that names the
 * group's value, counts its rows and carries its sums; a collapsed group shows its header row
 * only. The grid's rows are then record rows (`[id, version, ...values]`) and group rows (objects,
 * never arrays), and whatever writes cells asks `isGroupRow` first: a group row is no record.
 *
 * RevoGrid's own row grouping (`grouping`) was not used: it groups by the raw value (a money
 * object would make a group per row), writes its bookkeeping onto every row model, rebuilds its
 * own copy of the source, and its group rows carry a label but no sums.
 */
import type { AppliedView, Group, SourceRow, ViewState } from './apply-view.ts';

export interface GroupRow {
  readonly group: Group;
  /** The group-by field's key. */
  readonly field: string;
  /** Names the group in `ViewState.collapsed` (and the URL). */
  readonly key: string;
  readonly collapsed: boolean;
  /** RevoGrid's `row-class` reads this property of a row model. */
  readonly rowClass: 'group-row';
}

export type ShownRow = SourceRow | GroupRow;

export const isGroupRow = (row: unknown): row is GroupRow => !!row && !Array.isArray(row) && (row as GroupRow).rowClass === 'group-row';

/** A group's name in the view state: its value as JSON (the empty group is `null`). */
export const groupKey = (value: unknown): string => JSON.stringify(value ?? null);

/** The rows as the grid shows them: without grouping the view's rows themselves (no copy). */
export function withGroupRows(view: AppliedView, groupBy: string | undefined, collapsed: readonly string[] = []): readonly ShownRow[] {
  if (!view.groups || groupBy === undefined) return view.rows;
  const closed = new Set(collapsed);
  const shown: ShownRow[] = [];
  for (const group of view.groups) {
    const key = groupKey(group.value);
    const isCollapsed = closed.has(key);
    shown.push({ group, field: groupBy, key, collapsed: isCollapsed, rowClass: 'group-row' });
    if (isCollapsed) continue;
    for (let i = group.start, end = group.start + group.count; i < end; i++) shown.push(view.rows[i]);
  }
  return shown;
}

/** The state with the group of `key` collapsed (or expanded). */
export function withGroupCollapsed(state: ViewState, key: string, collapsed: boolean): ViewState {
  const others = (state.collapsed ?? []).filter((k) => k !== key);
  const next = collapsed ? [...others, key] : others;
  return { ...state, collapsed: next.length ? next : undefined };
}
