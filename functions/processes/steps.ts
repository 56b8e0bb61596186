/**
 * The `processSteps` function: what a process's state machine calls to keep its instance item
 * current (`step`: the state it entered, who holds it, its due time; `close`: its outcome), to
 * offer a human task (`task`), to compute a human step's assignee and due time on the business
 * calendars (`plan`, and `escalate` past its due time), a timer's end (`wait`), and to take a
 * quick sale's order (`order`: a deal gets its lines). Called at least once per state (a crashed
 * call runs again): every write is the same write again, every computation from the state
 * machine's time the same again.
 *
 * Every version of a definition still running calls it: the payloads of earlier ones stay
 * accepted (the first quick sale's `escalate` without a plan, for one).
 */
import { z } from 'zod';
import { Assignee, InstanceId, PROCESS_NAMES, ProcessSubject } from '../contracts/processes.ts';
import { DealLine } from '../contracts/deal.ts';
import { MAX_ORDER_LINES, StepDue } from '../contracts/quick-sale.ts';
import { TaskSpec } from '../contracts/tasks.ts';
import { closeTasksOf, offerTask } from '../tasks/tasks.ts';
import { writeInstance } from './instances.ts';
import { writeOrderToDeal } from './quick-sale-order.ts';
import { escalatedPlan, planStep, workingDaysAfter, type StepPlan, type StepPlanRequest } from './step-plans.ts';

/** The instance as the definition hands it over: its execution input's `instance` and the execution's start. */
const Instance = z.object({ tenant: z.string(), id: InstanceId, process: z.enum(PROCESS_NAMES), subject: ProcessSubject, startedBy: z.string(), startedAt: z.string() });

/** A human step to plan: for whom, how long, with what reminder and escalation (the configuration the execution started with). */
const Planning = {
  at: z.string(),
  who: z.union([z.object({ team: z.string().nullable() }), z.object({ ownerOf: ProcessSubject })]),
  due: StepDue,
  reminderShare: z.number().min(0).max(1),
  escalation: z.enum(['supervisor', 'none']),
};

export const ProcessStepEvent = z.discriminatedUnion('action', [
  z.object({ action: z.literal('step'), instance: Instance, step: z.string(), assignee: Assignee.nullable().optional(), due: z.string().nullable().optional() }),
  z.object({ action: z.literal('close'), instance: Instance, outcome: z.string() }),
  // A `.waitForTaskToken` step: the task it offers (the execution waits for its token).
  z.object({ action: z.literal('task'), instance: Instance, execution: z.string(), step: z.string(), enteredAt: z.string(), token: z.string(), task: TaskSpec }),
  // A task not done by its due time (the step's TimeoutSeconds, caught): its open tasks escalate; with a planning, the step's next plan.
  z.object({ action: z.literal('escalate'), instance: Instance, reason: z.string(), ...z.object(Planning).partial().shape }),
  // The quick sale's order taken: the instance at its first step; a deal subject gets the order's lines (and so its amount).
  z.object({ action: z.literal('order'), instance: Instance, step: z.string(), order: z.object({ lines: z.array(DealLine).max(MAX_ORDER_LINES) }) }),
  z.object({ action: z.literal('plan'), instance: Instance, ...Planning }),
  // A timer's end, `days` working days after `at` on the team's calendar: the instance waits at `step` until then.
  z.object({ action: z.literal('wait'), instance: Instance, step: z.string(), at: z.string(), team: z.string().nullable(), days: z.number().int().min(0) }),
]);
export type ProcessStepEvent = z.infer<typeof ProcessStepEvent>;

/** A payload no version of a definition sends: a bug, not worth a retry. */
export class BadStepEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadStepEventError';
  }
}

type Planned = Extract<ProcessStepEvent, { action: 'plan' }>;
const planRequest = (event: Pick<Planned, 'instance' | 'at' | 'who' | 'due' | 'reminderShare' | 'escalation'>): StepPlanRequest => ({
  tenant: event.instance.tenant,
  startedBy: event.instance.startedBy,
  at: event.at,
  who: event.who,
  due: event.due,
  reminderShare: event.reminderShare,
  escalation: event.escalation,
});

export async function handler(payload: unknown): Promise<{ written: boolean; task?: string; plan?: StepPlan; until?: string; deal?: string }> {
  const parsed = ProcessStepEvent.safeParse(payload);
  if (!parsed.success) throw new BadStepEventError(`not a process step: ${parsed.error.message}`);
  const event = parsed.data;
  switch (event.action) {
    case 'step':
      return { written: await writeInstance(event.instance, { step: event.step, assignee: event.assignee ?? null, ...(event.due !== undefined ? { due: event.due } : {}) }) };
    case 'task': {
      const task = await offerTask({ instance: event.instance, execution: event.execution, step: event.step, enteredAt: event.enteredAt, token: event.token, spec: event.task });
      return { written: await writeInstance(event.instance, { step: event.step, assignee: event.task.assignee, due: event.task.due ?? null }), task: task.id };
    }
    case 'escalate': {
      await closeTasksOf(event.instance, 'escalated', event.reason);
      const { at, who, due, reminderShare, escalation } = event;
      // The first quick sale's definition escalates without a plan: it closes the sale after.
      if (at === undefined || who === undefined || due === undefined || reminderShare === undefined || escalation === undefined) return { written: true };
      return { written: true, plan: await escalatedPlan(planRequest({ instance: event.instance, at, who, due, reminderShare, escalation })) };
    }
    case 'order': {
      const written = await writeInstance(event.instance, { step: event.step, assignee: { user: event.instance.startedBy } });
      if (event.instance.subject.type !== 'deal') return { written };
      const deal = await writeOrderToDeal(event.instance.tenant, event.instance.startedBy, event.instance.subject.id, event.order);
      return { written, deal };
    }
    case 'plan':
      return { written: false, plan: await planStep(planRequest(event)) };
    case 'wait': {
      const until = await workingDaysAfter(event.instance.tenant, event.team, event.at, event.days);
      return { written: await writeInstance(event.instance, { step: event.step, assignee: null, due: until }), until };
    }
    case 'close':
      return { written: await writeInstance(event.instance, { status: 'completed', outcome: { result: event.outcome } }) };
  }
}
