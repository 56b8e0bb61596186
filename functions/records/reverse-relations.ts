/**
 * The reverse-relation index: for every record a relation points at, which records point at it
 * and through which field. One derived item per (target ← referrer, field), written in the same
 * transaction as the relation (derived-items.ts):
 *
 *   pk = `T#<tenant>#REFS#<TARGET TYPE>#<target id>`, sk = `<TYPE>#<referrer id>#<field>`
 *
 * so a merge finds the records to move with one consistent Query instead of reading every
 * referring type. Top-level relation fields only (a contact's `companyIds`, a deal's `companyId`,
 * custom relation fields); ids nested in a deal's lines (`lines.productId`, up to 200) are not
 * indexed: they would not fit a record's share of one transaction (a merge finds those records
 * in the type's view snapshot instead, duplicates/referrers.ts).
 */
import { queryAll } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { DerivedEntry, IndexedType } from './derived-items.ts';
import type { RecordType } from './keys.ts';

export const referencesPk = (tenant: string, target: RecordType, id: string) => ITEM_KINDS.references.pk(tenant, target, id);

/** A record pointing at another: its type, id and the field holding the other's id. */
export interface Reference {
  type: RecordType;
  id: string;
  field: string;
}

/** The reverse-relation items of the record as it is. */
export function referenceEntries(tenant: string, indexed: IndexedType, record: Record<string, unknown> & { id: string }): DerivedEntry[] {
  return indexed.relations
    .filter((relation) => !relation.path.includes('.'))
    .flatMap(({ path, target }) =>
      [...new Set([record[path]].flat().filter((id): id is string => typeof id === 'string' && id !== ''))].map((id) => ({
        item: { pk: referencesPk(tenant, target, id), sk: `${indexed.key}#${record.id}#${path}`, type: indexed.key, id: record.id, field: path },
        field: path,
      })),
    );
}

/** Every record whose relations name `id` of type `target`, read consistently (a relation set a moment ago counts). */
export async function referencesTo(tenant: string, target: RecordType, id: string): Promise<Reference[]> {
  const items = await queryAll('read references', {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': referencesPk(tenant, target, id) },
    ConsistentRead: true,
  });
  return items.map((item) => ({ type: item.type as string, id: item.id as string, field: item.field as string }));
}
