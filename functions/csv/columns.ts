/**
 * The columns of a record type in a spreadsheet: an export writes one per field under its
 * label, an import maps its header back to fields. Built-in fields are labelled as the grid
 * labels them (contracts/field-labels.ts: `companyIds` -> `Companies`), custom fields by their
 * label; a header cell matches a field by label or key, in any case and spacing (`Company Ids`,
 * what exports wrote before, is the key), or by the singular of a list (`Email` -> `emails`), so
 * an exported file imports as it is.
 */
import { FieldValidationError, type FieldIssue } from '../records/errors.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { fieldLabel } from '../contracts/field-labels.ts';

export interface FieldColumn {
  key: string;
  label: string;
}

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Every field a user may set, built-in first (in the type's order), then the live custom fields. */
export function fieldColumns(schema: RecordSchema): FieldColumn[] {
  const custom = new Map(schema.definitions.map((d) => [d.key, d.label]));
  return Object.keys(schema.fields.shape).map((key) => ({ key, label: custom.get(key) ?? fieldLabel(key) }));
}

export interface ColumnMapping {
  /** The field of each column of the file, by position; undefined for a column not imported. */
  fields: Array<string | undefined>;
  /** Header cells that matched no field (and were not mapped explicitly). */
  ignored: string[];
}

/**
 * Maps a file's header to fields. `explicit` (header cell -> field key, or null to skip the
 * column) wins over matching by name. Refused: a mapping to an unknown field or from a column
 * the file lacks, two columns for one field, and no column for a required field.
 */
export function mapColumns(header: string[], schema: RecordSchema, explicit: Record<string, string | null> = {}): ColumnMapping {
  const columns = fieldColumns(schema);
  const byName = new Map<string, string>();
  for (const { key, label } of columns) {
    for (const name of [key, label, key.replace(/s$/, ''), label.replace(/s$/, '')]) if (!byName.has(squash(name))) byName.set(squash(name), key);
  }
  const known = new Set(columns.map((c) => c.key));
  const issues: FieldIssue[] = [];
  for (const [column, field] of Object.entries(explicit)) {
    if (!header.includes(column)) issues.push({ path: `mapping.${column}`, message: 'is not a column of the file', value: column });
    else if (field !== null && !known.has(field)) issues.push({ path: `mapping.${column}`, message: 'is not a known field', value: field });
  }
  const fields = header.map((cell) => (cell in explicit ? (explicit[cell] ?? undefined) : byName.get(squash(cell))));
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    if (field && seen.has(field)) issues.push({ path: `mapping.${header[i]}`, message: `is a second column for the field ${field}`, value: header[i] });
    if (field) seen.add(field);
  });
  for (const { key } of columns) {
    if (!seen.has(key) && !schema.fields.shape[key].safeParse(undefined).success) issues.push({ path: `mapping`, message: `has no column for the required field ${key}` });
  }
  if (issues.length > 0) throw new FieldValidationError(issues);
  return { fields, ignored: header.filter((cell, i) => fields[i] === undefined && !(cell in explicit)) };
}
