/**
 * A user's new notifications in the change feed (changes/feed.ts), from the table's stream: the
 * bell hears of one as grids hear of records, instead of asking every few seconds. A stream
 * consumer (stream/consumers.ts).
 *
 * Only a notification kept makes an entry: its mail recorded, the oldest dropped to keep 1,000, or
 * many marked read at once (a thousand writes) change nothing another tab must show at once (its
 * next read, or the fallback's, has them). The entry's audience is the recipient alone
 * (administrators are not told of others' notifications). Keyed by the stream record, as every
 * feed entry, so a redelivery writes nothing twice.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { NOTIFICATION_FEED_TYPE } from '../contracts/notifications.ts';
import { feedPlace, recordChange, type ChangeEntry } from '../changes/feed.ts';
import { itemOfImage } from '../store/stream-images.ts';

export async function notificationFeedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  const notice = stream?.NewImage && itemOfImage(stream.NewImage);
  if (record.eventName !== 'INSERT' || !stream || !notice || typeof notice.tenant !== 'string' || typeof notice.recipient !== 'string') return;
  const entry: ChangeEntry = {
    ...feedPlace(record),
    type: NOTIFICATION_FEED_TYPE,
    id: String(notice.id),
    change: 'created',
    version: 0,
    audience: { users: [notice.recipient], teams: [], administrators: false },
  };
  await recordChange(notice.tenant, entry);
}
