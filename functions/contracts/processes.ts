/**
 * Business processes as both sides know them: which processes there are and which record types
 * each starts on, the body that starts one, and a process instance as the API answers it (see
 * functions/processes/). An instance is an item of the table kept current by its state machine,
 * so lists and the card read items, never Step Functions.
 */
import { z } from 'zod';
import { QuickSaleStart } from './quick-sale.ts';
import { RecordId } from './values.ts';
import { RECORD_TYPE_NAMES } from './record-types.ts';

/** Every process, the record types it may start on, and how people call it. */
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

/** `GET /api/processes/instances`: newest first, filtered by process, status and subject. */
export const InstanceListQuery = z.strictObject({
  process: z.enum(PROCESS_NAMES).optional(),
  status: InstanceStatus.optional(),
  subject: SubjectQuery.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_INSTANCE_PAGE).optional(),
  /** `nextCursor` of the page before. */
  cursor: z.string().regex(/^[0-9TZ:.-]{1,40}#[0-9a-f]{32}$/, 'must be a cursor this list answered').optional(),
});
export type InstanceListQuery = z.infer<typeof InstanceListQuery>;

export const InstancePage = z.object({ items: z.array(ProcessInstance), nextCursor: z.string().optional() });
export type InstancePage = z.infer<typeof InstancePage>;
