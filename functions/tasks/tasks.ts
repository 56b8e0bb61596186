/**
 * Human tasks: the step a person does in a process. A `.waitForTaskToken` task of a state machine
 * calls the processSteps function, which writes the task item with its token; people list, claim,
 * release, complete and reject it; the answer goes back to Step Functions (SendTaskSuccess /
 * SendTaskFailure) exactly once.
 *
 * Item `T#<tenant>#TASK#<id>` / `TASK`, the whole task put at each change, conditional on its
 * version, with the lists it belongs to (sort key `<due>#<id>`, earliest due first, none last):
 *   gsi2 `TASK#USER#<sub>`           the user's own: assigned or claimed, until answered
 *   gsi3 `TASK#TEAM#<team>`          a team's unclaimed ones
 *   gsi4 `TASK#INSTANCE#<instance>`  an instance's tasks (to close them when it ends)
 *   gsi1 `TASK#TEAMALL#<team>`       a team's unanswered ones, claimed too (its supervisor's list)
 * and once answered or closed, the user who held it has it under gsi2 `TASK#DONE#<sub>`, sort key
 * `<ended>#<id>` (their done list, latest first).
 *
 * Exactly once: a completion is recorded first (the item moves to `completing`, conditional on
 * its version, with the values and a lease, `deliveryLease`, for the API's own delivery), then
 * sent, then the item is `done`, so the API answers with the outcome (200). The table's stream
 * hands the recorded item to deliverLeftAnswer (a consumer in stream/consumers.ts), which leaves
 * it to the API while the lease lasts and sends it itself once the lease passed with the item
 * still `completing` (the API stopped), again until it is acknowledged. Step Functions takes one
 * answer per token (the next is TaskTimedOut), so a completion sent twice is applied once; one
 * that finds the token closed is decided from the execution's history: ours was applied, or the
 * step ended otherwise (timed out, the execution ended, the step moved on); until the history
 * says either, the task stays `completing` and the stream's consumer delivers it again.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/permissions.ts';
import { ForbiddenError } from '../access/permissions.ts';
import type { Assignee, ProcessName, ProcessSubject } from '../contracts/processes.ts';
import { MAX_TASK_MOVES, type FormValues, type Task, type TaskListQuery, type TaskMove, type TaskPage, type TaskSpec, type TaskStatus } from '../contracts/tasks.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { callStore, conditionFailed, getItem, putItem, queryAll, queryItems, type Item } from '../store/commands.ts';
import { ITEM_KINDS, parsePartitionKey } from '../store/item-kinds.ts';
import { answerFateIn, answerTask, type AnswerFate } from '../workflows/executions.ts';
import { checkForm } from './task-form.ts';
import { currentDirectory } from '../directory/directory.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { teams } from '../teams/teams.ts';

const SK = 'TASK';
const kind = ITEM_KINDS.tasks;

export class TaskNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly id: string) {
    super(`task ${id} does not exist`);
    this.name = 'TaskNotFoundError';
  }
}

/** The task is no longer open to this (completed, claimed by another, closed by the engine): 409 with the task as it is. */
export class TaskNotOpenError extends DomainError {
  readonly code = 'TaskNotOpen';

  constructor(readonly task: Task) {
    super(`task ${task.id} is ${task.status}${task.closed ? `: ${task.closed.reason}` : task.status === 'claimed' ? ' by another user' : ''}`);
    this.name = 'TaskNotOpenError';
  }

  details(): ErrorDetails {
    return { current: this.task };
  }
}

/** The instance a task belongs to, as its execution's input names it. */
export interface TaskInstance {
  tenant: string;
  id: string;
  process: ProcessName;
  subject: ProcessSubject;
}

/** A `.waitForTaskToken` step that offers a task: where it is, its token, and what the definition says of it. */
export interface TaskStarted {
  instance: TaskInstance;
  /** The execution's ARN. */
  execution: string;
  step: string;
  /** When the execution entered the step (the same on a re-run of the step after a crash). */
  enteredAt: string;
  token: string;
  spec: TaskSpec;
}

/** A task as stored: what the API shows, and what only the system reads (its token, its execution, the lease of an answer's delivery). */
interface StoredTask {
  task: Task;
  token: string;
  execution: string;
  tenant: string;
  /** Until when (ISO) the API that recorded the answer delivers it itself; the stream's copy sends it only after. */
  deliveryLease?: string;
}

