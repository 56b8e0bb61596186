/**
 * The quick sale as both sides know it: the order a start takes (`QuickSaleStart`: the client,
 * product lines, delivery, notes) and the tenant's configuration of the process
 * (`QuickSaleConfig`: its fulfilment steps, quality control, follow-up, reminders, escalation),
 * which `GET|PUT /api/processes/quick-sale/config` read and change.
 *
 * Both ride in the execution's input (a running sale keeps the configuration it started with),
 * whose limit is Step Functions' 256 KiB: each is bounded in bytes as well as per field, so that
 * together (MAX_START_BYTES + MAX_CONFIG_BYTES, and the instance's few hundred bytes) they stay
 * well under it.
 */
import { z } from 'zod';
import { CompanyFields } from './company.ts';
import { ContactFields } from './contact.ts';
import { DealLineInput, type DealLine } from './deal.ts';
import { distinctBy } from './distinct.ts';
import type { Money } from './money.ts';
import { WORKING_DURATION_MAX } from './calendars.ts';
import { LongText } from './text.ts';
import { IsoDate, RecordId } from './values.ts';
import { TaskForm } from './forms.ts';

/** The most a start's `input` may be, as UTF-8 JSON. */
export const MAX_START_BYTES = 64 * 1024;
/** The most a configuration may be, as UTF-8 JSON. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** At most this many product lines in an order. */
export const MAX_ORDER_LINES = 100;
/** Fulfilment steps a configuration has: at least one, at most this many. */
export const MAX_FULFILMENT_STEPS = 10;

const utf8Bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** Refuses a value whose JSON is over `max` bytes, naming the whole (`path` []). */
const withinBytes =
  (max: number, what: string) =>
  (value: unknown, ctx: z.RefinementCtx): void => {
    const bytes = utf8Bytes(value);
    if (bytes > max) ctx.addIssue({ code: 'custom', message: `${what} must be at most ${max} bytes as JSON (is ${bytes})` });
  };

/**
 * Who buys: a company or contact of the tenant, or one created with the sale (its fields as a
 * `POST /api/companies` or `/api/contacts` takes them, custom fields included; created once per
 * start key). Left out, the record the sale starts on is the client (a company or a contact), or
 * for a deal the deal's company.
 */
