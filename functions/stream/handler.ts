/**
 * Consumes the table's change stream (NEW_AND_OLD_IMAGES): each record goes to every consumer
 * of the list (consumers.ts) that takes its item (the change feed, the purge of a deleted
 * field's values, the steps of a snapshot build). A record one of them fails on is reported by
 * its sequence number; the event source retries from there, and what was done already is
 * found and left alone.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_CONSUMERS } from './consumers.ts';

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const results = await Promise.allSettled(event.Records.map(consume));
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed === -1) return { batchItemFailures: [] };
  const err = (results[failed] as PromiseRejectedResult).reason as Error;
  console.error(JSON.stringify({ level: 'error', message: err.message, cause: String(err.cause) }));
  // Records are retried from the first failure on; everything after it is redelivered too.
  return { batchItemFailures: [{ itemIdentifier: event.Records[failed].dynamodb?.SequenceNumber ?? '' }] };
}

/** Every consumer that takes the record's item, at once; the record fails if one of them does. */
async function consume(record: DynamoDBRecord): Promise<void> {
  const keys = { pk: record.dynamodb?.Keys?.pk?.S ?? '', sk: record.dynamodb?.Keys?.sk?.S ?? '' };
  const taking = STREAM_CONSUMERS.filter((consumer) => consumer.takes(keys));
  const results = await Promise.allSettled(taking.map((consumer) => consumer.run(record)));
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed !== -1) throw new Error(`stream consumer ${taking[failed].name} failed`, { cause: (results[failed] as PromiseRejectedResult).reason });
}
