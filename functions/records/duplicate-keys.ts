/**
 * Finding a record by a value that makes two records duplicates (a contact's e-mail or phone, a
 * company's domain or tax id). A GSI key holds one value per item, but a contact has up to 20
 * e-mails, so each value gets a small lookup item of its own:
 *
 *   pk = `T#<tenant>#<TYPE>#KEY#<field>#<normalised value>`, sk = `<record id>`
 *
 * Lookup items are derived items (derived-items.ts): written in the same transaction as the
 * record, from the record before and after: added values are put, removed ones deleted. A record in the
 * trash has none, so only live records are found; a restore puts them back. Reading them is a
 * strongly consistent Query on the main table (no GSI lag), which an import's deduplication and
 * a merge need.
 */
import { recordTypeWithKey } from './record-types.ts';
import type { RecordType } from './keys.ts';
import type { DerivedEntry } from './derived-items.ts';
import { recordItemsPk } from '../store/item-kinds.ts';

export const lookupPk = (tenant: string, type: RecordType, key: DuplicateKey) => recordItemsPk(tenant, type, 'KEY', key.field, key.value);

/** One value under which a record can be found: `{field: 'emails', value: 'ada@example.com'}`. */
export interface DuplicateKey {
  field: string;
  value: string;
}

/**
 * Values are stored normalised already (e-mails and domains lower case, phones E.164); a tax id
 * is free text, so its spacing and punctuation are dropped: `DE 123-456` is `DE123456`.
 */
const normalise = (field: string, value: string) => (field === 'taxId' ? value.toUpperCase().replace(/[^0-9A-Z]/g, '') : value);

/** The keys of a record as stored; none while it is in the trash. Sets of several fields join their values with `|`. */
export function duplicateKeys(type: RecordType, record: Record<string, unknown>): DuplicateKey[] {
  if (record.deletedAt) return [];
  const sets = recordTypeWithKey(type)?.duplicates ?? [];
  const keys = sets.flatMap((fields) =>
    fields
      .map((field) => valuesOf(record[field]).map((value) => normalise(field, value)))
      .reduce<string[]>((combined, values) => combined.flatMap((prefix) => values.map((value) => (prefix ? `${prefix}|${value}` : value))), [''])
      .filter(Boolean)
      .map((value) => ({ field: fields.join('+'), value })),
  );
  return [...new Map(keys.map((key) => [`${key.field}#${key.value}`, key])).values()];
}

/** The lookup items of the record as it is (derived-items.ts keeps them in step with it). */
export function lookupEntries(tenant: string, type: RecordType, record: Record<string, unknown> & { id: string }): DerivedEntry[] {
  return duplicateKeys(type, record).map((key) => ({ item: { pk: lookupPk(tenant, type, key), sk: record.id, id: record.id }, field: key.field.split('+')[0] }));
}

function valuesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
