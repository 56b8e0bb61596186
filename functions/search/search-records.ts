/**
 * Search by name, e-mail, phone and domain: prefix, case- and accent-insensitive, over the
 * index keys every record write sets (search-keys.ts). The query is read as each kind it can
 * be (`ada` is a name prefix and an e-mail prefix; `+44 20` a phone prefix in E.164), the
 * indexes are queried in parallel, and hits are merged, one per record.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SearchHit } from '../contracts/search.ts';
import { documentClient, tableName } from '../table.ts';
import { callStore, inScope, type Actor } from '../records/repository.ts';
import { recordTypeWithKey, type RecordTypeSpec } from '../records/record-types.ts';
import { normalised, searchPk, type SearchKind } from './search-keys.ts';

interface IndexQuery {
  index: 'gsi2' | 'gsi3' | 'gsi4';
  pk: string;
  prefix: string;
  kind: SearchHit['match']['kind'];
  field: (type: RecordTypeSpec) => string | undefined;
}

/** `actor`, when given, keeps to the records in its scope. */
export async function searchRecords(tenant: string, q: string, types: readonly RecordTypeSpec[], limit: number, actor?: Actor): Promise<SearchHit[]> {
  const text = normalised(q);
  if (!text) return [];
  const fieldOf = (kind: string) => (type: RecordTypeSpec) => type.search.find((key) => key.kind === kind)?.field;
  const queries: IndexQuery[] = types
    .filter((type) => fieldOf('name')(type))
    .map((type) => ({ index: 'gsi2', pk: searchPk(tenant, 'NAME', type.key), prefix: text, kind: 'name', field: fieldOf('name') }));
  if (!text.includes(' ')) {
    queries.push(crossType(tenant, 'EMAIL', text, fieldOf('email')), crossType(tenant, 'DOMAIN', text, fieldOf('domain')));
  }
  const digits = q.replace(/[\s().-]/g, '');
  if (/^\+?\d{2,}$/.test(digits)) queries.push(crossType(tenant, 'PHONE', `+${digits.replace('+', '')}`, fieldOf('phone')));

  const wanted = new Set(types.map((type) => type.key));
  const hits = new Map<string, SearchHit>();
  for (const [query, items] of await Promise.all(queries.map(async (query) => [query, await run(query, limit)] as const))) {
    for (const item of items) {
      const type = recordTypeWithKey(item.recordType as string);
      if (!type || !wanted.has(type.key) || hits.has(`${type.key}#${item.id}`) || (actor && !inScope(actor, type.key, item))) continue;
      const value = [item[query.field(type) ?? '']].flat()[0];
      hits.set(`${type.key}#${item.id}`, {
        type: type.name,
        id: item.id as string,
        name: item.name as string,
        version: item.version as number,
        match: { kind: query.kind, value: String(value ?? '') },
      });
    }
  }
  return [...hits.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit);
}

function crossType(tenant: string, kind: Exclude<SearchKind, 'NAME'>, prefix: string, field: IndexQuery['field']): IndexQuery {
  return { index: kind === 'PHONE' ? 'gsi4' : 'gsi3', pk: searchPk(tenant, kind), prefix, kind: kind.toLowerCase() as IndexQuery['kind'], field };
}

async function run(query: IndexQuery, limit: number): Promise<Record<string, unknown>[]> {
  const result = await callStore('search', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: query.index,
        KeyConditionExpression: `${query.index}pk = :pk AND begins_with(${query.index}sk, :prefix)`,
        ExpressionAttributeValues: { ':pk': query.pk, ':prefix': query.prefix },
        Limit: limit,
      }),
    ),
  );
  return result.Items ?? [];
}