/**
 * How long the API's own delivery of an answer it recorded has before the stream's copy sends it
 * too: far more than a SendTaskSuccess and a write take, and short enough that an answer whose API
 * stopped goes on within seconds.
 */
const DELIVERY_LEASE_MS = 10_000;
/** The stream's copy looks again at an answer under a lease after this long at first, doubling, at most ANSWER_LOOK_MAX_MS. */
const ANSWER_LOOK_MS = 25;
const ANSWER_LOOK_MAX_MS = 1_000;

/** Still in someone's list: not yet answered. */
const ACTIVE: ReadonlySet<TaskStatus> = new Set(['open', 'claimed', 'completing', 'rejecting']);
/** Answered, the answer recorded and not yet delivered. */
const ANSWERING: ReadonlySet<TaskStatus> = new Set(['completing', 'rejecting']);
const keyOf = (tenant: string, id: string) => ({ pk: kind.pk(tenant, id), sk: SK });
const dueKey = (task: Pick<Task, 'due' | 'id'>) => `${task.due ?? '~'}#${task.id}`;
const userPk = (tenant: string, sub: string) => kind.pk(tenant, 'USER', sub);
const teamPk = (tenant: string, team: string) => kind.pk(tenant, 'TEAM', team);
const instancePk = (tenant: string, instance: string) => kind.pk(tenant, 'INSTANCE', instance);
const supervisedPk = (tenant: string, team: string) => kind.pk(tenant, 'TEAMALL', team);
const donePk = (tenant: string, sub: string) => kind.pk(tenant, 'DONE', sub);
/** When the task was answered or closed: the latest of its answer and its closing. */
const endedAt = (task: Task) => [task.completion?.at, task.rejection?.at, task.closed?.at].filter((at): at is string => at !== undefined).sort().at(-1) ?? task.createdAt;

/** A task's id: the same for the same execution, state and entry into it, so a re-run of the step finds its task. */
export const taskIdOf = (execution: string, step: string, enteredAt: string) => createHash('sha256').update([execution, step, enteredAt].join('\u0000')).digest('hex').slice(0, 32);

function itemOf({ task, token, execution, tenant, deliveryLease }: StoredTask): Item {
  const active = ACTIVE.has(task.status);
  return {
    ...keyOf(tenant, task.id),
    ...task,
    tenant,
    token,
    execution,
    ...(deliveryLease && ANSWERING.has(task.status) ? { deliveryLease } : {}),
    gsi4pk: instancePk(tenant, task.instance),
    gsi4sk: task.id,
    ...(active && task.assignee ? { gsi2pk: userPk(tenant, task.assignee), gsi2sk: dueKey(task) } : {}),
    ...(task.status === 'open' && !task.assignee && task.team ? { gsi3pk: teamPk(tenant, task.team), gsi3sk: dueKey(task) } : {}),
    ...(active && task.team ? { gsi1pk: supervisedPk(tenant, task.team), gsi1sk: dueKey(task) } : {}),
    ...(!active && task.assignee ? { gsi2pk: donePk(tenant, task.assignee), gsi2sk: `${endedAt(task)}#${task.id}` } : {}),
  };
}

function storedOf(item: Item): StoredTask {
  const { pk: _pk, sk: _sk, tenant, token, execution, deliveryLease, gsi1pk: _1, gsi1sk: _1s, gsi2pk: _2, gsi2sk: _2s, gsi3pk: _3, gsi3sk: _3s, gsi4pk: _4, gsi4sk: _4s, ...task } = item;
  return { task: task as unknown as Task, token: token as string, execution: execution as string, tenant: tenant as string, ...(typeof deliveryLease === 'string' ? { deliveryLease } : {}) };
}

