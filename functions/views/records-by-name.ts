/**
 * A type's live records by name, as a typed or pasted name reads back: exact name, case, accents
 * and runs of spaces aside (contracts/user-labels.ts `foldName`). Shared by the CSV import
 * (imports/cell-names.ts) and the grid's paste (`POST /api/{plural}/ids-by-name`), so both match
 * alike. A record out of the actor's scope (or of a type its role does not read) is never matched,
 * so a name tells nothing of it.
 *
 * The index covers the whole snapshot (type-snapshot.ts), kept beside it and brought up to each
 * new generation by the records changed since: a paste of 1,000 names into a view of 100,000
 * records folds those names, not 100,000 others; scope is applied to the matches, so every
 * caller shares one index.
 */
import { foldName } from '../contracts/user-labels.ts';
import type { RecordType } from '../records/keys.ts';
import type { Actor } from '../access/actor.ts';
import { scopeFilter } from '../access/record-scope.ts';
import { typeSnapshot, type TypeSnapshot } from './type-snapshot.ts';

/** A record a name matched. */
export interface NamedRecord {
  id: string;
  name: string;
  /** The record as the snapshot holds it: whose it is decides who may match it. */
  record: Readonly<Record<string, unknown>>;
}

/** A snapshot's records by folded name, as of one of its generations. */
interface NameIndex {
  generation: number;
  byName: Map<string, NamedRecord[]>;
  /** Each indexed record's folded name: where to take it from when it changes. */
  keyOf: Map<string, string>;
}

const indexes = new WeakMap<TypeSnapshot, NameIndex>();

/** The records of `target` the actor may see whose name is the one given (folded): none, one or several. */
export async function recordsByName(actor: Pick<Actor, 'tenant' | 'visibleUsers'>, target: RecordType): Promise<(name: string) => NamedRecord[]> {
  const snapshot = await typeSnapshot(actor.tenant, target);
  const byName = nameIndex(snapshot);
  const inScope = scopeFilter(actor, target);
  return (name) => (byName.get(foldName(name)) ?? []).filter((named) => !inScope || inScope(named.record));
}

/**
 * The snapshot's index, brought up to its generation: by the records changed since (the
 * snapshot's change log) when it reaches back that far, else built afresh. Folding every name
 * of 100,000 records takes a second or two; a paste after a few changes refolds those alone.
 */
function nameIndex(snapshot: TypeSnapshot): Map<string, NamedRecord[]> {
  const kept = indexes.get(snapshot);
  if (kept?.generation === snapshot.generation) return kept.byName;
  const changed = kept && snapshot.changedSince(kept.generation);
  const index = kept && changed ? kept : { generation: 0, byName: new Map<string, NamedRecord[]>(), keyOf: new Map<string, string>() };
  for (const id of changed ?? snapshot.records.keys()) {
    unindex(index, id);
    const record = snapshot.records.get(id);
    if (record && typeof record.name === 'string') add(index, { id, name: record.name, record });
  }
  index.generation = snapshot.generation;
  indexes.set(snapshot, index);
  return index.byName;
}

function add(index: NameIndex, record: NamedRecord): void {
  const key = foldName(record.name);
  index.keyOf.set(record.id, key);
  const list = index.byName.get(key);
  if (list) list.push(record);
  else index.byName.set(key, [record]);
}

function unindex(index: NameIndex, id: string): void {
  const key = index.keyOf.get(id);
  if (key === undefined) return;
  index.keyOf.delete(id);
  const rest = index.byName.get(key)!.filter((record) => record.id !== id);
  if (rest.length) index.byName.set(key, rest);
  else index.byName.delete(key);
}
