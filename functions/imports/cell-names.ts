/**
 * Names in an imported file's cells read back as the ids they stand for, the inverse of what an
 * export writes (views/shown-names.ts): a user cell names an active user by id, e-mail, name or
 * `Name <e-mail>` (contracts/user-labels.ts, as the grid reads a typed name); a relation cell
 * (`A; B` for several) names records of the target type by id, or by exact name (case, accents
 * and runs of spaces aside) if exactly one record the importer may see has it. A name that
 * matches several refuses the cell with the reason; names that match none are told apart
 * (`missing`): the import may create such records, or leave the link out. A record out of the
 * importer's scope is never matched by its name, so the file learns nothing of it.
 *
 * The names are read once per run: the directory (as kept per container) and each target type's snapshot
 * (kept in memory, type-snapshot.ts), indexed by folded name (views/records-by-name.ts, as the
 * grid's paste reads names): a lookup per cell, no read per row.
 */
import { ULID } from '../contracts/values.ts';
import { userNamed } from '../contracts/user-labels.ts';
import type { User } from '../contracts/users.ts';
import { holdsList } from '../contracts/cell-text.ts';
import type { RecordType } from '../records/keys.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { recordTypeWithKey } from '../records/record-types.ts';
import type { Actor } from '../access/actor.ts';
import { directoryLabels, namedColumns } from '../views/shown-names.ts';
import { recordsByName, type NamedRecord } from '../views/records-by-name.ts';

/**
 * A cell read: the value its field takes (`missing`: names of the cell no record has, left out
 * of the value), or why it cannot be.
 */
export type NamedCell = { value: unknown; missing?: { target: RecordType; names: string[] } } | { refused: string };

/** Reads one column's cells (already trimmed, not empty). */
type Reader = (text: string) => NamedCell;

export class CellNames {
  private constructor(private readonly readers: Array<Reader | undefined>) {}

  /**
   * The readers of the file's columns (`fields`: each column's field, by position): only those
   * of user and relation fields; names are read for those alone.
   */
  static async load(actor: Pick<Actor, 'tenant' | 'visibleUsers'>, schema: RecordSchema, fields: ReadonlyArray<string | undefined>): Promise<CellNames> {
    const named = namedColumns(schema);
    const columns = fields.map((field) => (field ? named.get(field) : undefined));
    const { users: directory, labels } = columns.some((column) => column?.kind === 'user') ? await directoryLabels(actor.tenant) : { users: [], labels: new Map<string, string>() };
    const targets = new Set(columns.flatMap((column) => (column?.kind === 'relation' ? [column.target] : [])));
    const byName = new Map(await Promise.all([...targets].map(async (target) => [target, await recordsByName(actor, target)] as const)));
    return new CellNames(
      columns.map((column, i) => {
        if (!column) return undefined;
        if (column.kind === 'user') return (text) => userCell(directory, labels, text);
        const list = holdsList(schema.fields.shape[fields[i]!]);
        return (text) => relationCell(column.target, byName.get(column.target)!, list, text);
      }),
    );
  }

  /** The cell of column `i` as its field's value, ids for names; undefined for a column of other values. */
  read(i: number, text: string): NamedCell | undefined {
    return this.readers[i]?.(text);
  }
}

function userCell(directory: readonly User[], labels: ReadonlyMap<string, string>, text: string): NamedCell {
  const named = userNamed(directory, labels, text);
  return 'user' in named ? { value: named.user.sub } : named;
}

function relationCell(target: RecordType, named: (name: string) => NamedRecord[], list: boolean, text: string): NamedCell {
  const type = recordTypeWithKey(target);
  const ids: string[] = [];
  const missing: string[] = [];
  for (const part of text.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    if (ULID.test(part)) {
      // An id is taken as it is; the write checks that its record exists (records/relations.ts).
      ids.push(part);
      continue;
    }
    const found = named(part);
    if (found.length === 1) ids.push(found[0].id);
    else if (found.length > 1) return { refused: `${found.length} ${type?.plural ?? 'records'} are named "${part}"` };
    else missing.push(part);
  }
  // Several names for a field of one record: the field's schema refuses the list with its own words.
  const value = list || ids.length + missing.length > 1 ? ids : ids[0];
  return missing.length ? { value, missing: { target, names: missing } } : { value };
}
