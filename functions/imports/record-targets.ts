/**
 * The records the rows of an update name: by the file's `Id` column, else by a value that makes
 * two records duplicates (a contact's e-mail or phone, a company's domain or tax id), exactly
 * one live record in the importer's scope. A row naming none is a new record; an id of nothing
 * (or of a record the importer may not see: alike), and a value several records share, refuse
 * the row with why. The `Version` column, if the file has one, is the version the row was
 * exported at: the update checks it as the grid checks the version a cell was edited at.
 *
 * One read per batch: a BatchGetItem of the ids, a Query per key value, a BatchGetItem of what those found.
 */
import { ULID } from '../contracts/values.ts';
import { idsWithKeys } from '../duplicates/find-duplicates.ts';
import type { DuplicateKey } from '../records/duplicate-keys.ts';
import type { StoredRecord } from '../records/errors.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { visibleRecords } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';

export type Target =
  | { kind: 'record'; record: StoredRecord; version?: number }
  | { kind: 'new' }
  /** Its key is a record's the importer may not see: skipped as a duplicate, as a creation would be. */
  | { kind: 'hidden'; id: string; match: string }
  | { kind: 'refused'; column: string; reason: string };

export interface Naming {
  /** The row's `Id` and `Version` cells (trimmed), if the file has those columns. */
  id?: string;
  version?: string;
  keys: DuplicateKey[];
}

export async function targetsOf(actor: Actor, schema: RecordSchema, rows: Naming[]): Promise<Target[]> {
  const type = schema.type.key;
  const ids = rows.flatMap((row) => (row.id && ULID.test(row.id) ? [row.id] : []));
  const byKey = await idsWithKeys(actor.tenant, type, rows.flatMap((row) => (row.id ? [] : row.keys)));
  const keyName = (key: DuplicateKey) => `${key.field}#${key.value}`;
  const idsOfKey = new Map<string, string[]>();
  for (const [id, keys] of byKey) for (const key of keys) idsOfKey.set(keyName(key), [...(idsOfKey.get(keyName(key)) ?? []), id]);
  // The records the importer may change: live and in their scope. A key's records out of their
  // scope are known by their lookup items alone: a row matching one is skipped as a duplicate.
  const visible = new Map((await visibleRecords(actor, [...new Set([...ids, ...byKey.keys()])].map((id) => ({ type, id })))).map((record) => [record.id, record]));

  return rows.map((row): Target => {
    const version = row.version ? Number(row.version) : undefined;
    if (version !== undefined && !(Number.isInteger(version) && version >= 1)) return { kind: 'refused', column: 'Version', reason: `Version: "${row.version}" is not a version number (a whole number from an export)` };
    if (row.id) {
      const record = visible.get(row.id);
      if (!record) return { kind: 'refused', column: 'Id', reason: `Id: "${row.id}" is no ${schema.type.name} you may change (deleted, or never one)` };
      return { kind: 'record', record, version };
    }
    const matches = new Map<string, DuplicateKey>();
    for (const key of row.keys) for (const id of idsOfKey.get(keyName(key)) ?? []) if (!matches.has(id)) matches.set(id, key);
    const changeable = [...matches.keys()].filter((id) => visible.has(id));
    if (changeable.length === 1) return { kind: 'record', record: visible.get(changeable[0])!, version };
    if (changeable.length > 1) {
      const key = matches.get(changeable[0])!;
      return { kind: 'refused', column: key.field, reason: `${changeable.length} ${schema.type.plural} have ${key.value}: add an Id column to say which to change` };
    }
    const [hidden] = matches;
    return hidden ? { kind: 'hidden', id: hidden[0], match: `${hidden[1].field} ${hidden[1].value}` } : { kind: 'new' };
  });
}
