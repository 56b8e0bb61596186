/**
 * Human tasks as both sides know them: a step a person does in a process (a `.waitForTaskToken`
 * task of its state machine), its form, and the bodies that claim, complete and reject one (see
 * functions/tasks/).
 */
import { z } from 'zod';
import { LongText, Name, Text } from './text.ts';
import { Assignee, InstanceId, PROCESS_NAMES, ProcessSubject } from './processes.ts';

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

/** A field of a task's form: what the person fills in, checked by the server on completion. */
export const FormField = z.strictObject({
  key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/),
  label: Name(200),
  type: z.enum(['text', 'number', 'boolean', 'date']),
  required: z.boolean().optional(),
});
export const TaskForm = z.strictObject({ fields: z.array(FormField).max(50) });
export type TaskForm = z.infer<typeof TaskForm>;

/** The most a completed form may hold, as JSON: its values ride in the execution's state (256 KiB). */
export const MAX_FORM_BYTES = 32 * 1024;
/** The most a text value of a form may hold. */
export const MAX_FORM_TEXT = 10_000;

/** Values of a form as sent: checked against the task's form (functions/tasks/task-form.ts). */
export const FormValues = z.record(z.string().max(64), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type FormValues = z.infer<typeof FormValues>;

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
  /** When its holder is reminded (a share of its time passed: TaskSpec's reminderShare); none without. */
  remindAt: z.string().nullable().optional(),
  priority: TaskPriority,
  form: TaskForm,
  status: TaskStatus,
  createdAt: z.string(),
  completion: z.object({ by: z.string(), at: z.string(), values: FormValues }).nullable(),
  rejection: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  /** Why the engine closed it (cancelled, escalated). */
  closed: z.object({ at: z.string(), reason: z.string() }).nullable(),
  version: z.number().int(),
});
export type Task = z.infer<typeof Task>;

/** At most this many tasks a page. */
export const MAX_TASK_PAGE = 100;

/** `GET /api/tasks`: the caller's own (`mine`, assigned or claimed) or their teams' unclaimed ones, earliest due first. */
export const TaskListQuery = z.strictObject({
  view: z.enum(['mine', 'team']).default('mine'),
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

/** What a definition gives a task it creates (functions/tasks/tasks.ts checks it). */
export const TaskSpec = z.object({
  title: Text(200),
  assignee: Assignee,
  due: z.string().nullable().optional(),
  /** Remind its holder once this share of the time from the offer to `due` has passed (0 or none: no reminder). */
  reminderShare: z.number().min(0).max(1).optional(),
  priority: TaskPriority.optional(),
  form: TaskForm,
});
export type TaskSpec = z.infer<typeof TaskSpec>;