export const QuickSaleClient = z
  .strictObject({
    type: z.enum(['company', 'contact']).optional(),
    id: RecordId.optional(),
    create: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('company'), fields: CompanyFields.loose() }),
        z.strictObject({ type: z.literal('contact'), fields: ContactFields.loose() }),
      ])
      .optional(),
  })
  // One object rather than a union of two, so that a refusal names the field at fault (`client.create.fields.name`), not the union.
  .superRefine((client, ctx) => {
    if (client.create && (client.type !== undefined || client.id !== undefined)) ctx.addIssue({ code: 'custom', message: 'must either pick a record ({type, id}) or create one ({create}), not both' });
    if (client.create) return;
    for (const field of ['type', 'id'] as const) if (client[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required (or create the client: {create: {type, fields}})' });
  });
export type QuickSaleClient = z.infer<typeof QuickSaleClient>;

/** Where and when the order goes. */
export const Delivery = z.strictObject({ address: LongText(1_000).pipe(z.string().trim().min(1, 'is required')), date: IsoDate });
export type Delivery = z.infer<typeof Delivery>;

/**
 * A quick sale's start: the order taken. Lines are a deal's product lines (a product of the
 * catalogue or none; quantity, unit price, discount %), their amounts and total computed by the
 * server as a deal's are; a sale on a deal writes them to it.
 */
export const QuickSaleStart = z
  .strictObject({
    client: QuickSaleClient.optional(),
    lines: z.array(DealLineInput).min(1).max(MAX_ORDER_LINES),
    delivery: Delivery,
    notes: LongText(10_000).optional(),
  })
  .superRefine(withinBytes(MAX_START_BYTES, 'the order'));
export type QuickSaleStart = z.infer<typeof QuickSaleStart>;

/** How long a person has for a step, in working hours or working days of their team's calendar. */
export const StepDue = z
  .strictObject({ amount: z.number().int().min(1), unit: z.enum(['hours', 'days']) })
  .refine((due) => due.amount <= WORKING_DURATION_MAX[due.unit], { message: 'must be at most a year of working time (365 days, 8,760 hours)', path: ['amount'] });
export type StepDue = z.infer<typeof StepDue>;

/** A team of the tenant (its id); the server checks it is one. */
const TeamId = z.string().min(1).max(64);

/**
 * What happens to a step not done by its due time: `supervisor`, it goes to the supervisor of its
 * team (a follow-up: of the account owner's team), due anew; `none`, it waits on as it is.
 */
export const StepEscalation = z.enum(['supervisor', 'none']);
export type StepEscalation = z.infer<typeof StepEscalation>;

export const FulfilmentStep = z.strictObject({
  /** The step's name, as its task's title and the instance's step show it. */
  name: z.string().trim().min(1).max(80).regex(/^[^#\p{Cc}]+$/u, 'must be one line without #'),
  /** The team offered it; null: the person who took the order does it. */
  team: TeamId.nullable(),
  form: TaskForm,
  due: StepDue,
});
export type FulfilmentStep = z.infer<typeof FulfilmentStep>;

export const QuickSaleConfigFields = z
  .strictObject({
    /** Done in this order, each by its team. */
    fulfilment: z
      .array(FulfilmentStep)
      .min(1)
      .max(MAX_FULFILMENT_STEPS)
      .superRefine(distinctBy('name', "must differ from the other steps' names")),
    /** Quality control `delay` working days (of its team's calendar) after the last fulfilment step: a rating 1-5 and a comment. */
    qc: z.strictObject({
      team: TeamId.nullable(),
      delay: z.number().int().min(0).max(WORKING_DURATION_MAX.days),
      /** A rating below this opens a follow-up for the client's owner. */
      threshold: z.number().int().min(1).max(5),
      due: StepDue,
      /** The rating not done by its due time (absent: as `escalation` says for fulfilment). */
      escalation: StepEscalation.optional(),
    }),
    /** The follow-up not done by its due time goes to the supervisor of the owner's team (absent: as `escalation` says). */
    followUp: z.strictObject({ due: StepDue, escalation: StepEscalation.optional() }),
    /** A reminder when this share of a task's time has passed (0: none). */
    reminderShare: z.number().min(0).max(1),
    /** A fulfilment step not done by its due time: reassigned to its team's supervisor (with a new due time), or left as it is; quality control and follow-up too unless they say otherwise. */
    escalation: StepEscalation,
  })
  .superRefine(withinBytes(MAX_CONFIG_BYTES, 'the configuration'));
export type QuickSaleConfigFields = z.infer<typeof QuickSaleConfigFields>;

/** The tenant's configuration: version 0 is the default of a tenant that never saved one. */
export const QuickSaleConfig = z.object({
  config: QuickSaleConfigFields,
  version: z.number().int().min(0),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type QuickSaleConfig = z.infer<typeof QuickSaleConfig>;

/** `PUT /api/processes/quick-sale/config`: the whole configuration, over the version the administrator saw (409 with the current one otherwise). */
export const PutQuickSaleConfigBody = z.strictObject({ version: z.number().int().min(0), config: QuickSaleConfigFields });
export type PutQuickSaleConfigBody = z.infer<typeof PutQuickSaleConfigBody>;

/** The order as a running sale keeps it: the client resolved, the lines with their amounts and the total. */
export interface QuickSaleOrder {
  client: { type: 'company' | 'contact'; id: string };
  lines: DealLine[];
  amount: Money;
  delivery: Delivery;
  notes?: string;
}
