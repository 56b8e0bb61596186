/**
 * Business processes as both sides know them: which processes there are and which record types
 * each starts on, the body that starts one, and a process instance as the API answers it (see
 * functions/processes/). An instance is an item of the table kept current by its state machine,
 * so lists and the card read items, never Step Functions.
 */
import { z } from 'zod';
import { QuickSaleStart } from './quick-sale.ts';
import { FormAnswerLine } from './forms.ts';
import { LongText, Text } from './text.ts';
import { RecordId } from './values.ts';
import { RECORD_TYPE_NAMES } from './record-types.ts';

/** Every process, the record types it may start on, and how people call it. */
/** The change feed's type of a process instance's changes (no record type has it: a record type's key is its own word). */
export const INSTANCE_FEED_TYPE = 'INSTANCE';

export const PROCESS_INFOS = [{ name: 'quick-sale', label: 'Quick sale', startsOn: ['company', 'contact', 'deal'] }] as const;
export type ProcessName = (typeof PROCESS_INFOS)[number]['name'];
export const PROCESS_NAMES = PROCESS_INFOS.map((info) => info.name) as [ProcessName, ...ProcessName[]];

/**
 * The key a client sends with a start: the same key from the same user starts one instance
 * however often it is sent (and by however many copies at once). As an execution name allows.
 */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

export { QuickSaleStart } from './quick-sale.ts';

/** `POST /api/{plural}/{id}/processes`: the process and what its start needs, by process. */
export const StartProcessBody = z.discriminatedUnion('process', [z.strictObject({ process: z.literal('quick-sale'), idempotencyKey: IdempotencyKey, input: QuickSaleStart })]);
export type StartProcessBody = z.infer<typeof StartProcessBody>;

/**
 * Where an instance stands: `running` until it ends; `completed` by its own last step, or
 * `failed`, `timedOut`, `aborted` (stopped), which only Step Functions' status-change event
 * reports.
 */
export const INSTANCE_STATUSES = ['running', 'completed', 'failed', 'timedOut', 'aborted'] as const;
export const InstanceStatus = z.enum(INSTANCE_STATUSES);
export type InstanceStatus = z.infer<typeof InstanceStatus>;

/** Who holds the current step: a user, or a team whose members may claim it. */
export const Assignee = z.union([z.strictObject({ user: z.string() }), z.strictObject({ team: z.string() })]);
export type Assignee = z.infer<typeof Assignee>;

export const ProcessSubject = z.object({ type: z.string(), id: RecordId });
export type ProcessSubject = z.infer<typeof ProcessSubject>;

/** An instance id: derived from its starter and idempotency key (functions/processes/instances.ts). */
export const InstanceId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a process instance id');

export const ProcessInstance = z.object({
  id: InstanceId,
  process: z.enum(PROCESS_NAMES),
  /** The version of the state machine it runs (the `live` alias's at its start); null until known. */
  version: z.number().int().nullable(),
  subject: ProcessSubject,
  status: InstanceStatus,
  /** The state it is in (its name in the definition); null once ended. */
  step: z.string().nullable(),
  assignee: Assignee.nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  due: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** How often it was retried from a failed step (its execution redriven). */
  retries: z.number().int(),
  /** How it ended: its own result, or the error and cause Step Functions reports. */
  outcome: z.object({ result: z.string().optional(), error: z.string().optional(), cause: z.string().optional() }).nullable(),
  updatedAt: z.string(),
});
export type ProcessInstance = z.infer<typeof ProcessInstance>;

/** At most this many instances a page. */
export const MAX_INSTANCE_PAGE = 100;

/** A subject as a query names it: `company:<id>`. */
const SubjectQuery = z
  .string()
  .regex(/^[a-z]+:[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a record as <type>:<id>')
  .refine((subject) => RECORD_TYPE_NAMES.includes(subject.slice(0, subject.indexOf(':'))), 'must name a record type as <type>:<id>');

/** The most a state's name holds (as Step Functions allows). */
export const MAX_STEP_NAME = 80;

/**
 * `GET /api/processes/instances`: newest first, filtered by process, status and subject; or the
 * running instances of a process at a step (`step`, of a `version`, `overdue` only: the monitor's
 * step opens them), earliest due first.
 */
export const InstanceListQuery = z
  .strictObject({
    process: z.enum(PROCESS_NAMES).optional(),
    status: InstanceStatus.optional(),
    subject: SubjectQuery.optional(),
    step: Text(MAX_STEP_NAME).refine((step) => step.length > 0, 'must name a step').optional(),
    version: z.coerce.number().int().min(0).max(1_000_000).optional(),
    overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
    limit: z.coerce.number().int().min(1).max(MAX_INSTANCE_PAGE).optional(),
    /** `nextCursor` of the page before. */
    cursor: z.string().regex(/^[A-Za-z0-9%~._:!'()*#-]{1,600}#[0-9a-f]{32}$/, 'must be a cursor this list answered').optional(),
  })
  .superRefine((query, context) => {
    const needsStep = (field: 'version' | 'overdue') => query[field] !== undefined && query.step === undefined && context.addIssue({ code: 'custom', path: [field], message: 'needs a step' });
    if (query.step !== undefined && query.process === undefined) context.addIssue({ code: 'custom', path: ['process'], message: 'must name the process of the step' });
    if (query.step !== undefined && query.status !== undefined && query.status !== 'running') context.addIssue({ code: 'custom', path: ['status'], message: 'must be running with a step (only a running instance is at a step)' });
    if (query.step !== undefined && query.subject !== undefined) context.addIssue({ code: 'custom', path: ['subject'], message: 'cannot be asked with a step' });
    needsStep('version');
    needsStep('overdue');
  });
export type InstanceListQuery = z.infer<typeof InstanceListQuery>;

export const InstancePage = z.object({ items: z.array(ProcessInstance), nextCursor: z.string().optional() });
export type InstancePage = z.infer<typeof InstancePage>;

/** `POST /api/processes/instances/{id}/cancel`: why (the stopped execution's cause, the closed tasks' reason). */
export const CancelInstanceBody = z.strictObject({ reason: LongText(2_000).pipe(z.string().trim().min(1, 'must say why')) });
export type CancelInstanceBody = z.infer<typeof CancelInstanceBody>;

/**
 * A process's diagram, from its ASL definition (functions/processes/process-diagram.ts): its
 * states (`parent`: the Map or Parallel state it runs inside; a Parallel's branches are groups
 * named `<parallel>#<n>`) and the edges between them (`next`, a Choice's rule or `default`, a
 * Catch's errors, the start of a group's first state).
 */
export const DiagramState = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map', 'Branch']),
  parent: z.string().nullable(),
  /** Ends the machine (or its group): `End`, Succeed or Fail. */
  end: z.boolean(),
  /** A person's step (`.waitForTaskToken`). */
  human: z.boolean(),
});
export type DiagramState = z.infer<typeof DiagramState>;

export const DiagramEdge = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(['next', 'choice', 'default', 'catch', 'start']),
  /** A Choice rule's condition, a Catch's errors. */
  label: z.string().optional(),
});
export type DiagramEdge = z.infer<typeof DiagramEdge>;

