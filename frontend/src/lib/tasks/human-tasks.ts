/**
 * A process's human tasks (issue 16) as a source of the Inbox: the user's own, their teams'
 * unclaimed, the unanswered ones of the teams they supervise, and those they answered
 * (`GET /api/tasks?view=`), merged by task into one list each holds its place in (task.ts). The
 * change feed names every change of a task the user may see (`type: 'TASK'`): the source is then
 * read whole again, a few pages, so a task offered, claimed by a teammate, reassigned or closed
 * by the engine moves where it belongs.
 *
 * And what a holder does with one: claim, release, complete with its form, reject with a reason;
 * a supervisor reassigns many (`POST /api/tasks/reassign`, engineer B's route).
 */
import { PROCESS_INFOS } from '$contracts/processes.ts';
import { ReassignAnswer, Task as HumanTask, TaskPage, type FormValues, type ReassignResult, type ReassignTasksBody, type TaskStatus } from '$contracts/tasks.ts';
import type { ApiClient } from '../api/api-client.ts';
import { uiRecordTypeByName } from '../records/record-types.ts';
import { DONE_SHOWN, type Task, type TaskSource } from './task.ts';

/** The feed's type of a task's changes. */
export const TASK_FEED_TYPE = 'TASK';
/** Open tasks a list reads: the first page, earliest due first (the server's most). */
const OPEN_SHOWN = 100;

/** Answered, or closed by the engine: no longer anyone's to do. */
const FINISHED: ReadonlySet<TaskStatus> = new Set(['completing', 'done', 'rejecting', 'rejected', 'cancelled', 'escalated']);
export const isFinished = (task: HumanTask) => FINISHED.has(task.status);

export const processLabel = (process: string) => PROCESS_INFOS.find((info) => info.name === process)?.label ?? process;

/** The Inbox's task of a human task: where it stands for the user comes from the lists it was in. */
export function inboxTaskOf(human: HumanTask, { holder, supervised }: { holder: Task['holder']; supervised: boolean }): Task {
  const subject = uiRecordTypeByName(human.subject.type);
  const record = { typeKey: subject?.info.key ?? human.subject.type.toUpperCase(), id: human.subject.id };
  return {
    source: TASK_FEED_TYPE,
    id: human.id,
    version: human.version,
    title: human.title,
    kind: processLabel(human.process),
    dueAt: human.due ?? undefined,
    done: isFinished(human),
    changedAt: human.completion?.at ?? human.rejection?.at ?? human.closed?.at ?? human.createdAt,
    record,
    about: [record],
    holder,
    supervised,
    human,
  };
}

/**
 * The user's tasks of the four lists, one Task each: a task in `mine` is theirs, else in `team`
 * their team's to claim, else seen as supervisor; `done` ones are theirs, answered.
 */
export function mergeLists(lists: { mine: HumanTask[]; team: HumanTask[]; supervised: HumanTask[]; done: HumanTask[] }): Task[] {
  const supervised = new Set(lists.supervised.map((task) => task.id));
  const byId = new Map<string, Task>();
  const put = (human: HumanTask, holder: Task['holder']) => {
    if (!byId.has(human.id)) byId.set(human.id, inboxTaskOf(human, { holder, supervised: supervised.has(human.id) && !isFinished(human) }));
  };
  lists.mine.forEach((task) => put(task, 'me'));
  lists.team.forEach((task) => put(task, 'team'));
  lists.supervised.forEach((task) => put(task, 'other'));
  lists.done.forEach((task) => put(task, 'me'));
  return [...byId.values()];
}

/** The human-task routes, parsed by the shared contracts. */
export function humanTasksApi(api: ApiClient) {
  const act = (id: string, verb: string, body: unknown = {}) => api.request('POST', `/api/tasks/${id}/${verb}`, HumanTask, body);
  return {
    list: (view: 'mine' | 'team' | 'supervised' | 'done', limit: number) => api.request('GET', `/api/tasks?view=${view}&limit=${limit}`, TaskPage),
    get: (id: string) => api.request('GET', `/api/tasks/${id}`, HumanTask),
    claim: (id: string) => act(id, 'claim'),
    release: (id: string) => act(id, 'release'),
    complete: (id: string, form: FormValues) => act(id, 'complete', { form }),
    reject: (id: string, reason: string) => act(id, 'reject', { reason }),
    /** Gives tasks (at most MAX_REASSIGN) to a person or a team: one result per task, reassigned or refused and why. */
    reassign: async (ids: string[], to: { user: string } | { team: string }): Promise<ReassignResult[]> => (await api.request('POST', '/api/tasks/reassign', ReassignAnswer, { tasks: ids, to } satisfies ReassignTasksBody)).results,
  };
}

export const humanTasks: TaskSource = {
  key: TASK_FEED_TYPE,
  // Anyone may be offered a task: a team they are in, a step they started, a follow-up of theirs.
  available: () => true,
  async load(api) {
    const tasks = humanTasksApi(api);
    const [mine, team, supervised, done] = await Promise.all([tasks.list('mine', OPEN_SHOWN), tasks.list('team', OPEN_SHOWN), tasks.list('supervised', OPEN_SHOWN), tasks.list('done', DONE_SHOWN)]);
    return mergeLists({ mine: mine.items, team: team.items, supervised: supervised.items, done: done.items });
  },
  concerns: (entry) => entry.type === TASK_FEED_TYPE,
};
