/**
 * A process instance's changes in the change feed (changes/feed.ts), from the table's stream: the
 * Processes grid, the record card's processes and the instance page hear of an instance started,
 * moved on a step, given to someone, or ended, as grids hear of records. A stream consumer
 * (stream/consumers.ts).
 *
 * Its entry is seen by whoever sees the instance: its holders (starter, participants) for the
 * role's process scope, and its subject record's owner and assignees for the record scope on top
 * (the subject is read when the entry is written). Only changes that moved it (`writes` one more)
 * make an entry: the monitor's index key, written after each change, does not. Keyed by the
 * stream record, as every feed entry, so a redelivery writes nothing twice.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { itemOfImage } from '../store/stream-images.ts';
import { feedPlace, recordChange, STREAM_CHANGE, type ChangeEntry } from '../changes/feed.ts';
import { INSTANCE_FEED_TYPE, type ProcessSubject } from '../contracts/processes.ts';
import { assigneesOf } from '../access/record-scope.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { readRecordUnscoped } from '../records/repository.ts';
import { instanceItemTenant } from './instances.ts';

export async function instanceFeedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  const change = record.eventName && STREAM_CHANGE[record.eventName];
  const tenant = instanceItemTenant({ pk: stream?.Keys?.pk?.S ?? '', sk: stream?.Keys?.sk?.S ?? '' });
  const [before, after] = [stream?.OldImage, stream?.NewImage].map((image) => image && itemOfImage(image));
  const instance = after ?? before;
  if (!stream || !change || !tenant || !instance || before?.writes === after?.writes) return;
  const subject = instance.subject as ProcessSubject;
  const type = recordTypeNamed(subject.type);
  if (!type) return;
  const held = await readRecordUnscoped(tenant, type.key, subject.id);
  const entry: ChangeEntry = {
    ...feedPlace(record),
    type: INSTANCE_FEED_TYPE,
    id: instance.id as string,
    change,
    version: Number(instance.writes ?? 0),
    subject,
    instance: {
      process: instance.process as string,
      startedBy: instance.startedBy as string,
      participants: [...((instance.participants as Set<string> | undefined) ?? [])],
      subjectType: type.key,
      holders: held ? [held.owner as string | undefined, ...assigneesOf(type.key, held)].filter((user): user is string => typeof user === 'string') : [],
    },
  };
  await recordChange(tenant, entry);
}
