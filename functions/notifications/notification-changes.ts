/**
 * A user's notifications in the change feed (changes/feed.ts), from the table's stream: the bell
 * hears of one kept, dropped or marked read (in another tab) as grids hear of records, instead of
 * asking every few seconds. A stream consumer (stream/consumers.ts).
 *
 * The entry's audience is the recipient alone (administrators are not told of others'
 * notifications). Its mail being recorded changes nothing the bell shows and makes no entry.
 * Keyed by the stream record, as every feed entry, so a redelivery writes nothing twice.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { NOTIFICATION_FEED_TYPE } from '../contracts/notifications.ts';
import { feedCursor, recordChange, type ChangeEntry } from '../changes/feed.ts';
import { itemOfImage } from '../store/stream-images.ts';

const CHANGE = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const;

export async function notificationFeedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  const change = record.eventName && CHANGE[record.eventName];
  const [before, after] = [stream?.OldImage, stream?.NewImage].map((image) => image && itemOfImage(image));
  const notice = after ?? before;
  if (!stream || !change || !notice || typeof notice.tenant !== 'string' || typeof notice.recipient !== 'string') return;
  if (change === 'updated' && before?.readAt === after?.readAt) return;
  const seconds = stream.ApproximateCreationDateTime ?? Date.now() / 1000;
  const entry: ChangeEntry = {
    cursor: feedCursor(seconds, stream.SequenceNumber ?? record.eventID ?? '0'),
    type: NOTIFICATION_FEED_TYPE,
    id: String(notice.id),
    change,
    version: 0,
    at: new Date(Math.floor(seconds) * 1000).toISOString(),
    audience: { users: [notice.recipient], teams: [], administrators: false },
  };
  await recordChange(notice.tenant, entry);
}
