/**
 * A task as the Inbox shows it, whatever it comes from (an activity, a process's human task; a
 * service request later, lib/tasks/task-sources.ts), what a source of tasks does, and how tasks
 * fall into the page's lists: the user's own (overdue first), their teams' unclaimed, overdue,
 * done, and for a supervisor their teams' unanswered. Days are the user's own (the browser's
 * time zone).
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { Me } from '$contracts/auth.ts';
import type { Task as HumanTask } from '$contracts/tasks.ts';
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
  /**
   * Whose it is: the user's own (the default), their team's and unclaimed (`team`), or someone
   * else's that the user sees as the team's supervisor (`other`).
   */
  holder?: 'me' | 'team' | 'other';
  /** Of a team the user supervises (they may reassign it). */
  supervised?: boolean;
  /** A process's human task as the server has it: opened with its form, claimed, completed. */
  human?: HumanTask;
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
  /**
   * The task of that id as it is now; undefined when it is not (or no longer) one of the user's.
   * A source without it is read whole again (`load`) when a change concerns it.
   */
  reload?(api: ApiClient, me: Me, id: string): Promise<Task | undefined>;
  /** Marks the task done, or open again; the task as it is then. A source without it is done through its form. */
  setDone?(api: ApiClient, me: Me, task: Task, done: boolean): Promise<Task>;
}

/** Done tasks a source loads: the latest, a day's or a week's worth, not a year's. */
export const DONE_SHOWN = 50;

/** A task's key among all sources' tasks. */
export const taskKey = (task: Pick<Task, 'source' | 'id'>) => `${task.source}#${task.id}`;

export type TaskList = 'mine' | 'team' | 'overdue' | 'done' | 'supervised';

/** The lists, in the order of the page's tabs (and of the keys 1-5); `supervised` only for a supervisor. */
export const TASK_LISTS: ReadonlyArray<{ list: TaskList; label: string }> = [
  { list: 'mine', label: 'Mine' },
  { list: 'team', label: 'Unclaimed' },
  { list: 'overdue', label: 'Overdue' },
  { list: 'done', label: 'Done' },
  { list: 'supervised', label: 'My teams' },
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

const holderOf = (task: Task) => task.holder ?? 'me';

/**
 * Whether the task is in the list: `mine` every open one of the user's, `team` their teams' open
 * unclaimed ones, `overdue` those of either past their due time, `done` done, `supervised` the
 * open ones of the teams they supervise, whoever holds them.
 */
export function inList(task: Task, list: TaskList, now: number): boolean {
  if (list === 'done') return task.done && holderOf(task) === 'me';
  if (task.done) return false;
  if (list === 'supervised') return task.supervised === true;
  if (list === 'mine') return holderOf(task) === 'me';
  if (list === 'team') return holderOf(task) === 'team';
  return holderOf(task) !== 'other' && (dueTime(task) ?? Infinity) < now;
}

/** Open tasks of the user due today or overdue: the count in the navigation, with their teams' unclaimed ones. */
export const isDue = (task: Task, now: number) => !task.done && holderOf(task) === 'me' && (dueTime(task) ?? Infinity) < today(now).end;

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

/** How many tasks each list holds, and how many of the user's are due (today or overdue). */
export function taskCounts(tasks: readonly Task[], now: number): Record<TaskList | 'due', number> {
  const counts = { mine: 0, team: 0, overdue: 0, done: 0, supervised: 0, due: 0 };
  for (const task of tasks) {
    for (const { list } of TASK_LISTS) if (inList(task, list, now)) counts[list]++;
    if (isDue(task, now)) counts.due++;
  }
  return counts;
}
