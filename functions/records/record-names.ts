/**
 * Names of records by id, for cells that hold ids (relations): one BatchGetItem per 100 ids,
 * strongly consistent, keeping to what the actor may see (its scope per type; a type its role
 * does not read has nothing in scope). Only the names are read: 1,000 ids of records of up to
 * 400 KB were 400 MB to read for 1,000 names.
 */
import { visibleRecords } from './repository.ts';
import type { Actor } from '../access/actor.ts';
import type { RecordTypeSpec } from './record-types.ts';

export async function recordNames(actor: Actor, type: RecordTypeSpec, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  const found = new Map((await visibleRecords(actor, ids.map((id) => ({ type: type.key, id })), ['name'])).map((record) => [record.id, record]));
  return [...new Set(ids)].flatMap((id) => {
    const record = found.get(id);
    if (!record) return [];
    return [{ id, name: typeof record.name === 'string' ? record.name : '' }];
  });
}
