/**
 * A change of a record as the change feed has it (changes/feed.ts), from the table's stream
 * record (NEW_AND_OLD_IMAGES): one entry per change of a record, keyed by the stream record, so
 * a redelivered record writes nothing twice. A stream consumer (stream/consumers.ts).
 */
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord } from 'aws-lambda';
import { itemOfImage } from '../store/stream-images.ts';
import { RECORD_SK, parseRecordPk, type RecordType } from '../records/keys.ts';
import { assigneeFields, assigneesOf } from '../access/record-scope.ts';
import { feedPlace, recordChange, STREAM_CHANGE, type ChangeEntry } from './feed.ts';

/**
 * What a grid must do about the change. Deleting moves a record to the trash (a MODIFY that
 * sets `deletedAt`): to a grid it is gone, and reported as the version it had before. A
 * restore brings it back as if created. The TTL's final removal of a trashed record, and
 * changes inside the trash, concern no grid.
 */
function changeOf(record: DynamoDBRecord): { change: ChangeEntry['change']; image: Record<string, StreamAttributeValue> | undefined } | undefined {
  const { OldImage: before, NewImage: after } = record.dynamodb ?? {};
  const [wasTrashed, isTrashed] = [Boolean(before?.deletedAt), Boolean(after?.deletedAt)];
  if (record.eventName === 'MODIFY' && wasTrashed !== isTrashed) return isTrashed ? { change: 'deleted', image: before } : { change: 'created', image: after };
  if (wasTrashed || isTrashed) return undefined;
  const change = record.eventName && STREAM_CHANGE[record.eventName];
  return change ? { change, image: after ?? before } : undefined;
}

function previousOwner(record: DynamoDBRecord): string | undefined {
  const before = record.dynamodb?.OldImage?.owner?.S;
  return before !== undefined && before !== record.dynamodb?.NewImage?.owner?.S ? before : undefined;
}

/** Whom the record is assigned to (its type's assignee fields) as the image has it; only those fields are read of it. */
function assigneesIn(type: RecordType, image: Record<string, StreamAttributeValue> | undefined): string[] {
  const fields = assigneeFields(type).filter((field) => image?.[field] !== undefined);
  return fields.length ? assigneesOf(type, itemOfImage(Object.fromEntries(fields.map((field) => [field, image![field]])))) : [];
}

/** Those it was assigned to before the change and is no longer: it leaves their scope. */
function previousAssignees(type: RecordType, record: DynamoDBRecord): string[] {
  const { OldImage: before, NewImage: after } = record.dynamodb ?? {};
  if (!before || !after) return [];
  const now = new Set(assigneesIn(type, after));
  return assigneesIn(type, before).filter((user) => !now.has(user));
}

export async function feedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  if (!stream?.Keys || stream.Keys.sk?.S !== RECORD_SK) return;
  const key = parseRecordPk(stream.Keys.pk?.S ?? '');
  const what = changeOf(record);
  if (!key || !what) return;
  const { change, image } = what;
  const [assignees, unassigned] = [assigneesIn(key.type, image), previousAssignees(key.type, record)];
  const entry: ChangeEntry = {
    ...feedPlace(record),
    type: key.type,
    id: key.id,
    change,
    version: Number(image?.version?.N ?? 0),
    // Whose record it is: the feed shows an entry only to callers whose scope includes the owner or an assignee.
    owner: image?.owner?.S,
    // A record handed to someone else leaves the previous owner's scope: their grids must hear of it.
    previousOwner: previousOwner(record),
    ...(assignees.length ? { assignees } : {}),
    // And so does a record assigned to someone else, for those it was assigned to.
    ...(unassigned.length ? { previousAssignees: unassigned } : {}),
  };
  await recordChange(key.tenant, entry);
}
