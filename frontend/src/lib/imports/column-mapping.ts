/**
 * The import dialog's column mapping: what the server matched by name (the dry run's `columns`),
 * overridden by what the user chose. Only the user's choices are sent (`mapping`), so columns
 * they left alone keep matching by name; a field taken by one column is taken from any other,
 * since two columns for one field is refused, unless the field holds a list (Phone and Mobile,
 * joined into the phones).
 */
import type { ImportJob } from '$contracts/imports.ts';
import type { Mapping } from './import-client.ts';

/** The field a column goes to ('' for none): the user's choice, else the server's match. */
export function fieldOfColumn(column: string, matched: ImportJob['columns'], overrides: Mapping): string {
  if (column in overrides) return overrides[column] ?? '';
  return matched?.find((c) => c.column === column)?.field ?? '';
}

/** The overrides after the user sent `column` to `field` ('' to skip it); `several`: whether the field takes several columns. */
export function chooseField(columns: readonly string[], matched: ImportJob['columns'], overrides: Mapping, column: string, field: string, several = false): Mapping {
  const next: Mapping = { ...overrides, [column]: field || null };
  if (field && !several) {
    for (const other of columns) if (other !== column && fieldOfColumn(other, matched, next) === field) next[other] = null;
  }
  return next;
}
