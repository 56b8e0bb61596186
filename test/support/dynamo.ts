/** Shared by the local DynamoDB conformance tests: a server in a temp folder, and real SDK clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { startDynamo, type DynamoOptions, type DynamoServer } from '../../local/dynamo/index.ts';

export const TABLE_NAME = 'sheetflow';

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sheetflow-dynamo-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestDynamo(dataDir: string, options: Partial<DynamoOptions> = {}): Promise<DynamoServer> {
  const server = await startDynamo({ dataDir, port: 0, ttlSweepIntervalMs: 60_000, streamRetryDelayMs: 10, ...options });
  await server.ensureTable();
  return server;
}

export function clientsFor(endpoint: string) {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { raw, doc: DynamoDBDocumentClient.from(raw) };
}

/**
 * The positive sync point before a test asserts that the stream delivered nothing more: puts a
 * marker item and waits until `records()` holds its record. The stream is one ordered sequence,
 * so by then every record of a write made before the marker has been delivered.
 */
export async function deliveredUpToMarker(
  doc: DynamoDBDocumentClient,
  records: () => DynamoDBRecord[],
  marker: string,
  timeout?: number,
): Promise<void> {
  await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: { pk: marker, sk: 'marker' } }));
  await expect.poll(() => records().some((r) => r.dynamodb?.Keys?.pk?.S === marker), { timeout, message: `the marker ${marker} delivered` }).toBe(true);
}

/** A stream consumer that records every batch it is given. */
export function recordingConsumer(respond: (records: DynamoDBRecord[], call: number) => unknown = () => undefined) {
  const batches: DynamoDBRecord[][] = [];
  return {
    batches,
    records: () => batches.flat(),
    consumer: {
      batchSize: 100,
      maxRetries: 10,
      handler: async (event: { Records: DynamoDBRecord[] }) => {
        batches.push(event.Records);
        return respond(event.Records, batches.length);
      },
    },
  };
}

/** The error a request failed with, checked to be of the class the SDK maps DynamoDB's error to. */
export async function rejection<E>(send: Promise<unknown>, errorClass: new (...args: any[]) => E): Promise<E> {
  const err = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof errorClass)) throw new Error(`expected ${errorClass.name}, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}
