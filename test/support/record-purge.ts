/**
 * What 30 days in the trash do to a record: DynamoDB's TTL deletes its item, and its history
 * items stay (they carry no TTL). Tests do that at once rather than wait for the sweeper.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { TABLE } from '../../infra/app-resources.ts';
import { recordTypeNamed } from '../../functions/records/record-types.ts';
import { clientsFor } from './dynamo.ts';
import type { ApiClient } from './cloud.ts';

/** Trashes the record (as `client`, at `version`), then removes its item as the TTL does. */
export async function purge(dynamoEndpoint: string, tenant: string, client: ApiClient, type: string, id: string, version: number): Promise<void> {
  const spec = recordTypeNamed(type)!;
  const trashed = await client.delete(`/api/${spec.plural}/${id}?version=${version}`);
  expect(trashed.status, trashed.text).toBe(204);
  const { raw, doc } = clientsFor(dynamoEndpoint);
  try {
    await doc.send(new DeleteCommand({ TableName: TABLE.name, Key: { pk: `T#${tenant}#${spec.key}#${id}`, sk: 'RECORD' }, ConditionExpression: 'attribute_exists(deletedAt)' }));
  } finally {
    raw.destroy();
  }
}
