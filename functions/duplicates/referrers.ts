/**
 * The records that point at a record through a relation (a deal's `companyId`, a contact's
 * `companyIds`, an activity's `contactId`, a custom relation field), so that a merge can move
 * them to the survivor.
 *
 * There is no reverse index yet: each referring type's gsi1 partition is read with a filter,
 * which costs a read of every record of those types. Fine for a merge now and then; a reverse
 * relation index (lookup items like duplicate-keys.ts) is the step when merges get frequent.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../table.ts';
import { callStore, readRecords, type Actor } from '../records/repository.ts';
import { listKeys, type RecordType } from '../records/keys.ts';
import { RECORD_TYPES } from '../records/record-types.ts';
import { recordSchemaFor, type RecordSchema } from '../records/record-schema.ts';
import type { StoredRecord } from '../records/errors.ts';

export interface Referrer {
  schema: RecordSchema;
  record: StoredRecord;
  /** The top-level fields that hold the id. */
  fields: string[];
}

/** Live records of any type whose relations name `id` of type `target`. */
export async function referrersOf(actor: Actor, target: RecordType, id: string): Promise<Referrer[]> {
  const referrers: Referrer[] = [];
  for (const type of RECORD_TYPES) {
    const schema = await recordSchemaFor(actor.tenant, type);
    // Nested paths (a deal line's productId) point at products, which have no duplicates to merge.
    const fields = schema.relations.filter((r) => r.target === target && !r.path.includes('.')).map((r) => r.path);
    if (fields.length === 0) continue;
    const ids = await idsReferring(actor.tenant, type.key, fields, id);
    const records = await readRecords(actor.tenant, ids.map((referrer) => ({ type: type.key, id: referrer })));
    for (const record of records) {
      if (record.deletedAt) continue;
      referrers.push({ schema, record, fields: fields.filter((field) => holds(record[field], id)) });
    }
  }
  return referrers;
}

/** The record's relation values with `from` replaced by `to` (once, in lists). */
export function repointed(record: StoredRecord, fields: string[], from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = record[field];
      return [field, Array.isArray(value) ? [...new Set(value.map((v) => (v === from ? to : v)))] : to];
    }),
  );
}

const holds = (value: unknown, id: string) => value === id || (Array.isArray(value) && value.includes(id));

async function idsReferring(tenant: string, type: RecordType, fields: string[], id: string): Promise<string[]> {
  const names = Object.fromEntries(fields.map((field, i) => [`#f${i}`, field]));
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await callStore('find referring records', () =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          // contains() matches a list element, and on a string a substring: ids are all 26
          // characters, so for a single relation that is equality.
          FilterExpression: Object.keys(names).map((name) => `contains(${name}, :id)`).join(' OR '),
          ExpressionAttributeNames: { ...names, '#id': 'id' },
          ExpressionAttributeValues: { ':pk': listKeys(tenant, type, '').gsi1pk, ':id': id },
          ProjectionExpression: '#id',
          ExclusiveStartKey: start,
        }),
      ),
    );
    ids.push(...(page.Items ?? []).map((item) => item.id as string));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}
