/**
 * The `processSteps` function: what a process's state machine calls to keep its instance item
 * current (`step`: the state it entered, who holds it, its due time; `close`: its outcome). Called
 * at least once per state (a crashed call runs again): every write is the same write again.
 */
import { z } from 'zod';
import { Assignee, InstanceId, PROCESS_NAMES, ProcessSubject } from '../contracts/processes.ts';
import { writeInstance } from './instances.ts';

/** The instance as the definition hands it over: its execution input's `instance` and the execution's start. */
const Instance = z.object({ tenant: z.string(), id: InstanceId, process: z.enum(PROCESS_NAMES), subject: ProcessSubject, startedBy: z.string(), startedAt: z.string() });

export const ProcessStepEvent = z.discriminatedUnion('action', [
  z.object({ action: z.literal('step'), instance: Instance, step: z.string(), assignee: Assignee.nullable().optional(), due: z.string().nullable().optional() }),
  z.object({ action: z.literal('close'), instance: Instance, outcome: z.string() }),
]);
export type ProcessStepEvent = z.infer<typeof ProcessStepEvent>;

/** A payload no version of a definition sends: a bug, not worth a retry. */
export class BadStepEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadStepEventError';
  }
}

export async function handler(payload: unknown): Promise<{ written: boolean }> {
  const parsed = ProcessStepEvent.safeParse(payload);
  if (!parsed.success) throw new BadStepEventError(`not a process step: ${parsed.error.message}`);
  const event = parsed.data;
  if (event.action === 'step') {
    return { written: await writeInstance(event.instance, { step: event.step, assignee: event.assignee ?? null, ...(event.due !== undefined ? { due: event.due } : {}) }) };
  }
  return { written: await writeInstance(event.instance, { status: 'completed', outcome: { result: event.outcome } }) };
}
