/**
 * What a cell shows where a value holds ids: a user column (owner, assignee, createdBy/updatedBy,
 * custom `user` fields) the user's label (contracts/user-labels.ts, as the grid shows it), a
 * relation column the related record's name, `Hidden record` (contracts/record-names.ts) for one
 * the caller may not see or that is gone; a list of ids a list of names. And where it holds the
 * key of a choice (an activity's kind, contracts/choices.ts), its label. A CSV export writes these
 * and the server's quick search matches them, so a file and a search speak as the grid does.
 *
 * Fast for 100,000 rows: the labels are made once per version of the directory (kept per
 * container, directory/directory.ts), and a
 * related record's name is one Map lookup in its type's snapshot, kept in memory and caught up
 * (type-snapshot.ts), plus a Set lookup for the caller's scope: no read per row.
 */
import { HIDDEN_RECORD } from '../contracts/record-names.ts';
import { choiceLabel } from '../contracts/choices.ts';
import { USER_FIELDS, userLabels } from '../contracts/user-labels.ts';
import type { RecordType } from '../records/keys.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import type { Actor } from '../access/actor.ts';
import { scopeFilter } from '../access/record-scope.ts';
import type { User } from '../contracts/users.ts';
import { currentDirectory, type Directory } from '../directory/directory.ts';
import { typeSnapshot } from './type-snapshot.ts';

/** A column whose values are ids: of users, or of records of the `target` type. */
export type NamedColumn = { kind: 'user' } | { kind: 'relation'; target: RecordType };

/** The columns of the schema whose values are ids, by field key (record metadata included). */
export function namedColumns(schema: RecordSchema): Map<string, NamedColumn> {
  const named = new Map<string, NamedColumn>();
  for (const key of USER_FIELDS) named.set(key, { kind: 'user' });
  for (const definition of schema.definitions) if (definition.type === 'user') named.set(definition.key, { kind: 'user' });
  // A relation inside structured values (a deal's `lines.productId`) is not a column of its own.
  for (const relation of schema.relations) if (!relation.path.includes('.')) named.set(relation.path, { kind: 'relation', target: relation.target as RecordType });
  return named;
}

/** A value as its cell shows it: names for ids (a list's each), any other value as it is. */
export type ShowValue = (value: unknown) => unknown;

/**
 * For each of `columns`, how its cells show a value: undefined for a column that shows the value
 * itself. Reads the directory and the related types' snapshots only when a column needs them.
 */
export async function shownValues(actor: Actor, schema: RecordSchema, columns: readonly string[]): Promise<Array<ShowValue | undefined>> {
  const named = namedColumns(schema);
  const wanted = columns.map((column) => named.get(column));
  const labels = wanted.some((column) => column?.kind === 'user') ? (await directoryLabels(actor.tenant)).labels : undefined;
  const targets = new Set(wanted.flatMap((column) => (column?.kind === 'relation' ? [column.target] : [])));
  const names = new Map(await Promise.all([...targets].map(async (target) => [target, await recordNamer(actor, target)] as const)));
  return wanted.map((column, i) => {
    const choices = schema.type.choices?.[columns[i]];
    if (choices) return (value) => choiceLabel(choices, value);
    if (!column) return undefined;
    // A user the directory does not know (removed from it) keeps their id: nothing to hide, and nothing else to say.
    const name = column.kind === 'user' ? (sub: string) => labels!.get(sub) ?? sub : names.get(column.target)!;
    return (value) => (typeof value === 'string' ? (value === '' ? value : name(value)) : Array.isArray(value) ? value.map((id) => (typeof id === 'string' ? name(id) : id)) : value);
  });
}

const labelsByDirectory = new WeakMap<Directory, ReadonlyMap<string, string>>();

/** The tenant's users and their labels, made once per version of the directory. */
export async function directoryLabels(tenant: string): Promise<{ users: readonly User[]; labels: ReadonlyMap<string, string> }> {
  const directory = await currentDirectory(tenant);
  let labels = labelsByDirectory.get(directory);
  if (!labels) labelsByDirectory.set(directory, (labels = userLabels(directory.users)));
  return { users: directory.users, labels };
}

/** A record's name by id, as the caller may see it: HIDDEN_RECORD outside their scope or gone. */
async function recordNamer(actor: Actor, target: RecordType): Promise<(id: string) => string> {
  const { records } = await typeSnapshot(actor.tenant, target);
  const inScope = scopeFilter(actor, target);
  return (id) => {
    const record = records.get(id);
    if (!record || (inScope && !inScope(record))) return HIDDEN_RECORD;
    return typeof record.name === 'string' ? record.name : '';
  };
}
