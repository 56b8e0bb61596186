/**
 * Human tasks as both sides know them: a step a person does in a process (a `.waitForTaskToken`
 * task of its state machine), its form, and the bodies that claim, complete and reject one (see
 * functions/tasks/).
 */
import { z } from 'zod';
import { LongText, Name, Text } from './text.ts';
import { Assignee, InstanceId, PROCESS_NAMES, ProcessSubject } from './processes.ts';
import { FormValues, TaskForm } from './forms.ts';

/**
 * Where a task stands. `open` (offered to its team, or assigned), `claimed` (a team member took
 * it); `completing` and `rejecting` while the answer is delivered to Step Functions; then `done`
 * or `rejected`. The engine may close it first: `cancelled` (the process ended or no longer waits
 * for it) or `escalated` (not done by its due time); `closed` says why.
 */
export const TASK_STATUSES = ['open', 'claimed', 'completing', 'done', 'rejecting', 'rejected', 'cancelled', 'escalated'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TaskPriority = z.enum(['low', 'normal', 'high']);

export { FormField, FormValues, MAX_FORM_BYTES, MAX_FORM_TEXT, TaskForm } from './forms.ts';

/** A change of who holds a task: claimed, released to its team, or given to a user or team by someone else (`by`). */
export const TaskMove = z.object({
  at: z.string(),
  kind: z.enum(['claimed', 'released', 'reassigned']),
  by: z.string(),
  /** Reassigned: to whom. */
  to: Assignee.optional(),
});
export type TaskMove = z.infer<typeof TaskMove>;
/** A task keeps its latest this many moves (a claim and release back and forth never grows it further). */
export const MAX_TASK_MOVES = 50;

export const Task = z.object({
  id: z.string(),
  title: z.string(),
  process: z.enum(PROCESS_NAMES),
  /** The state of the definition this task is. */
  step: z.string(),
  instance: InstanceId,
  subject: ProcessSubject,
  /** Who does it: a user, or a team whose members may claim it (then `assignee` is who claimed it). */
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  due: z.string().nullable(),
  /** When a reminder is due (a share of the time to `due` passed: the process's configuration); none when absent or null. */
  remindAt: z.string().nullable().optional(),
  priority: TaskPriority,
  form: TaskForm,
  status: TaskStatus,
  createdAt: z.string(),
  completion: z.object({ by: z.string(), at: z.string(), values: FormValues }).nullable(),
  rejection: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  /** Why the engine closed it (cancelled, escalated). */
  closed: z.object({ at: z.string(), reason: z.string() }).nullable(),
  /** The step offered again because its task was not done in time (to the supervisor, due anew). */
  escalation: z.boolean().optional(),
  /** Who held it how, oldest first (claims, releases, reassignments; at most MAX_TASK_MOVES, the latest). */
  moves: z.array(TaskMove).optional(),
  version: z.number().int(),
});
export type Task = z.infer<typeof Task>;

/** At most this many tasks a page. */
export const MAX_TASK_PAGE = 100;

/**
 * `GET /api/tasks`: the caller's own (`mine`, assigned or claimed), their teams' unclaimed ones
 * (`team`), the unanswered ones of the teams they supervise (`supervised`), earliest due first; or
 * those they answered, or held when the engine closed them (`done`), latest first.
 */
export const TASK_VIEWS = ['mine', 'team', 'supervised', 'done'] as const;
export const TaskListQuery = z.strictObject({
  view: z.enum(TASK_VIEWS).default('mine'),
  limit: z.coerce.number().int().min(1).max(MAX_TASK_PAGE).optional(),
  cursor: z
    .string()
    .regex(/^([0-9TZ:.-]{1,40}|~)#[0-9a-f]{32}$/, 'must be a cursor this list answered')
    .optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;

export const TaskPage = z.object({ items: z.array(Task), nextCursor: z.string().optional() });
export type TaskPage = z.infer<typeof TaskPage>;

export const CompleteTaskBody = z.strictObject({ form: FormValues });
export type CompleteTaskBody = z.infer<typeof CompleteTaskBody>;

export const RejectTaskBody = z.strictObject({ reason: LongText(2_000).pipe(z.string().trim().min(1, 'must say why')) });
export type RejectTaskBody = z.infer<typeof RejectTaskBody>;

/** A task's id (derived from its execution, step and entry). */
export const TaskId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a task id');

/** At most this many tasks a reassignment. */
export const MAX_REASSIGN = 100;

/** `POST /api/tasks/reassign`: tasks given to a user (assigned to them) or to a team (unclaimed, for its members). */
export const ReassignTasksBody = z.strictObject({ tasks: z.array(TaskId).min(1).max(MAX_REASSIGN), to: Assignee });
export type ReassignTasksBody = z.infer<typeof ReassignTasksBody>;

/** One task's outcome: `done` with the task as it is now, or `refused` with the error's code and why (and the task, where the caller may see it). */
export const ReassignResult = z.discriminatedUnion('result', [
  z.object({ id: z.string(), result: z.literal('done'), task: Task }),
  z.object({ id: z.string(), result: z.literal('refused'), code: z.string(), reason: z.string(), task: Task.optional() }),
]);
export type ReassignResult = z.infer<typeof ReassignResult>;
export const ReassignAnswer = z.object({ results: z.array(ReassignResult) });
export type ReassignAnswer = z.infer<typeof ReassignAnswer>;

/** What a definition gives a task it creates (functions/tasks/tasks.ts checks it). */
export const TaskSpec = z.object({
  title: Text(200),
  assignee: Assignee,
  due: z.string().nullable().optional(),
  remindAt: z.string().nullable().optional(),
  priority: TaskPriority.optional(),
  form: TaskForm,
  /** Offered again after the step's task was not done in time (its escalation). */
  escalation: z.boolean().optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;
