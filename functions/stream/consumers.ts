/**
 * Everything the table's stream drives, in one list: each consumer names itself, says which
 * items' changes it takes (by their keys), and what it does with one. The stream function
 * (handler.ts) runs every consumer that takes a record, for every record of a batch; a new
 * consumer is one more entry here.
 *
 * A consumer must bear a record delivered more than once (the event source retries a failed
 * batch from its first failed record, and records after it come again): the feed's entries are
 * keyed by the stream record, the purge and build steps check the job they are given.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { itemOfImage } from '../store/stream-images.ts';
import type { FieldDefinition } from '../contracts/fields.ts';
import { feedEntryFor } from '../changes/feed-entry.ts';
import { parseDefinitionPk } from '../fields/field-definitions.ts';
import { continueFieldPurge, parsePurgePk, startFieldPurge, type FieldPurge } from '../purges/field-purge.ts';
import { RECORD_SK, parseRecordPk } from '../records/keys.ts';
import { buildOf, continueSnapshotBuild, parseBuildKey, recordSnapshotSource, type SnapshotSource } from '../views/snapshot-build.ts';
import type { RecordType } from '../records/keys.ts';
import { STORED_MOVES } from '../analytics/stored-moves.ts';
import { answerToDeliver, deliverLeftAnswer, isTaskItem } from '../tasks/tasks.ts';
import { taskNoticesStep } from '../notifications/task-notices.ts';
import { isNotificationItem } from '../notifications/notifications.ts';
import { notificationMailStep } from '../notifications/notification-mail.ts';
import { taskFeedEntryFor } from '../tasks/task-changes.ts';
import { instanceFeedEntryFor } from '../processes/instance-changes.ts';
import { instanceItemTenant } from '../processes/instances.ts';
import { notificationFeedEntryFor } from '../notifications/notification-changes.ts';
import { isStageMove, stageEntryStep } from '../pipelines/stage-entry.ts';
import { historyRewriteStep } from '../analytics/history-rewrites.ts';
import { pipelineFeedEntryFor, pipelineItemTenant } from '../deals/pipeline-changes.ts';

/** The keys of the item a stream record is about. */
export interface ItemKeys {
  pk: string;
  sk: string;
}

export interface StreamConsumer {
  /** Names it in the log when it fails. */
  name: string;
  /** Whether it takes a change of the item with these keys: the kinds of item it is about. */
  takes: (keys: ItemKeys) => boolean;
  /** Acts on one change; a rejection fails the record, which the event source delivers again. */
  run: (record: DynamoDBRecord) => Promise<void>;
}

export const STREAM_CONSUMERS: readonly StreamConsumer[] = [
  {
    // Grids hear of every change of a record (history and the feed's own items are no records, so the feed never feeds itself).
    name: 'change feed',
    takes: ({ pk, sk }) => sk === RECORD_SK && parseRecordPk(pk) !== undefined,
    run: feedEntryFor,
  },
  {
    name: 'field purge',
    takes: ({ pk }) => parseDefinitionPk(pk) !== undefined || parsePurgePk(pk) !== undefined,
    run: fieldPurgeStep,
  },
  {
    name: 'snapshot build',
    takes: ({ pk, sk }) => parseBuildKey(pk, sk) !== undefined,
    run: snapshotBuildStep,
  },
  {
    // A task's completion or rejection is recorded before it is sent: one the API that recorded it
    // did not deliver within its lease (it stopped, Step Functions failed) is sent from here until
    // it is acknowledged; one whose fate the execution's history does not yet tell fails the
    // record, which comes again.
    name: 'task answers',
    takes: isTaskItem,
    run: taskAnswerStep,
  },
  {
    // The inbox hears of every change of a task it may show (its holders, team, supervisor).
    name: 'task changes',
    takes: isTaskItem,
    run: taskFeedEntryFor,
  },
  {
    // People hear of a task offered to them or their team, given to them, escalated to them; its
    // reminder is scheduled. Notifications are kept once per change (their ids come from it).
    name: 'task notices',
    takes: isTaskItem,
    run: taskNoticesStep,
  },
  {
    // The Processes grid, the record card and the instance page hear of an instance's change, as
    // grids of records do (only those who see the instance).
    name: 'instance changes',
    takes: (keys) => instanceItemTenant(keys) !== undefined,
    run: instanceFeedEntryFor,
  },
  {
    // The bell hears of its user's new notifications.
    name: 'notification changes',
    takes: isNotificationItem,
    run: notificationFeedEntryFor,
  },
  {
    // A new notification is e-mailed too (once: the notification records it).
    name: 'notification mail',
    takes: isNotificationItem,
    run: notificationMailStep,
  },
  {
    // A deal entering a stage that starts a process starts it, once per move (the key is the deal's version).
    name: 'stage entry',
    takes: isStageMove,
    run: stageEntryStep,
  },
  {
    // A move written in the past or removed (an imported history): the reports read its deal's moves again.
    name: 'stage history rewrites',
    takes: isStageMove,
    run: historyRewriteStep,
  },  {
    // Open boards, grids and cards hear that an administrator changed the pipelines (everyone in the tenant).
    name: 'pipeline changes',
    takes: (keys) => pipelineItemTenant(keys) !== undefined,
    run: pipelineFeedEntryFor,
  },
];

/** A task item left `completing` or `rejecting` is delivered once its API's lease passed (again: deliverAnswer bears it). */
async function taskAnswerStep(record: DynamoDBRecord): Promise<void> {
  const after = record.dynamodb?.NewImage;
  const pending = after && answerToDeliver(itemOfImage(after));
  if (pending) await deliverLeftAnswer(pending.tenant, pending.id);
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

/** Stored snapshots that are not a record type's, by subject. */
const SNAPSHOT_SOURCES: ReadonlyMap<string, SnapshotSource<unknown>> = new Map([[STORED_MOVES.subject, STORED_MOVES as SnapshotSource<unknown>]]);

/** A running snapshot build written (started or moved on) runs its next step, from its subject's source. */
async function snapshotBuildStep(record: DynamoDBRecord): Promise<void> {
  const { Keys: keys, NewImage: after } = record.dynamodb ?? {};
  if (!after || after.state?.S !== 'running' || !parseBuildKey(keys?.pk?.S ?? '', keys?.sk?.S ?? '')) return;
  const build = buildOf(itemOfImage(after));
  return continueSnapshotBuild(build, SNAPSHOT_SOURCES.get(build.type) ?? recordSnapshotSource(build.type as RecordType));
}
