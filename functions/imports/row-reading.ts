/**
 * One row of an imported file as the fields of a record, cell by cell: a cell that cannot be
 * read, or whose value its field refuses, is left out and named with why, in plain words
 * (contracts/plain-words.ts), while the row's other cells still count. Whether the row can be
 * written without it (a required field) is the import's to decide (run-import.ts).
 *
 * The same for every file, whether its body came in the request or from the bucket.
 */
import type { z } from 'zod';
import { plainCellReason, plainIssue } from '../contracts/plain-words.ts';
import { readCell, type CellReading } from '../contracts/cell-text.ts';
import { FIRST_NAME, LAST_NAME, type ColumnMapping } from '../csv/columns.ts';
import { unguardCell } from '../csv/formula-guard.ts';
import type { RecordType } from '../records/keys.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import type { CellNames } from './cell-names.ts';

/** How the file's columns are read: the field of each, its header cell, and the names in user and relation cells. */
export interface FileColumns {
  mapping: ColumnMapping;
  header: string[];
  names: CellNames;
}

/** A cell not taken as it was: its column and why (a sentence: `Employees: "approx 40" is not a number ...`). */
export interface CellProblem {
  column: string;
  reason: string;
}

/** Names in a relation cell that no record has: the import may create them, or leave them out. */
export interface MissingNames {
  field: string;
  column: string;
  target: RecordType;
  names: string[];
}

export interface RowRead {
  /** The values read, each valid for its field. */
  fields: Record<string, unknown>;
  /** Fields whose cells were empty (an update clears them). */
  empty: string[];
  problems: CellProblem[];
  missing: MissingNames[];
}

export function readRow(schema: RecordSchema, { mapping, header, names }: FileColumns, cells: string[], reading: CellReading): RowRead {
  const shape = schema.fields.shape as Record<string, z.ZodType>;
  const values = new Map<string, { value: unknown; text: string; column: string }>();
  const problems: CellProblem[] = [];
  const missing: MissingNames[] = [];
  const empty = new Set<string>();
  const put = (field: string, column: string, text: string, value: unknown) => {
    // A list whose every part was left out is no value: the field is not given (an update leaves it as it was).
    if (Array.isArray(value) && value.length === 0) return;
    const earlier = values.get(field);
    // Several columns of one list field (Phone, Mobile) are joined.
    if (earlier && Array.isArray(earlier.value) && Array.isArray(value)) values.set(field, { value: [...earlier.value, ...value], text: `${earlier.text}; ${text}`, column: `${earlier.column}, ${column}` });
    else values.set(field, { value, text, column });
  };

  mapping.fields.forEach((field, i) => {
    if (!field) return;
    const column = header[i];
    const text = unguardCell((cells[i] ?? '').trim());
    if (text === '') return void empty.add(field);
    if (field === FIRST_NAME || field === LAST_NAME) return; // the name's alone: joined below
    const named = names.read(i, text);
    if (named) {
      // Its reason names the name already: `2 companies are named "Twin"`.
      if ('refused' in named) return void problems.push({ column, reason: `${column}: ${named.refused}` });
      if (named.missing) missing.push({ field, column, ...named.missing });
      if (named.value !== undefined) put(field, column, text, named.value);
      return;
    }
    const read = readCell(shape[field], text, reading);
    if ('refused' in read) return void problems.push({ column, reason: plainCellReason(column, text, read.refused) });
    for (const problem of read.problems ?? []) problems.push({ column, reason: `${column}: ${problem}` });
    put(field, column, text, read.value);
  });
  if (mapping.nameParts) {
    const parts = [mapping.nameParts.first, mapping.nameParts.last].filter((at): at is number => at !== undefined);
    const name = parts.map((at) => unguardCell((cells[at] ?? '').trim())).filter(Boolean).join(' ');
    if (name) put('name', parts.map((at) => header[at]).join(' + '), name, name);
    else empty.add('name');
  }

  // Each value by its field's own schema, as the API would take it alone.
  const fields: Record<string, unknown> = {};
  for (const [field, { value, text, column }] of values) {
    const parsed = shape[field].safeParse(value);
    if (parsed.success) {
      fields[field] = parsed.data;
      empty.delete(field);
    } else {
      problems.push({ column, reason: plainCellReason(column, text, plainIssue(parsed.error.issues[0])) });
      empty.delete(field);
    }
  }
  return { fields, empty: [...empty].filter((field) => !(field in fields) && field !== FIRST_NAME && field !== LAST_NAME), problems, missing };
}
