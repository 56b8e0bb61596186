/**
 * What people are told of a task's change (the stream's consumer of task items): a task offered
 * to a user or to a team, given to someone by another, escalated to its team's supervisor, a
 * follow-up for the account owner; and its reminder scheduled when it has one.
 *
 * The table's stream delivers each change at least once: every notification's id is derived from
 * the task, its version after the change, the kind and the recipient, so a change delivered
 * twice tells each person once (notifications.ts keeps one per id).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { NotificationKind } from '../contracts/notifications.ts';
import type { Task, TaskStatus } from '../contracts/tasks.ts';
import { itemOfImage } from '../store/stream-images.ts';
import type { Audience } from './recipients.ts';
import { tellAboutTask } from './task-notification.ts';
import { scheduleReminder } from './reminders.ts';

export interface TaskNotice {
  kind: NotificationKind;
  to: Audience;
}

/** Still to be done by someone. */
const WAITING: ReadonlySet<TaskStatus> = new Set(['open', 'claimed']);

/** A follow-up step (the quick sale's follow-up for the account owner) is told as one. */
export const isFollowUp = (task: Pick<Task, 'step'>) => /^follow[- ]?up\b/i.test(task.step);

/**
 * The notices a task's change makes: `before` undefined for a new task. A claim tells nobody
 * (the claimer did it); a release tells nobody (the team heard of the task when it was offered).
 * A late task closing as escalated tells nobody either: the step is offered again (the
 * escalation's task), and that offer tells the one it goes to, the supervisor, that it escalated
 * to them (once, and with the task they can act on).
 */
export function noticesOfTaskChange(before: Task | undefined, after: Task | undefined): TaskNotice[] {
  if (!after) return [];
  if (!before) {
    if (after.status !== 'open') return [];
    if (after.assignee) return [{ kind: after.escalation ? 'escalated' : isFollowUp(after) ? 'follow-up' : 'offered', to: { user: after.assignee } }];
    return after.team ? [{ kind: 'team-offered', to: { team: after.team } }] : [];
  }
  if (!WAITING.has(after.status)) return [];
  const claimed = before.status === 'open' && before.assignee === null && after.status === 'claimed';
  if (after.assignee && after.assignee !== before.assignee && !claimed) return [{ kind: 'reassigned', to: { user: after.assignee } }];
  if (!after.assignee && after.team && after.team !== before.team) return [{ kind: 'team-offered', to: { team: after.team } }];
  return [];
}

/** The stream's consumer of task items: the notices of the change, and the task's reminder. */
export async function taskNoticesStep(record: DynamoDBRecord): Promise<void> {
  const { OldImage: oldImage, NewImage: newImage } = record.dynamodb ?? {};
  const before = oldImage && (itemOfImage(oldImage) as unknown as Task & { tenant: string });
  const after = newImage && (itemOfImage(newImage) as unknown as Task & { tenant: string });
  if (!after) return;
  await Promise.all([
    ...noticesOfTaskChange(before, after).map((notice) => tellAboutTask(after.tenant, after, notice.kind, notice.to, [String(after.version)], new Date().toISOString())),
    after.remindAt && WAITING.has(after.status) && after.remindAt !== before?.remindAt ? scheduleReminder(after.tenant, after) : undefined,
  ]);
}
