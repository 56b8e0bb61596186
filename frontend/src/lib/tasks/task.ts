/**
 * A task as My tasks shows it, whatever it comes from (an activity today; a process's human task
 * and a service request later, lib/tasks/task-sources.ts), what a source of tasks does, and how
 * tasks fall into the page's lists: overdue, due today, the rest, done. Days are the user's own
 * (the browser's time zone).
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { Me } from '$contracts/auth.ts';
import type { ApiClient } from '../api/api-client.ts';

export interface Task {
  /** The source (task-sources.ts) it comes from. */
  source: string;
  id: string;
  version: number;
  title: string;
  /** What sort of task, as shown (`Call`), if the source has sorts. */
  kind?: string;
  /** When it is due (ISO date-time). */
  dueAt?: string;
  done: boolean;
  /** When it last changed (ISO): done tasks show the latest first. */
  changedAt: string;
  /** The record whose card Enter opens (its type's key, `ACTIVITY`). */
  record: { typeKey: string; id: string };
  /** The records it is about, shown by name. */
  about: Array<{ typeKey: string; id: string }>;
}

/** Where tasks come from (task-sources.ts lists them): the page and the count know only `Task`. */
export interface TaskSource {
  /** The `source` of its tasks. */
  key: string;
  /** Whether the user can have tasks of this source at all (their role reads them). */
  available(me: Me): boolean;
  /** The user's open tasks, and their latest done ones (at most DONE_SHOWN). */
  load(api: ApiClient, me: Me): Promise<Task[]>;
  /** Whether a change the feed reports may add, change or take away one of the user's tasks. */
  concerns(entry: ChangeEntry, me: Me): boolean;
  /** The task of that id as it is now; undefined when it is not (or no longer) one of the user's. */
  reload(api: ApiClient, me: Me, id: string): Promise<Task | undefined>;
  /** Marks the task done, or open again; the task as it is then. */
  setDone(api: ApiClient, me: Me, task: Task, done: boolean): Promise<Task>;
}

/** Done tasks a source loads: the latest, a day's or a week's worth, not a year's. */
export const DONE_SHOWN = 50;

/** A task's key among all sources' tasks. */
export const taskKey = (task: Pick<Task, 'source' | 'id'>) => `${task.source}#${task.id}`;

export type TaskList = 'mine' | 'today' | 'overdue' | 'done';

/** The lists, in the order of the page's tabs (and of the keys 1-4). */
export const TASK_LISTS: ReadonlyArray<{ list: TaskList; label: string }> = [
  { list: 'mine', label: 'Mine' },
  { list: 'today', label: 'Due today' },
  { list: 'overdue', label: 'Overdue' },
  { list: 'done', label: 'Done' },
];

/** Where the user's today starts and ends (local midnight to local midnight). */
export function today(now: number): { start: number; end: number } {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { start: start.getTime(), end: end.getTime() };
}

const dueTime = (task: Task) => (task.dueAt ? Date.parse(task.dueAt) : undefined);

/** Whether the task is in the list: `mine` every open one, `today` open and due today, `overdue` open and past its due time, `done` done. */
export function inList(task: Task, list: TaskList, now: number): boolean {
  if (list === 'done') return task.done;
  if (task.done) return false;
  const due = dueTime(task);
  if (list === 'mine') return true;
  if (due === undefined) return false;
  if (list === 'overdue') return due < now;
  const day = today(now);
  return due >= day.start && due < day.end;
}

/** Open tasks due today or overdue: the count in the navigation. */
export const isDue = (task: Task, now: number) => !task.done && (dueTime(task) ?? Infinity) < today(now).end;

/** The group an open task shows under in `mine`. */
export type TaskGroup = 'Overdue' | 'Today' | 'Upcoming' | 'No due date' | 'Done';

export function groupOf(task: Task, now: number): TaskGroup {
  if (task.done) return 'Done';
  const due = dueTime(task);
  if (due === undefined) return 'No due date';
  if (due < now) return 'Overdue';
  return due < today(now).end ? 'Today' : 'Upcoming';
}

/** Open tasks by due time, the earliest (most overdue) first, those with none last; done ones the latest changed first. */
export function byUrgency(a: Task, b: Task): number {
  if (a.done !== b.done) return a.done ? 1 : -1;
  if (a.done) return b.changedAt.localeCompare(a.changedAt);
  const [x, y] = [dueTime(a) ?? Infinity, dueTime(b) ?? Infinity];
  return x !== y ? x - y : a.title.localeCompare(b.title);
}

/** The tasks of a list, in order. */
export const listed = (tasks: readonly Task[], list: TaskList, now: number): Task[] => tasks.filter((task) => inList(task, list, now)).sort(byUrgency);

/** How many tasks each list holds, and how many are due (today or overdue). */
export function taskCounts(tasks: readonly Task[], now: number): Record<TaskList | 'due', number> {
  const counts = { mine: 0, today: 0, overdue: 0, done: 0, due: 0 };
  for (const task of tasks) {
    for (const { list } of TASK_LISTS) if (inList(task, list, now)) counts[list]++;
    if (isDue(task, now)) counts.due++;
  }
  return counts;
}
