import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { TABLE, gsiKeys } from '../../infra/app-resources.ts';

/**
 * The CreateTable request for the application's table, as infra/app-resources.ts declares it:
 * string keys, every GSI at creation (dynalite cannot add one later), on-demand, with a stream.
 * Another name gives a table of the same shape (e.g. one a local component owns).
 */
export function applicationTableDefinition(tableName: string = TABLE.name): CreateTableCommandInput {
  const gsis = TABLE.globalSecondaryIndexes.map((name) => ({ name, ...gsiKeys(name) }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey, ...gsis.flatMap((g) => [g.pk, g.sk])].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: gsis.map((g) => ({
      IndexName: g.name,
      KeySchema: [
        { AttributeName: g.pk, KeyType: 'HASH' },
        { AttributeName: g.sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}
