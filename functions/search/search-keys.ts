/**
 * The search index keys of a record (gsi2..gsi4), from its type's `search` description. Values
 * are stored normalised, so a prefix query is case- and accent-insensitive:
 *
 * - gsi2: name, per type: `T#<tenant>#<TYPE>#NAME` / `<name>#<id>`
 * - gsi3: e-mail, across types: `T#<tenant>#EMAIL` / `<email>#<TYPE>#<id>`; a company is indexed
 *   by its `domain` instead: `T#<tenant>#DOMAIN` / `<domain>#COMPANY#<id>`
 * - gsi4: phone (E.164), across types: `T#<tenant>#PHONE` / `<+digits>#<TYPE>#<id>`
 *
 * One value per index per item: a record with several e-mails or phones is found by its first.
 */
import { recordTypeWithKey } from '../records/record-types.ts';
import type { SearchKey } from '../contracts/record-type.ts';

export type SearchKind = 'NAME' | 'EMAIL' | 'DOMAIN' | 'PHONE';

/** Lower case, accents and repeated spaces dropped, cut to a length a key holds with room to spare. */
export function normalised(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ').slice(0, 300);
}

export const searchPk = (tenant: string, kind: SearchKind, type?: string) => (kind === 'NAME' ? `T#${tenant}#${type}#NAME` : `T#${tenant}#${kind}`);

/** Where each kind of search key goes, and which record field fills it. */
const INDEX_OF: Record<SearchKind, 'gsi2' | 'gsi3' | 'gsi4'> = { NAME: 'gsi2', EMAIL: 'gsi3', DOMAIN: 'gsi3', PHONE: 'gsi4' };

export function searchIndexKeys(tenant: string, type: string, record: Record<string, unknown>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const { kind, field } of searchKeysOf(type)) {
    const value = firstString(record[field]);
    if (!value) continue;
    const index = INDEX_OF[kind];
    // The domain of a company takes gsi3 before any e-mail of it: companies are looked up by domain.
    if (keys[`${index}pk`] && kind !== 'DOMAIN') continue;
    keys[`${index}pk`] = searchPk(tenant, kind, type);
    keys[`${index}sk`] = kind === 'NAME' ? `${normalised(value)}#${record.id}` : `${normalised(value)}#${type}#${record.id}`;
  }
  return keys;
}

function searchKeysOf(type: string): Array<{ kind: SearchKind; field: string }> {
  const kinds: Partial<Record<SearchKey['kind'], SearchKind>> = { name: 'NAME', email: 'EMAIL', domain: 'DOMAIN', phone: 'PHONE' };
  return (recordTypeWithKey(type)?.search ?? []).flatMap(({ kind, field }) => (kinds[kind] ? [{ kind: kinds[kind]!, field }] : []));
}

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
