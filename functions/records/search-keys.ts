/**
 * The search entries of a record, from its type's `search` description: one small item per
 * value (every e-mail and phone of a record, its name, its domain), derived with the record and
 * written in the same transaction (records/derived-items.ts). Values are stored normalised, so a
 * prefix query (`begins_with`) is case- and accent-insensitive:
 *
 * - name, per type:  pk `T#<tenant>#SEARCH#NAME#<TYPE>#<c>`, sk `<name>#<id>`
 * - e-mail, domain, phone (E.164), across types: pk `T#<tenant>#SEARCH#<KIND>#<c>`,
 *   sk `<value>#<TYPE>#<id>`
 *
 * `<c>` is the value's first character (a phone's first digit): it spreads one tenant's entries
 * over many partitions (an import writes thousands a second), and a prefix query always knows
 * it, since the query starts with it. Entries live on the main table, so a search reads them
 * strongly consistently: a record is found by a value the moment the write is answered.
 */
import { recordTypeWithKey } from './record-types.ts';
import type { SearchKey } from '../contracts/record-type.ts';
import type { DerivedEntry } from './derived-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

export type SearchKind = 'NAME' | 'EMAIL' | 'DOMAIN' | 'PHONE';

/** Lower case, accents and repeated spaces dropped, cut to a length a key holds with room to spare. */
export function normalised(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ').slice(0, 300);
}

/** The partition holding the entries of `kind` (of `type`, for names) that start like `value` (normalised). */
export function searchPk(tenant: string, kind: SearchKind, type: string, value: string): string {
  const first = Array.from(value.replace(/^\+/, ''))[0] ?? '';
  return kind === 'NAME' ? ITEM_KINDS.search.pk(tenant, 'NAME', type, first) : ITEM_KINDS.search.pk(tenant, kind, first);
}

/** The sort key of an entry; a prefix of it is what a search asks for. */
export const searchSk = (kind: SearchKind, type: string, value: string, id: string) => (kind === 'NAME' ? `${value}#${id}` : `${value}#${type}#${id}`);

/** The search entries of the record as it is: `recordType`, `id`, `kind` and the value as stored. */
export function searchEntries(tenant: string, type: string, record: Record<string, unknown> & { id: string }): DerivedEntry[] {
  const entries = new Map<string, DerivedEntry>();
  for (const { kind, field } of searchKeysOf(type)) {
    for (const value of stringsOf(record[field])) {
      const text = normalised(value);
      if (!text) continue;
      const item = { pk: searchPk(tenant, kind, type, text), sk: searchSk(kind, type, text, record.id), recordType: type, id: record.id, kind, value };
      entries.set(`${item.pk}#${item.sk}`, { item, field });
    }
  }
  return [...entries.values()];
}

function searchKeysOf(type: string): Array<{ kind: SearchKind; field: string }> {
  const kinds: Partial<Record<SearchKey['kind'], SearchKind>> = { name: 'NAME', email: 'EMAIL', domain: 'DOMAIN', phone: 'PHONE' };
  return (recordTypeWithKey(type)?.search ?? []).flatMap(({ kind, field }) => (kinds[kind] ? [{ kind: kinds[kind]!, field }] : []));
}

function stringsOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}
