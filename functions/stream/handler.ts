/**
 * Consumes the table's change stream (NEW_AND_OLD_IMAGES) and writes one change-feed entry per
 * change of a record. Other items (history, the feed itself) are skipped, so the feed's own
 * writes never feed back into it. It also drives the purge of a custom field's values
 * (fields/field-purge.ts): the TTL's removal of a deleted field's definition starts it, and
 * each write of the purge job runs its next step; and, the same way, each write of a running
 * snapshot build runs its next step (views/snapshot-build.ts). A failed record is reported by its sequence number; the
 * event source retries from there, and entries already written are found and left alone.
 */
import type { AttributeValue as StreamAttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FieldDefinition } from '../contracts/fields.ts';
import { parseDefinitionPk } from '../fields/field-definitions.ts';
import { continueFieldPurge, parsePurgePk, startFieldPurge, type FieldPurge } from '../fields/field-purge.ts';
import { RECORD_SK, parseRecordPk, type RecordType } from '../records/keys.ts';
import { assigneeFields, assigneesOf } from '../access/record-scope.ts';
import { feedCursor, recordChange, type ChangeEntry } from '../changes/feed.ts';
import { buildOf, continueSnapshotBuild, parseBuildKey } from '../views/snapshot-build.ts';
import { itemOfImage } from '../store/stream-images.ts';

const CHANGE = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const results = await Promise.allSettled(event.Records.map((record) => Promise.all([feedEntryFor(record), fieldPurgeStep(record), snapshotBuildStep(record)])));
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
  const change = record.eventName && CHANGE[record.eventName];
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

async function feedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  if (!stream?.Keys || stream.Keys.sk?.S !== RECORD_SK) return;
  const key = parseRecordPk(stream.Keys.pk?.S ?? '');
  const what = changeOf(record);
  if (!key || !what) return;
  const { change, image } = what;
  const seconds = stream.ApproximateCreationDateTime ?? Date.now() / 1000;
  const [assignees, unassigned] = [assigneesIn(key.type, image), previousAssignees(key.type, record)];
  const entry: ChangeEntry = {
    cursor: feedCursor(seconds, stream.SequenceNumber ?? record.eventID ?? '0'),
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
    at: new Date(Math.floor(seconds) * 1000).toISOString(),
  };
  await recordChange(key.tenant, entry);
}

/** A deleted field's definition removed by the TTL starts the purge of its values; a purge job written (started or moved on) runs its next step. */
async function fieldPurgeStep(record: DynamoDBRecord): Promise<void> {
  const { Keys: keys, OldImage: before, NewImage: after } = record.dynamodb ?? {};
  const pk = keys?.pk?.S ?? '';
  const field = parseDefinitionPk(pk);
  if (field && record.eventName === 'REMOVE' && before?.deletedAt) {
    const { pk: _pk, sk: _sk, expiresAt: _expires, ...definition } = itemOfImage(before);
    return startFieldPurge(field.tenant, definition as FieldDefinition);
  }
  if (parsePurgePk(pk) && after) {
    const { pk: _pk, sk: _sk, ...job } = itemOfImage(after);
    return continueFieldPurge(job as unknown as FieldPurge);
  }
}

/** A running snapshot build written (started or moved on) runs its next step. */
async function snapshotBuildStep(record: DynamoDBRecord): Promise<void> {
  const { Keys: keys, NewImage: after } = record.dynamodb ?? {};
  if (!after || after.state?.S !== 'running' || !parseBuildKey(keys?.pk?.S ?? '', keys?.sk?.S ?? '')) return;
  return continueSnapshotBuild(buildOf(itemOfImage(after)));
}
