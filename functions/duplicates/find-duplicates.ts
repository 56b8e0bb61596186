/**
 * Records that are probably the same counterparty: contacts sharing an e-mail or a phone,
 * companies sharing a domain or a tax id (each type's `duplicates` in contracts/). Found through
 * the lookup items the repository writes with every record (records/duplicate-keys.ts).
 */
import { inParallel } from '../in-parallel.ts';
import { getRecord, listRecords, visibleRecords } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { queryAll } from '../store/commands.ts';
import { duplicateKeys, lookupPk, type DuplicateKey } from '../records/duplicate-keys.ts';
import { present, type RecordSchema } from '../records/record-schema.ts';
import type { RecordType } from '../records/keys.ts';
import type { StoredRecord } from '../records/errors.ts';

export interface DuplicateMatch {
  record: StoredRecord;
  /** The values both records have. */
  keys: DuplicateKey[];
}

/** Ids of live records with each key, read consistently (a record written a moment ago counts). */
export async function idsWithKeys(tenant: string, type: RecordType, keys: DuplicateKey[]): Promise<Map<string, DuplicateKey[]>> {
  const found = new Map<string, DuplicateKey[]>();
  await inParallel(keys, 16, async (key) => {
    const items = await queryAll('read duplicate keys', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': lookupPk(tenant, type, key) },
      ConsistentRead: true,
    });
    for (const item of items) found.set(item.sk as string, [...(found.get(item.sk as string) ?? []), key]);
  });
  return found;
}

/** The live records that share a duplicate key with record `id`, most shared keys first. */
export async function duplicatesOf(actor: Actor, schema: RecordSchema, id: string): Promise<DuplicateMatch[]> {
  const record = await getRecord(actor, schema.type.key, id);
  const matches = await idsWithKeys(actor.tenant, schema.type.key, duplicateKeys(schema.type.key, record));
  matches.delete(id);
  // A duplicate outside the caller's scope is not theirs to see.
  const records = await visibleRecords(
    actor,
    [...matches.keys()].map((other) => ({ type: schema.type.key, id: other })),
  );
  return records
    .map((other) => ({ record: present(other, schema), keys: matches.get(other.id)! }))
    .sort((a, b) => b.keys.length - a.keys.length || a.record.id.localeCompare(b.record.id));
}

export interface DuplicateGroup {
  key: DuplicateKey;
  ids: string[];
}

/**
 * Every group of the tenant's live records of the type that share a key. Reads the whole type
 * once (gsi1, page by page) and groups in memory: a review screen's batch question, not a
 * per-keystroke one (a type of 100,000 records is about 100 pages).
 */
export async function duplicateGroups(actor: Actor, type: RecordType): Promise<DuplicateGroup[]> {
  const byKey = new Map<string, DuplicateGroup>();
  let after: string | undefined;
  do {
    const page = await listRecords(actor, type, { limit: 1000, after });
    for (const record of page.items) {
      for (const key of duplicateKeys(type, record)) {
        const name = `${key.field}#${key.value}`;
        const group = byKey.get(name) ?? { key, ids: [] };
        group.ids.push(record.id);
        byKey.set(name, group);
      }
    }
    after = page.nextCursor;
  } while (after);
  return [...byKey.values()].filter((group) => group.ids.length > 1);
}
