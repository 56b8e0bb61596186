/**
 * Search by name, e-mail, phone and domain: prefix, case- and accent-insensitive, over the
 * search entries every record write keeps in step (search-keys.ts). The query is read as each
 * kind it can be (`ada` is a name prefix and an e-mail prefix; `+44 20` a phone prefix in
 * E.164), the partitions are queried in parallel, and hits are merged, one per record, with
 * the record's current name and version read in one BatchGetItem.
 */
import type { SearchHit } from '../contracts/search.ts';
import { visibleRecords } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { queryAll } from '../store/commands.ts';
import { recordTypeWithKey, type RecordTypeSpec } from '../records/record-types.ts';
import { normalised, searchPk, type SearchKind } from '../records/search-keys.ts';

interface EntryQuery {
  pk: string;
  prefix: string;
  /** E-mail, domain and phone partitions hold every type: the types asked for. */
  types?: string[];
}

interface Entry {
  recordType: string;
  id: string;
  kind: SearchKind;
  value: string;
}

/** Hits among the records in the actor's scope. */
export async function searchRecords(actor: Actor, q: string, types: readonly RecordTypeSpec[], limit: number): Promise<SearchHit[]> {
  const { tenant } = actor;
  const text = normalised(q);
  if (!text) return [];
  const searched = (kind: string) => types.filter((type) => type.search.some((key) => key.kind === kind));
  // Names first: a record found by name and e-mail is reported as found by name.
  const queries: EntryQuery[] = searched('name').map((type) => ({ pk: searchPk(tenant, 'NAME', type.key, text), prefix: text }));
  const crossType = (kind: 'EMAIL' | 'DOMAIN' | 'PHONE', prefix: string): EntryQuery => ({ pk: searchPk(tenant, kind, '', prefix), prefix, types: searched(kind.toLowerCase()).map((type) => type.key) });
  if (!text.includes(' ')) {
    if (searched('email').length) queries.push(crossType('EMAIL', text));
    if (searched('domain').length) queries.push(crossType('DOMAIN', text));
  }
  const digits = q.replace(/[\s().-]/g, '');
  if (/^\+?\d{2,}$/.test(digits) && searched('phone').length) queries.push(crossType('PHONE', `+${digits.replace('+', '')}`));

  const wanted = new Set(types.map((type) => type.key));
  const entries = new Map<string, Entry>();
  for (const found of await Promise.all(queries.map((query) => run(query, limit)))) {
    for (const entry of found) {
      const key = `${entry.recordType}#${entry.id}`;
      if (wanted.has(entry.recordType) && !entries.has(key)) entries.set(key, entry);
    }
  }
  const keys = [...entries.values()].map((entry) => ({ type: entry.recordType, id: entry.id }));
  // A hit needs the name, version and detail: up to 50 entries of each type's name are read.
  const records = new Map((await visibleRecords(actor, keys, ['name', 'domain', 'emails', 'email'])).map((r) => [r.id, r]));
  const hits = [...entries.values()].flatMap((entry): SearchHit[] => {
    const record = records.get(entry.id);
    const type = recordTypeWithKey(entry.recordType);
    if (!record || !type) return [];
    return [{ type: type.name, id: record.id, name: record.name as string, version: record.version, match: { kind: entry.kind.toLowerCase() as SearchHit['match']['kind'], value: entry.value }, detail: detailOf(record) }];
  });
  return hits.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit);
}

/** Up to `limit` entries of the partition starting with the prefix (of the types asked for: a filter, so page on until enough). */
async function run(query: EntryQuery, limit: number): Promise<Entry[]> {
  const types = Object.fromEntries((query.types ?? []).map((type, i) => [`:t${i}`, type]));
  const input = {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: query.types ? `recordType IN (${Object.keys(types).join(', ')})` : undefined,
    ExpressionAttributeValues: { ':pk': query.pk, ':prefix': query.prefix, ...types },
    ConsistentRead: true,
    Limit: limit,
  };
  return (await queryAll('search', input, limit)) as unknown as Entry[];
}

/** A line under the name in pickers: the domain, else the first e-mail (contacts, leads). */
function detailOf(record: Record<string, unknown>): string | undefined {
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
  const detail = first(record.domain) ?? first(record.emails) ?? first(record.email);
  return typeof detail === 'string' && detail ? detail : undefined;
}
