/**
 * The local DynamoDB: dynalite on disk, with what dynalite lacks added in front of it.
 * (First cut: straight dynalite; the shim follows behind the same interface.)
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { TABLE, gsiKeys } from '../../infra/app-resources.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: { path?: string; createTableMs?: number }) => Server;

export interface StreamConsumer {
  handler: (event: DynamoDBStreamEvent, ctx: Context) => Promise<any>;
  batchSize: number;
  maxRetries: number;
}

export interface DynamoServer {
  endpoint: string;
  ensureTable(): Promise<void>;
  attachStreamConsumer(c: StreamConsumer): void;
  close(): Promise<void>;
}

export interface DynamoOptions {
  dataDir: string;
  port: number;
  host?: string;
  ttlSweepIntervalMs?: number;
}

export async function startDynamo(opts: DynamoOptions): Promise<DynamoServer> {
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  const server = dynalite({ path: opts.dataDir, createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const consumers: StreamConsumer[] = [];
  return {
    endpoint,
    ensureTable: () => ensureTable(endpoint),
    attachStreamConsumer: (c) => void consumers.push(c),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

async function ensureTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new DescribeTableCommand({ TableName: TABLE.name }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const gsis = TABLE.globalSecondaryIndexes.map((name) => ({ name, ...gsiKeys(name) }));
  await client.send(
    new CreateTableCommand({
      TableName: TABLE.name,
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
    }),
  );
  client.destroy();
}
