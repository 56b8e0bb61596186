/**
 * The table's key design for records (see functions/README.md). Every key starts with the
 * tenant, so a key built for one tenant can never address another tenant's item; the store's
 * registry of item kinds builds the partitions (store/item-kinds.ts).
 */
import { ITEM_KINDS, parseRecordItemsPk, recordItemsPk } from '../store/item-kinds.ts';

/** A record type's key, e.g. `COMPANY` (see record-types.ts for the registry). */
export type RecordType = string;

export const RECORD_SK = 'RECORD';
export const HISTORY_SK_PREFIX = 'HISTORY#';

/** A record and its history share one item collection: `T#<tenant>#<TYPE>#<id>`. */
export const recordPk = (tenant: string, type: RecordType, id: string) => recordItemsPk(tenant, type, id);

/** History items sort by version inside the record's collection. */
export const historySk = (version: number) => `${HISTORY_SK_PREFIX}${String(version).padStart(10, '0')}`;

/** gsi1 lists one tenant's live records of one type, oldest first (ids are ULIDs). */
export const listKeys = (tenant: string, type: RecordType, id: string) => ({ gsi1pk: recordItemsPk(tenant, type), gsi1sk: id });

/** A trashed record moves to its own gsi1 partition: lists skip it, the trash lists it. */
export const trashKeys = (tenant: string, type: RecordType, id: string) => ({ gsi1pk: ITEM_KINDS.trash.pk(tenant, type), gsi1sk: id });

/**
 * gsi5 lists one tenant's records of one type by the time of their last change, live and
 * trashed alike (a trashing is a change too), so a reader that keeps the type in memory
 * (views/type-snapshot.ts) asks only for what changed since it last looked.
 */
export const changeKeys = (tenant: string, type: RecordType, record: { id: string; updatedAt?: unknown }) => ({
  gsi5pk: recordItemsPk(tenant, type),
  gsi5sk: `${String(record.updatedAt ?? '')}#${record.id}`,
});

/**
 * Every index key of a record item, from the record as it is stored: each write puts the whole
 * item with all of them, so none is ever stale. A trashed record is in no list. (Search and
 * lookups are separate items derived from the record: derived-items.ts.)
 */
export function indexKeys(tenant: string, type: RecordType, record: { id: string; deletedAt?: string; [field: string]: unknown }): Record<string, string> {
  if (record.deletedAt) return { ...trashKeys(tenant, type, record.id), ...changeKeys(tenant, type, record) };
  return { ...listKeys(tenant, type, record.id), ...changeKeys(tenant, type, record) };
}

/** Reads tenant, type and id back from a record item's partition key (as the stream sees it). */
export function parseRecordPk(pk: string): { tenant: string; type: string; id: string } | undefined {
  return parseRecordItemsPk(pk);
}
