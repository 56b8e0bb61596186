/**
 * A record's history as the card lists it: newest first, each change with the field's label
 * and its old and new value as a cell shows them. Fields no longer known (a deleted custom
 * field) keep their key as the label, so nothing in the history disappears.
 */
import type { HistoryEntry } from '$contracts/record.ts';
import { textOf, type GridField } from '../records/grid-fields.ts';
import { cellText } from '$contracts/cell-text.ts';

export interface HistoryLine {
  version: number;
  action: HistoryEntry['action'];
  at: string;
  by: string;
  changes: Array<{ field: string; label: string; old: string; new: string }>;
}

export function historyLines(entries: readonly HistoryEntry[], fields: readonly GridField[]): HistoryLine[] {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const text = (key: string, value: unknown) => {
    const field = byKey.get(key);
    return field ? textOf(field, value) : cellText(value);
  };
  return [...entries]
    .sort((a, b) => b.version - a.version)
    .map((entry) => ({
      version: entry.version,
      action: entry.action,
      at: entry.at,
      by: entry.by,
      changes: entry.changes.map((change) => ({
        field: change.field,
        label: byKey.get(change.field)?.label ?? change.field,
        old: text(change.field, change.old),
        new: text(change.field, change.new),
      })),
    }));
}
