/**
 * Consumes the table's change stream (NEW_AND_OLD_IMAGES) and writes one change-feed entry per
 * change of a record. Other items (history, the feed itself) are skipped, so the feed's own
 * writes never feed back into it. A failed record is reported by its sequence number; the
 * event source retries from there, and entries already written are found and left alone.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { RECORD_SK, parseRecordPk } from '../records/keys.ts';
import { feedCursor, recordChange, type ChangeEntry } from '../changes/feed.ts';

const CHANGE = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const results = await Promise.allSettled(event.Records.map(feedEntryFor));
  const failed = results.findIndex((result) => result.status === 'rejected');
  if (failed === -1) return { batchItemFailures: [] };
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'could not write change-feed entries',
      cause: String((results[failed] as PromiseRejectedResult).reason),
    }),
  );
  // Records are retried from the first failure on; everything after it is redelivered too.
  return { batchItemFailures: [{ itemIdentifier: event.Records[failed].dynamodb?.SequenceNumber ?? '' }] };
}

async function feedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  const change = record.eventName && CHANGE[record.eventName];
  if (!stream?.Keys || !change || stream.Keys.sk?.S !== RECORD_SK) return;
  const key = parseRecordPk(stream.Keys.pk?.S ?? '');
  if (!key) return;
  const image = stream.NewImage ?? stream.OldImage;
  const seconds = stream.ApproximateCreationDateTime ?? Date.now() / 1000;
  const entry: ChangeEntry = {
    cursor: feedCursor(seconds, stream.SequenceNumber ?? record.eventID ?? '0'),
    type: key.type,
    id: key.id,
    change,
    version: Number(image?.version?.N ?? 0),
    at: new Date(Math.floor(seconds) * 1000).toISOString(),
  };
  await recordChange(key.tenant, entry);
}