/** Puts the task: new (none under its id), or over the version it was read at. False when that condition failed. */
async function save(stored: StoredTask, readAt: number | undefined): Promise<boolean> {
  try {
    await callStore('write task', () =>
      putItem({
        Item: itemOf(stored),
        ConditionExpression: readAt === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
        ...(readAt === undefined ? {} : { ExpressionAttributeValues: { ':version': readAt } }),
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

async function read(tenant: string, id: string): Promise<StoredTask | undefined> {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  const { Item: item } = await callStore('read task', () => getItem({ Key: keyOf(tenant, id), ConsistentRead: true }));
  return item && storedOf(item);
}

/**
 * Writes the task a `.waitForTaskToken` step offers (at least once: the same step entered once is
 * one task; run again after a crash, it keeps the task and takes the token it is given now, the
 * one Step Functions waits for).
 */
export async function offerTask(started: TaskStarted, at = new Date().toISOString()): Promise<Task> {
  const { instance, spec } = started;
  const id = taskIdOf(started.execution, started.step, started.enteredAt);
  const task: Task = {
    id,
    title: spec.title,
    process: instance.process,
    step: started.step,
    instance: instance.id,
    subject: instance.subject,
    assignee: 'user' in spec.assignee ? spec.assignee.user : null,
    team: 'team' in spec.assignee ? spec.assignee.team : null,
    due: spec.due ?? null,
    ...(spec.remindAt ? { remindAt: spec.remindAt } : {}),
    priority: spec.priority ?? 'normal',
    form: spec.form,
    status: 'open',
    createdAt: at,
    completion: null,
    rejection: null,
    closed: null,
    ...(spec.escalation ? { escalation: true } : {}),
    version: 1,
  };
  for (;;) {
    if (await save({ task, token: started.token, execution: started.execution, tenant: instance.tenant }, undefined)) return task;
    const existing = (await read(instance.tenant, id))!;
    if (existing.token === started.token || !ACTIVE.has(existing.task.status)) return existing.task;
    const renewed = { ...existing, token: started.token, task: { ...existing.task, version: existing.task.version + 1 } };
    if (await save(renewed, existing.task.version)) return renewed.task;
  }
}

/** The task as it is now (strongly consistent), for the system (a reminder about to fire); undefined when there is none. */
export const taskOf = async (tenant: string, id: string): Promise<Task | undefined> => (await read(tenant, id))?.task;

/** Who may act on a task: its assignee; while unclaimed, a member of its team. */
const holds = (principal: Principal, task: Task) => (task.assignee ? task.assignee === principal.sub : task.team !== null && principal.teams.includes(task.team));

/** Whether the principal supervises the task's team. */
const supervises = async (principal: Principal, task: Task) => task.team !== null && (await teams.find(principal.tenant, task.team))?.supervisor === principal.sub;

/** Who may give a task to someone else: an administrator, or the supervisor of its team. */
const mayReassign = async (principal: Principal, task: Task) => !!principal.role?.administer || (await supervises(principal, task));

/** The task, to its assignee, its team's members and supervisor, and administrators; anyone else of the tenant is refused (403), another tenant's is none (404). */
export async function visibleTask(principal: Principal, id: string): Promise<Task> {
  const stored = await read(principal.tenant, id);
  if (!stored) throw new TaskNotFoundError(id);
  const { task } = stored;
  const sees = holds(principal, task) || (task.team !== null && principal.teams.includes(task.team)) || (await mayReassign(principal, task));
  if (!sees) throw new ForbiddenError(`task ${id} is neither yours nor your team's`);
  return task;
}

/** A task to act on as `principal`: 404 when there is none, 403 when it is not theirs to act on. */
async function actable(principal: Principal, id: string): Promise<StoredTask> {
  const stored = await read(principal.tenant, id);
  if (!stored) throw new TaskNotFoundError(id);
  if (!holds(principal, stored.task)) {
    throw new ForbiddenError(`task ${id} is ${stored.task.assignee ? 'assigned to another user' : 'not offered to your teams'}`);
  }
  return stored;
}

/**
 * Moves the task on from one of `from` (as read), or throws: a concurrent change wins once, and
 * the loser is answered with the task as it is now.
 */
async function move(principal: Principal, id: string, from: readonly TaskStatus[], change: (task: Task) => Partial<Task>, deliveryLease?: string): Promise<StoredTask> {
  const stored = await actable(principal, id);
  if (!from.includes(stored.task.status)) throw new TaskNotOpenError(stored.task);
  const next: StoredTask = { ...stored, task: { ...stored.task, ...change(stored.task), version: stored.task.version + 1 }, ...(deliveryLease ? { deliveryLease } : {}) };
  if (await save(next, stored.task.version)) return next;
  const now = (await read(principal.tenant, id))!;
  throw holds(principal, now.task) || now.task.assignee === null ? new TaskNotOpenError(now.task) : new ForbiddenError(`task ${id} was claimed by another user`);
}

/** The task's moves with one more (the latest MAX_TASK_MOVES kept), for the instance's timeline to tell who held it how. */
const movedOn = (task: Task, change: Omit<TaskMove, 'at'>): Pick<Task, 'moves'> => ({ moves: [...(task.moves ?? []), { at: new Date().toISOString(), ...change }].slice(-MAX_TASK_MOVES) });

export const claimTask = async (principal: Principal, id: string): Promise<Task> => {
  const stored = await actable(principal, id);
  if (stored.task.team === null || stored.task.assignee !== null) throw new TaskNotOpenError(stored.task);
  return (await move(principal, id, ['open'], (task) => ({ assignee: principal.sub, status: 'claimed', ...movedOn(task, { kind: 'claimed', by: principal.sub }) }))).task;
};

/** Gives a claimed task back to its team. */
export const releaseTask = async (principal: Principal, id: string): Promise<Task> =>
  (await move(principal, id, ['claimed'], (task) => ({ assignee: null, status: 'open', ...movedOn(task, { kind: 'released', by: principal.sub }) }))).task;

/** Completes the task with its form: recorded, then delivered (see the module's note). */
export async function completeTask(principal: Principal, id: string, values: FormValues): Promise<Task> {
  const stored = await actable(principal, id);
  // Completing twice is refused (409), whatever the first is doing now: its delivery is the stream's to finish.
  if (!['open', 'claimed'].includes(stored.task.status)) throw new TaskNotOpenError(stored.task);
  checkForm(stored.task.form, values);
  const at = new Date();
  await move(principal, id, ['open', 'claimed'], () => ({ assignee: principal.sub, status: 'completing', completion: { by: principal.sub, at: at.toISOString(), values } }), leaseFrom(at));
  return delivered(principal.tenant, id);
}

/** Rejects the task with a reason (SendTaskFailure, `TaskRejected`, which the definition's Catch routes). */
export async function rejectTask(principal: Principal, id: string, reason: string): Promise<Task> {
  const at = new Date();
  await move(principal, id, ['open', 'claimed'], () => ({ assignee: principal.sub, status: 'rejecting', rejection: { by: principal.sub, at: at.toISOString(), reason } }), leaseFrom(at));
  return delivered(principal.tenant, id);
}

/** The lease of the API's own delivery of an answer recorded at `at`. */
const leaseFrom = (at: Date) => new Date(at.getTime() + DELIVERY_LEASE_MS).toISOString();

/**
 * The answer delivered; one the engine no longer took (it closed the task first) is refused with
 * the task, closed, and why; one not yet decided is answered as recorded (`completing`), for the
 * stream's consumer to deliver.
 */
async function delivered(tenant: string, id: string): Promise<Task> {
  let task: Task;
  try {
    task = await deliverAnswer(tenant, id);
  } catch (err) {
    if (err instanceof AnswerUndecidedError) return err.task;
    throw err;
  }
  if (task.status === 'cancelled' || task.status === 'escalated') throw new TaskNotOpenError(task);
  return task;
}

/**
 * Gives the task to a user (assigned to them; a team's task stays its team's, as claimed for them)
 * or to a team (unclaimed, for its members), by the supervisor of its team or an administrator,
 * conditional on the version it was read at (changed meanwhile: decided again on what it is
 * now). A task already where it is sent is answered unchanged (`changed: false`).
 */
export async function reassignTask(principal: Principal, id: string, to: Assignee): Promise<{ task: Task; changed: boolean }> {
  for (;;) {
    const stored = await read(principal.tenant, id);
    if (!stored) throw new TaskNotFoundError(id);
    const { task } = stored;
    if (!(await mayReassign(principal, task))) throw new ForbiddenError(`task ${id} is reassigned by the supervisor of its team or an administrator`);
    if (task.status !== 'open' && task.status !== 'claimed') throw new TaskNotOpenError(task);
    const change: Pick<Task, 'assignee' | 'team' | 'status'> = 'user' in to ? { assignee: to.user, team: task.team, status: task.team ? 'claimed' : 'open' } : { assignee: null, team: to.team, status: 'open' };
    if (task.assignee === change.assignee && task.team === change.team && task.status === change.status) return { task, changed: false };
    const next = { ...stored, task: { ...task, ...change, ...movedOn(task, { kind: 'reassigned', by: principal.sub, to }), version: task.version + 1 } };
    if (await save(next, task.version)) return { task: next.task, changed: true };
  }
}

/** Whom a task may be given to: an active user of the tenant, or a team of it; else 400 naming `to.user` / `to.team`. */
export async function assertAssignable(tenant: string, to: Assignee): Promise<void> {
  const known = 'user' in to ? (await currentDirectory(tenant)).users.some((user) => user.sub === to.user && user.active) : (await teams.find(tenant, to.team)) !== undefined;
  if (known) return;
  if ('user' in to) throw new FieldValidationError([{ path: 'to.user', message: 'is no active user of this tenant', value: to.user }]);
  throw new FieldValidationError([{ path: 'to.team', message: 'is not a team of this tenant', value: to.team }]);
}

/** Whether the keys are a task's item (the stream's consumer of recorded answers). */
export const isTaskItem = ({ pk, sk }: { pk: string; sk: string }) => sk === SK && parsePartitionKey(pk)?.word === kind.word;

/** An answer recorded and not yet delivered (a task item `completing` or `rejecting`): its tenant and id. */
export function answerToDeliver(item: Item): { tenant: string; id: string } | undefined {
  return item.status === 'completing' || item.status === 'rejecting' ? { tenant: item.tenant as string, id: item.id as string } : undefined;
}

/** The error a rejection is sent as: the definition's Catch names it. */
export const TASK_REJECTED = 'TaskRejected';

/**
 * The answer is sent, Step Functions no longer took it, and the execution's history does not yet
 * say whether that was because it took ours (another copy, a moment before) or closed the task
 * otherwise: the task stays `completing`/`rejecting` and is delivered again (the stream's
 * consumer fails the record on this, so the event source tries it again).
 */
export class AnswerUndecidedError extends Error {
  constructor(readonly task: Task) {
    super(`task ${task.id}: the answer was sent and not taken, and the execution's history does not yet say why; it is delivered again`);
    this.name = 'AnswerUndecidedError';
  }
}

/** How a task whose token closed before our answer reached it is closed, by what the history says. */
function closedBy(fate: Extract<AnswerFate, { fate: 'closed' }>): Pick<Task, 'status' | 'closed'> {
  const at = new Date().toISOString();
  if (fate.why === 'timedOut') return { status: 'escalated', closed: { at, reason: 'not done by its due time: the step timed out before the answer reached it' } };
  return { status: 'cancelled', closed: { at, reason: `the process no longer waited for this task: ${fate.detail} before the answer reached it` } };
}

/**
 * The stream's copy of a recorded answer: left to the API that recorded it while its lease lasts
 * (looked at again, sooner at first, until the task is answered or the lease has passed), then
 * delivered here: the API stopped before it finished, or took longer than its lease (then both
 * send, and Step Functions takes one).
 */
export async function deliverLeftAnswer(tenant: string, id: string): Promise<void> {
  for (let look = ANSWER_LOOK_MS; ; look = Math.min(look * 2, ANSWER_LOOK_MAX_MS)) {
    const stored = await read(tenant, id);
    if (!stored || !ANSWERING.has(stored.task.status)) return;
    const leaseLeft = stored.deliveryLease ? Date.parse(stored.deliveryLease) - Date.now() : 0;
    if (!(leaseLeft > 0)) {
      await deliverAnswer(tenant, id);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(look, leaseLeft)));
  }
}

/**
 * Sends a recorded answer (a task `completing` or `rejecting`) to Step Functions and marks the
 * task done or rejected. One whose token no longer waits is decided from the execution's history:
 * done if the execution took our answer, closed (cancelled or escalated, with why) if the step
 * ended otherwise, else AnswerUndecidedError. Anything else is left as it is. Safe to call again,
 * from any container, at any point.
 */
export async function deliverAnswer(tenant: string, id: string): Promise<Task> {
  const stored = await read(tenant, id);
  if (!stored) throw new TaskNotFoundError(id);
  const { task } = stored;
  if (!ANSWERING.has(task.status)) return task;
  // Marks the answer in what Step Functions keeps, so that a later look can find it.
  const marker = `${task.id}#${task.version}`;
  const answer =
    task.status === 'completing'
      ? { output: { task: task.id, answer: marker, by: task.completion!.by, values: task.completion!.values } }
      : { error: TASK_REJECTED, cause: JSON.stringify({ task: task.id, answer: marker, by: task.rejection!.by, reason: task.rejection!.reason }) };
  const sent = await answerTask(stored.token, answer);
  const fate: AnswerFate = sent === 'delivered' ? { fate: 'applied' } : await answerFateIn(stored.execution, stored.token, marker);
  if (fate.fate === 'unknown') throw new AnswerUndecidedError(task);
  const next: Task = {
    ...task,
    ...(fate.fate === 'applied' ? { status: task.status === 'completing' ? 'done' : 'rejected' } : closedBy(fate)),
    version: task.version + 1,
  };
  if (await save({ ...stored, task: next }, task.version)) return next;
  return (await read(tenant, id))!.task;
}

/** Every task of the instance, as stored (an index read: just after a change it may lag). */
const storedTasksOf = async (instance: Pick<TaskInstance, 'tenant' | 'id'>): Promise<StoredTask[]> =>
  (await queryAll('list an instance\'s tasks', { IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': instancePk(instance.tenant, instance.id) } })).map(storedOf);

/** Every task of the instance (its timeline tells who held them how), for a caller who may see the instance. */
export const tasksOfInstance = async (instance: Pick<TaskInstance, 'tenant' | 'id'>): Promise<Task[]> => (await storedTasksOf(instance)).map((stored) => stored.task);

/**
 * Closes the instance's tasks still open or claimed (the process ended, or the step passed its due
 * time): `cancelled` or `escalated`, with why. One being answered is left to its delivery.
 */
export async function closeTasksOf(instance: Pick<TaskInstance, 'tenant' | 'id'>, status: 'cancelled' | 'escalated', reason: string): Promise<void> {
  const at = new Date().toISOString();
  for (const stored of await storedTasksOf(instance)) {
    let current: StoredTask | undefined = stored;
    while (current && (current.task.status === 'open' || current.task.status === 'claimed')) {
      if (await save({ ...current, task: { ...current.task, status, closed: { at, reason }, version: current.task.version + 1 } }, current.task.version)) break;
      current = await read(instance.tenant, current.task.id);
    }
  }
}

/**
 * One page of the caller's tasks: their own (`mine`), the unclaimed ones of their teams (`team`),
 * the unanswered ones of the teams they supervise (`supervised`; an administrator: every team's),
 * earliest due first, each team's list merged by due time; or those they answered or held when
 * the engine closed them (`done`), latest first. At most `limit` items are read a list.
 */
export async function listTasks(principal: Principal, query: TaskListQuery): Promise<TaskPage> {
  const limit = query.limit ?? 50;
  const latestFirst = query.view === 'done';
  const lists = await listsOf(principal, query.view);
  const pages = await Promise.all(
    lists.map(({ index, pk }) =>
      callStore('list tasks', () =>
        queryItems({
          IndexName: index,
          KeyConditionExpression: query.cursor ? `#pk = :pk AND #sk ${latestFirst ? '<' : '>'} :after` : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': `${index}pk`, ...(query.cursor ? { '#sk': `${index}sk` } : {}) },
          ExpressionAttributeValues: { ':pk': pk, ...(query.cursor ? { ':after': query.cursor } : {}) },
          ScanIndexForward: !latestFirst,
          Limit: limit,
        }),
      ),
    ),
  );
  const keyOfItem = (item: Item) => item[`${lists[0]?.index}sk`] as string;
  const found = pages.flatMap((page) => page.Items ?? []).sort((a, b) => (keyOfItem(a) < keyOfItem(b) ? -1 : 1) * (latestFirst ? -1 : 1));
  const items = found.slice(0, limit);
  const more = found.length > limit || pages.some((page) => page.LastEvaluatedKey);
  return { items: items.map((item) => storedOf(item).task), ...(more && items.length ? { nextCursor: keyOfItem(items.at(-1)!) } : {}) };
}

/** The index partitions a view of the caller's tasks reads. */
async function listsOf(principal: Principal, view: TaskListQuery['view']): Promise<Array<{ index: string; pk: string }>> {
  const { tenant, sub } = principal;
  if (view === 'mine') return [{ index: 'gsi2', pk: userPk(tenant, sub) }];
  if (view === 'done') return [{ index: 'gsi2', pk: donePk(tenant, sub) }];
  if (view === 'team') return principal.teams.map((team) => ({ index: 'gsi3', pk: teamPk(tenant, team) }));
  const supervised = (await teams.list(tenant)).filter((team) => team.supervisor === sub || principal.role?.administer);
  return supervised.map((team) => ({ index: 'gsi1', pk: supervisedPk(tenant, team.id) }));
}
