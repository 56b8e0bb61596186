/**
 * A human task's changes in the change feed (changes/feed.ts), from the table's stream: the inbox
 * and the navigation's counts hear of a task offered, claimed, released, answered, reassigned or
 * closed by the engine as grids hear of records. A stream consumer (stream/consumers.ts).
 *
 * An entry names no record scope but its audience: whoever held the task before or after the
 * change, the members of its team (before and after), that team's supervisor; administrators see
 * every entry. Keyed by the stream record, as every feed entry, so a redelivery writes nothing twice.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { itemOfImage } from '../store/stream-images.ts';
import { feedPlace, recordChange, STREAM_CHANGE, type ChangeEntry } from '../changes/feed.ts';
import { teams } from '../teams/teams.ts';

/** The feed's type of a task's entries (no record type has it: a record type's key is its own word). */
export const TASK_FEED_TYPE = 'TASK';

export async function taskFeedEntryFor(record: DynamoDBRecord): Promise<void> {
  const stream = record.dynamodb;
  const change = record.eventName && STREAM_CHANGE[record.eventName];
  const images = [stream?.OldImage, stream?.NewImage].filter((image) => image !== undefined).map(itemOfImage);
  const task = images.at(-1);
  if (!stream || !change || !task || typeof task.tenant !== 'string' || typeof task.id !== 'string') return;
  const holders = new Set(images.map((image) => image.assignee).filter((user): user is string => typeof user === 'string'));
  const teamIds = [...new Set(images.map((image) => image.team).filter((team): team is string => typeof team === 'string'))];
  // The supervisor of a team may be no member of it; read now, as the feed is read by who sees the task now.
  const supervisors = await Promise.all(teamIds.map(async (team) => (await teams.find(task.tenant as string, team))?.supervisor));
  const entry: ChangeEntry = {
    ...feedPlace(record),
    type: TASK_FEED_TYPE,
    id: task.id,
    change,
    version: Number(task.version ?? 0),
    audience: { users: [...holders, ...supervisors.filter((user): user is string => typeof user === 'string')], teams: teamIds },
  };
  await recordChange(task.tenant, entry);
}
