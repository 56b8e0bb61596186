/**
 * Reminders of tasks: when a task with a due time is offered, its reminder time is known
 * (`Task.remindAt`, as the process planned it); the stream's consumer of tasks writes a reminder item
 * for it, and a scheduled sweep (an EventBridge schedule every minute in AWS, the embedded cloud's
 * schedule on its clock here: the `reminders` function) fires those due.
 *
 * Item `T#<tenant>#REMINDER#<task>` / `<remindAt>`; while it waits it is in gsi5 under
 * `REMINDERS#<shard>` (store/item-kinds.ts DUE_REMINDERS), sorted by `<remindAt>#<tenant>#<task>`,
 * so the sweep reads only the due ones. Firing tells the task's holder (its assignee, else its
 * team's members) unless the task was answered or closed, or its reminder moved (a new due time),
 * then takes the item off the index; the item stays (expiring after a month), so the same offer
 * delivered again by the stream does not schedule it again. Notifications are kept once per id,
 * so a sweep that stopped between telling and taking the item off tells nobody twice.
 */
import type { Task } from '../contracts/tasks.ts';
import { inParallel } from '../in-parallel.ts';
import { callStore, conditionFailed, putItem, queryItems, updateItem, type Item } from '../store/commands.ts';
import { DUE_REMINDERS, ITEM_KINDS } from '../store/item-kinds.ts';
import { taskOf } from '../tasks/tasks.ts';
import { holderOf } from './recipients.ts';
import { tellAboutTask } from './task-notification.ts';

const kind = ITEM_KINDS.reminders;
/** How long a fired reminder is kept (against the same offer delivered again), in seconds. */
const KEPT_AFTER_FIRING_S = 30 * 24 * 60 * 60;
/** Reminders fired at once by one sweep, and at most a sweep (the next minute's takes the rest). */
const FIRING_AT_ONCE = 8;
const MOST_A_SWEEP = 1_000;

/** What became of a reminder. */
export type ReminderOutcome = 'sent' | 'answered' | 'moved';

/** Schedules the task's reminder (at `task.remindAt`); a second call for the same time changes nothing. */
export async function scheduleReminder(tenant: string, task: Pick<Task, 'id' | 'remindAt'>): Promise<void> {
  if (!task.remindAt) return;
  try {
    await callStore('schedule a reminder', () =>
      putItem({
        Item: {
          pk: kind.pk(tenant, task.id),
          sk: task.remindAt,
          tenant,
          task: task.id,
          remindAt: task.remindAt,
          gsi5pk: DUE_REMINDERS.pk(DUE_REMINDERS.shardOf(task.id)),
          gsi5sk: `${task.remindAt}#${tenant}#${task.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
}

/** Fires every reminder due at `now`: the counts of each outcome. */
export async function sweepReminders(now: Date): Promise<Record<ReminderOutcome, number>> {
  const due = (await Promise.all(Array.from({ length: DUE_REMINDERS.shards }, (_, shard) => dueIn(shard, now)))).flat().slice(0, MOST_A_SWEEP);
  const counts: Record<ReminderOutcome, number> = { sent: 0, answered: 0, moved: 0 };
  await inParallel(due, FIRING_AT_ONCE, async (item) => {
    const outcome = await fire(item.tenant as string, item.task as string, item.remindAt as string);
    if (await settle(item, outcome, now)) counts[outcome]++;
  });
  return counts;
}

/** The reminders of one shard due at `now`, earliest first. */
async function dueIn(shard: number, now: Date): Promise<Item[]> {
  const { Items: items = [] } = await callStore('list due reminders', () =>
    queryItems({
      IndexName: 'gsi5',
      KeyConditionExpression: 'gsi5pk = :pk AND gsi5sk <= :now',
      // `~` sorts after every tenant and task that follows the time.
      ExpressionAttributeValues: { ':pk': DUE_REMINDERS.pk(shard), ':now': `${now.toISOString()}~` },
      Limit: MOST_A_SWEEP,
    }),
  );
  return items;
}

/** Tells the task's holder, unless it no longer waits for them or its reminder moved. */
async function fire(tenant: string, id: string, remindAt: string): Promise<ReminderOutcome> {
  const task = await taskOf(tenant, id);
  if (!task || (task.status !== 'open' && task.status !== 'claimed')) return 'answered';
  if (task.remindAt !== remindAt) return 'moved';
  const holder = holderOf(task);
  if (holder) await tellAboutTask(tenant, task, 'reminder', holder, [remindAt], remindAt);
  return 'sent';
}

/** Takes the reminder off the due list with its outcome; false when another sweep did first. */
async function settle(item: Item, outcome: ReminderOutcome, now: Date): Promise<boolean> {
  try {
    await callStore('settle a reminder', () =>
      updateItem({
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET outcome = :outcome, firedAt = :at, expiresAt = :expires REMOVE gsi5pk, gsi5sk',
        ConditionExpression: 'attribute_exists(gsi5pk)',
        ExpressionAttributeValues: { ':outcome': outcome, ':at': now.toISOString(), ':expires': Math.floor(now.getTime() / 1000) + KEPT_AFTER_FIRING_S },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}
