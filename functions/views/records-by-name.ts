/**
 * A type's live records by name, as a typed or pasted name reads back: exact name, case, accents
 * and runs of spaces aside (contracts/user-labels.ts `foldName`). Shared by the CSV import
 * (imports/cell-names.ts) and the grid's paste (`POST /api/{plural}/ids-by-name`), so both match
 * alike. A record out of the actor's scope (or of a type its role does not read) is never matched,
 * so a name tells nothing of it.
 *
 * The index covers the whole snapshot (type-snapshot.ts), built once per generation of it and
 * kept beside it: a paste of 1,000 names into a view of 100,000 records folds those names, not
 * 100,000 others; scope is applied to the matches, so every caller shares one index.
 */
import { foldName } from '../contracts/user-labels.ts';
import type { RecordType } from '../records/keys.ts';
import type { Actor } from '../records/repository.ts';
import { typeSnapshot, type TypeSnapshot } from './type-snapshot.ts';

/** A record a name matched. */
export interface NamedRecord {
  id: string;
  name: string;
  owner: unknown;
}

const indexes = new WeakMap<TypeSnapshot, { generation: number; byName: Map<string, NamedRecord[]> }>();

/** The records of `target` the actor may see whose name is the one given (folded): none, one or several. */
export async function recordsByName(actor: Pick<Actor, 'tenant' | 'visibleOwners'>, target: RecordType): Promise<(name: string) => NamedRecord[]> {
  const snapshot = await typeSnapshot(actor.tenant, target);
  const byName = nameIndex(snapshot);
  const owners = actor.visibleOwners?.(target);
  return (name) => (byName.get(foldName(name)) ?? []).filter((record) => !owners || owners.has(record.owner as string));
}

function nameIndex(snapshot: TypeSnapshot): Map<string, NamedRecord[]> {
  const kept = indexes.get(snapshot);
  if (kept?.generation === snapshot.generation) return kept.byName;
  const byName = new Map<string, NamedRecord[]>();
  for (const record of snapshot.records.values()) {
    if (typeof record.name !== 'string') continue;
    const key = foldName(record.name);
    const named: NamedRecord = { id: record.id, name: record.name, owner: record.owner };
    const list = byName.get(key);
    if (list) list.push(named);
    else byName.set(key, [named]);
  }
  indexes.set(snapshot, { generation: snapshot.generation, byName });
  return byName;
}