export const ProcessDiagram = z.object({ startAt: z.string(), states: z.array(DiagramState), edges: z.array(DiagramEdge) });
export type ProcessDiagram = z.infer<typeof ProcessDiagram>;

/** How many running instances of a version are at a step, and how many of them are past due. */
export const StepCount = z.object({ version: z.number().int(), step: z.string(), running: z.number().int(), overdue: z.number().int() });
export type StepCount = z.infer<typeof StepCount>;

/** `GET /api/processes`: each process with its live version's diagram and its instances' counts. */
export const ProcessOverview = z.object({
  name: z.enum(PROCESS_NAMES),
  label: z.string(),
  /** The version the `live` alias runs (new starts); null when it cannot be read. */
  liveVersion: z.number().int().nullable(),
  diagram: ProcessDiagram,
  /** Per version and step, the running instances the caller sees. */
  counts: z.array(StepCount),
  /** `tenant`: the caller sees every instance (counted by the step index); `visible`: those they see of the newest 10,000 running. */
  counted: z.enum(['tenant', 'visible']),
  /** Instances that failed (shown in the monitor until retried), as `counted`. */
  failed: z.number().int(),
  /** Whether the caller may start it (on a record they may update). */
  mayStart: z.boolean(),
});
export type ProcessOverview = z.infer<typeof ProcessOverview>;

export const ProcessList = z.object({ items: z.array(ProcessOverview), at: z.string() });
export type ProcessList = z.infer<typeof ProcessList>;

/** The most history events a timeline page reads (a completed form may hold 32 KiB: 100 stay far under a response's 6 MB). */
export const MAX_TIMELINE_PAGE = 100;

/** `GET /api/processes/instances/{id}/timeline`: its history, oldest first, a page of events at a time. */
export const TimelineQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_TIMELINE_PAGE).optional(),
  /** `nextCursor` of the page before (Step Functions' own token). */
  cursor: z.string().regex(/^[A-Za-z0-9+/=_-]{1,3000}$/, 'must be a cursor this timeline answered').optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;

/** What a line tells; `claimed`, `released` and `reassigned` come from the tasks (who held them how), the rest from the execution's history. */
export const TIMELINE_KINDS = ['started', 'entered', 'offered', 'claimed', 'released', 'reassigned', 'completed', 'rejected', 'timedOut', 'waiting', 'waited', 'error', 'retry', 'failed', 'succeeded', 'aborted', 'redriven'] as const;

/** One readable line of an instance's history: what happened, at which step, who did it, and what they gave. */
export const TimelineLine = z.object({
  at: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  step: z.string().nullable(),
  text: z.string(),
  /** Who did it (a user's sub), when a person did. */
  by: z.string().nullable(),
  /** The task a line is about (offered, claimed, released, reassigned, completed): its id, to act on it (reassign), its title, to whom (offered, reassigned, released to) and by when. */
  task: z.string().optional(),
  title: z.string().optional(),
  assignee: Assignee.optional(),
  due: z.string().optional(),
  /** A completed task's form values, by field key. */
  values: z.record(z.string(), z.unknown()).optional(),
  /** The same as people read them: each field's label and its value's text, in the form's order. */
  fields: z.array(FormAnswerLine).optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
});
export type TimelineLine = z.infer<typeof TimelineLine>;

/** A page of lines; the first (no cursor) also the diagram of the version the instance runs. */
export const TimelinePage = z.object({ items: z.array(TimelineLine), nextCursor: z.string().optional(), diagram: ProcessDiagram.optional() });
export type TimelinePage = z.infer<typeof TimelinePage>;
