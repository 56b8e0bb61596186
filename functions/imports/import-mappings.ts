/**
 * What a person mapped the columns of their files to, remembered per user and record type: the
 * next file with a column "Mobil" they sent to Phones goes there again, read with the country
 * and number format they chose. Per user rather than per tenant: one person's files come from
 * the same places again and again, while another's odd file should not change everyone's
 * defaults; the import dialog asks for them (`GET /api/imports/mappings/{type}`) and sends them
 * as the mapping, so an import itself never depends on what is remembered.
 *
 * One item per user and type (`T#<tenant>#IMPORTMAPPINGS#<sub>` / `<TYPE>`), written when an
 * import (not a dry run) starts with choices made; the latest choice for a header cell wins, and
 * the most recent MAPPED_COLUMNS header cells are kept.
 */
import type { ImportQuery, RememberedMapping } from '../contracts/imports.ts';
import type { RecordType } from '../records/keys.ts';
import { callStore, getItem, putItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

const MAPPED_COLUMNS = 200;

const key = (tenant: string, sub: string, type: RecordType) => ({ pk: ITEM_KINDS.importMappings.pk(tenant, sub), sk: type });

export async function rememberedMapping(tenant: string, sub: string, type: RecordType): Promise<RememberedMapping> {
  const result = await callStore('read the remembered mapping', () => getItem({ Key: key(tenant, sub, type), ConsistentRead: true }));
  const item = result.Item ?? {};
  return { mapping: item.mapping ?? {}, ...(item.country ? { country: item.country } : {}), ...(item.locale ? { locale: item.locale } : {}) };
}

/** Remembers the choices an import was started with (those made, not the defaults). */
export async function rememberMapping(tenant: string, sub: string, type: RecordType, query: Pick<ImportQuery, 'mapping' | 'country' | 'locale'>): Promise<void> {
  if (!query.mapping && !query.country && !query.locale) return;
  const before = await rememberedMapping(tenant, sub, type);
  const merged = Object.entries({ ...before.mapping, ...query.mapping });
  // The latest choices last, so the oldest are the ones dropped.
  const latest = [...merged.filter(([column]) => !(query.mapping && column in query.mapping)), ...Object.entries(query.mapping ?? {})].slice(-MAPPED_COLUMNS);
  const item = { ...key(tenant, sub, type), mapping: Object.fromEntries(latest), country: query.country ?? before.country, locale: query.locale ?? before.locale, updatedAt: new Date().toISOString() };
  await callStore('remember the mapping', () => putItem({ Item: JSON.parse(JSON.stringify(item)) }));
}
