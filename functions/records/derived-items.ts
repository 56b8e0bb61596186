/**
 * Items derived from a record and kept in step with it: the duplicate-key lookups
 * (duplicate-keys.ts), the search entries (records/search-keys.ts) and the reverse relations
 * (reverse-relations.ts). A GSI key holds one value per item, but a record has many values to
 * be found by (20 e-mails, 50 companies), so each value gets a small item of its own.
 *
 * Every write of a record plans them here, from the record before and after the write, and they
 * go into the same TransactWriteItems as the record: items new or changed are put, items no
 * longer derived are deleted, unchanged ones are left alone. So no committed state is ever
 * found by a value it no longer has, or missed by one it has. A record in the trash derives
 * none (trashing deletes them, a restore puts them back).
 *
 * A transaction holds at most 100 items. A record may derive at most 98, so that trashing or
 * restoring any record (record, history and all its derived items) fits in one; a change that
 * would go past either bound is refused, naming the fields that derive the most.
 */
import type { RelationInfo } from '../contracts/record-type.ts';
import { searchEntries } from './search-keys.ts';
import { lookupEntries } from './duplicate-keys.ts';
import { referenceEntries } from './reverse-relations.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import type { RecordType } from './keys.ts';

/** DynamoDB's limit of items in one TransactWriteItems. */
export const TRANSACTION_ITEMS = 100;
/** What one record may derive: a transaction's items less the record and its history item. */
export const MAX_DERIVED_ITEMS = TRANSACTION_ITEMS - 2;

export type ItemKey = { pk: string; sk: string };
export type DerivedItem = ItemKey & Record<string, unknown>;

/** A derived item and the record field whose value made it (to name in a refusal). */
export interface DerivedEntry {
  item: DerivedItem;
  field: string;
}

/**
 * What decides a record's derived items besides its values: its type and the relations the
 * tenant's schema declares, custom relation fields included (`indexedType(schema)`).
 */
export interface IndexedType {
  key: RecordType;
  relations: readonly RelationInfo[];
}

/** Every item the record derives as it is; none while it is in the trash. */
export function derivedEntries(tenant: string, indexed: IndexedType, record: Record<string, unknown> & { id: string }): DerivedEntry[] {
  if (record.deletedAt) return [];
  return [...lookupEntries(tenant, indexed.key, record), ...searchEntries(tenant, indexed.key, record), ...referenceEntries(tenant, indexed, record)];
}

/** The puts and deletes that take the derived items from `before` (absent for a creation) to `after`. */
export function derivedWrites(
  tenant: string,
  indexed: IndexedType,
  before: (Record<string, unknown> & { id: string }) | undefined,
  after: Record<string, unknown> & { id: string },
): { put: DerivedItem[]; delete: ItemKey[] } {
  const keyOf = (item: ItemKey) => `${item.pk}\u0000${item.sk}`;
  const old = new Map((before ? derivedEntries(tenant, indexed, before) : []).map((entry) => [keyOf(entry.item), entry]));
  const next = derivedEntries(tenant, indexed, after);
  if (next.length > MAX_DERIVED_ITEMS) throw tooMany(next, `the record would be indexed by ${next.length} values, at most ${MAX_DERIVED_ITEMS}`);
  const nextKeys = new Set(next.map((entry) => keyOf(entry.item)));
  const put = next.filter((entry) => JSON.stringify(old.get(keyOf(entry.item))?.item) !== JSON.stringify(entry.item));
  const gone = [...old.values()].filter((entry) => !nextKeys.has(keyOf(entry.item)));
  if (put.length + gone.length > MAX_DERIVED_ITEMS) {
    throw tooMany([...put, ...gone], `the change would rewrite ${put.length + gone.length} index entries in one transaction, at most ${MAX_DERIVED_ITEMS}: change fewer values at once`);
  }
  return { put: put.map((entry) => entry.item), delete: gone.map(({ item }) => ({ pk: item.pk, sk: item.sk })) };
}

/** A refusal naming the fields behind most of the entries. */
function tooMany(entries: DerivedEntry[], message: string): FieldValidationError {
  const counts = new Map<string, number>();
  for (const { field } of entries) counts.set(field, (counts.get(field) ?? 0) + 1);
  const heaviest = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return new FieldValidationError(heaviest.map(([field, count]) => ({ path: field, message: `${message} (${count} from this field)` })));
}
