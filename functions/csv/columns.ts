/**
 * The columns of a record type in a spreadsheet: an export writes one per field under its
 * label, an import maps its header back to fields. Built-in fields are labelled as the grid
 * labels them (contracts/field-labels.ts: `companyIds` -> `Companies`), custom fields by their
 * label; a header cell matches a field by label or key, in any case and spacing (`Company Ids`,
 * what exports wrote before, is the key), or by the singular of a list (`Email` -> `emails`), so
 * an exported file imports as it is. Then by the headers other people's files use
 * (header-synonyms.ts: "Website", "Job title", "Mobile"), and first and last names in columns
 * of their own are joined into the name when the type has no fields for them.
 */
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { fieldLabel } from '../contracts/field-labels.ts';
import { holdsList } from '../contracts/cell-text.ts';
import { NAME_PARTS, synonymsOf } from './header-synonyms.ts';

export interface FieldColumn {
  key: string;
  label: string;
}

/** The columns an export writes before and after the fields: the record's id and version, which an update finds it and checks it by. */
export const ID_COLUMN = 'Id';
export const VERSION_COLUMN = 'Version';

/** Where a column goes that is part of the name: first or last name, joined into `name` (with a space). */
export const FIRST_NAME = 'name:first';
export const LAST_NAME = 'name:last';
export const NAME_PART_LABELS: Record<string, string> = { [FIRST_NAME]: 'Name (first part)', [LAST_NAME]: 'Name (last part)' };
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Every field a user may set, built-in first (in the type's order), then the live custom fields. */
export function fieldColumns(schema: RecordSchema): FieldColumn[] {
  const custom = new Map(schema.definitions.map((d) => [d.key, d.label]));
  return Object.keys(schema.fields.shape).map((key) => ({ key, label: custom.get(key) ?? fieldLabel(key) }));
}

export interface ColumnMapping {
  /** The field of each column of the file, by position (FIRST_NAME/LAST_NAME for a part of the name); undefined for a column not imported. */
  fields: Array<string | undefined>;
  /** Header cells that matched no field (and were not mapped explicitly). */
  ignored: string[];
  /** The position of the column of record ids (`Id`), and of their versions (`Version`), if the file has them. */
  idColumn?: number;
  versionColumn?: number;
  /**
   * Without a column for the name: the columns of first and last name it is joined from. Columns
   * of the type's own fields for them (custom fields labelled "First name", "Last name") keep
   * their values there too; columns of no field are there for the name alone.
   */
  nameParts?: { first?: number; last?: number };
}

/**
 * Maps a file's header to fields. `explicit` (header cell -> field key, or null to skip the
 * column) wins over matching by name. Refused: a mapping to an unknown field or from a column
 * the file lacks, two columns for one field (several columns of a list field are joined), and
 * no column for a required field (`update`: a file that changes records may leave fields out).
 */
export function mapColumns(header: string[], schema: RecordSchema, explicit: Record<string, string | null> = {}, options: { update?: boolean } = {}): ColumnMapping {
  const columns = fieldColumns(schema);
  const hasName = Object.hasOwn(schema.fields.shape, 'name');
  const known = new Set([...columns.map((c) => c.key), ...(hasName ? [FIRST_NAME, LAST_NAME] : [])]);
  const issues: FieldIssue[] = [];
  for (const [column, field] of Object.entries(explicit)) {
    if (!header.includes(column)) issues.push({ path: `mapping.${column}`, message: 'is not a column of the file', value: column });
    else if (field !== null && !known.has(field)) issues.push({ path: `mapping.${column}`, message: 'is not a known field', value: field });
  }
  const isList = (field: string) => field !== FIRST_NAME && field !== LAST_NAME && holdsList(schema.fields.shape[field]);

  const ownNames = new Map<string, string>();
  for (const { key, label } of columns) {
    for (const name of [key, label, key.replace(/s$/, ''), label.replace(/s$/, '')]) if (!ownNames.has(squash(name))) ownNames.set(squash(name), key);
  }
  const synonyms = new Map<string, string>();
  for (const { key } of columns) for (const name of synonymsOf(schema.type.key, key)) if (!synonyms.has(squash(name)) && !ownNames.has(squash(name))) synonyms.set(squash(name), key);
  const parts = new Map<string, string>([...NAME_PARTS.first.map((n) => [squash(n), FIRST_NAME] as const), ...NAME_PARTS.last.map((n) => [squash(n), LAST_NAME] as const)]);

  // By the type's own names first, then by synonyms for fields still free, then name parts if the name is.
  const fields: Array<string | undefined> = header.map((cell) => (cell in explicit ? (explicit[cell] ?? undefined) : ownNames.get(squash(cell))));
  const taken = () => new Set(fields.filter((f): f is string => f !== undefined));
  header.forEach((cell, i) => {
    if (cell in explicit || fields[i]) return;
    const field = synonyms.get(squash(cell));
    if (field && (!taken().has(field) || isList(field))) fields[i] = field;
  });
  if (hasName && !taken().has('name')) {
    header.forEach((cell, i) => {
      const part = !(cell in explicit) && !fields[i] ? parts.get(squash(cell)) : undefined;
      if (part && !taken().has(part)) fields[i] = part;
    });
  }

  // The name from first and last name, when no column gives it: those of no field, else the type's own fields for them.
  const partOf = (i: number): 'first' | 'last' | undefined => {
    if (fields[i] === FIRST_NAME || fields[i] === LAST_NAME) return fields[i] === FIRST_NAME ? 'first' : 'last';
    const label = columns.find((c) => c.key === fields[i])?.label;
    if (!label) return undefined;
    return NAME_PARTS.first.some((n) => squash(n) === squash(label)) ? 'first' : NAME_PARTS.last.some((n) => squash(n) === squash(label)) ? 'last' : undefined;
  };
  let nameParts: ColumnMapping['nameParts'];
  if (hasName && !fields.includes('name')) {
    header.forEach((_, i) => {
      const part = partOf(i);
      if (part && nameParts?.[part] === undefined) nameParts = { ...nameParts, [part]: i };
    });
  }

  const seen = new Set<string>();
  fields.forEach((field, i) => {
    if (field && seen.has(field) && !isList(field)) issues.push({ path: `mapping.${header[i]}`, message: `is a second column for the field ${field}`, value: header[i] });
    if (field) seen.add(field);
  });
  if (seen.has('name') && (seen.has(FIRST_NAME) || seen.has(LAST_NAME))) issues.push({ path: 'mapping', message: 'has a column for the name and columns for parts of it: map one or the other' });
  for (const { key } of columns) {
    const given = seen.has(key) || (key === 'name' && nameParts !== undefined);
    if (!options.update && !given && !schema.fields.shape[key].safeParse(undefined).success) issues.push({ path: `mapping`, message: `has no column for the required field ${key}` });
  }
  if (issues.length > 0) throw new FieldValidationError(issues);
  const position = (name: string) => {
    const at = header.findIndex((cell, i) => fields[i] === undefined && !(cell in explicit) && squash(cell) === squash(name));
    return at < 0 ? undefined : at;
  };
  const idColumn = position(ID_COLUMN);
  const versionColumn = position(VERSION_COLUMN);
  const special = (i: number) => options.update && (i === idColumn || i === versionColumn);
  return { fields, ignored: header.filter((cell, i) => fields[i] === undefined && !(cell in explicit) && !special(i)), idColumn, versionColumn, ...(nameParts ? { nameParts } : {}) };
}
