/**
 * Keys no new field may take: a field whose values were purged, or are being purged, keeps its
 * purge job as a tombstone (purges/field-purge.ts), so values left on a record by a purge cut
 * short never come back to life under a new field that got the same key.
 */
import { callStore, getItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

/** The partition of a type's purge jobs, one item per purged key. */
export const purgePk = (tenant: string, type: string) => ITEM_KINDS.fieldPurges.pk(tenant, type);

/** Whether a key belonged to a field whose values were (or are being) purged: a new field must not take it. */
export async function keyRetired(tenant: string, type: string, key: string): Promise<boolean> {
  const result = await callStore('read field purge', () => getItem({ Key: { pk: purgePk(tenant, type), sk: key }, ConsistentRead: true }));
  return Boolean(result.Item);
}
