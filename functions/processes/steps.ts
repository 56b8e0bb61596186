/**
 * The `processSteps` function: what a process's state machine calls to keep its instance item
 * current (`step`: the state it entered, who holds it, its due time; `close`: its outcome, while its
 * subject record is live). Called at least once per state (a crashed call runs again): every write
 * is the same write again.
 */
import { z } from 'zod';
import { Assignee, InstanceId, PROCESS_NAMES, ProcessSubject } from '../contracts/processes.ts';
import { TaskSpec } from '../contracts/tasks.ts';
import { closeTasksOf, offerTask } from '../tasks/tasks.ts';
import { writeInstance } from './instances.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { readRecordUnscoped } from '../records/repository.ts';

/** The instance as the definition hands it over: its execution input's `instance` and the execution's start. */
const Instance = z.object({ tenant: z.string(), id: InstanceId, process: z.enum(PROCESS_NAMES), subject: ProcessSubject, startedBy: z.string(), startedAt: z.string() });

export const ProcessStepEvent = z.discriminatedUnion('action', [
  z.object({ action: z.literal('step'), instance: Instance, step: z.string(), assignee: Assignee.nullable().optional(), due: z.string().nullable().optional() }),
  z.object({ action: z.literal('close'), instance: Instance, outcome: z.string() }),
  // A `.waitForTaskToken` step: the task it offers (the execution waits for its token).
  z.object({ action: z.literal('task'), instance: Instance, execution: z.string(), step: z.string(), enteredAt: z.string(), token: z.string(), task: TaskSpec }),
  // A task not done by its due time (the step's TimeoutSeconds, caught): its open tasks escalate.
  z.object({ action: z.literal('escalate'), instance: Instance, reason: z.string() }),
]);
export type ProcessStepEvent = z.infer<typeof ProcessStepEvent>;

/** A payload no version of a definition sends: a bug, not worth a retry. */
export class BadStepEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadStepEventError';
  }
}

/** The instance's subject record is in the trash or gone: its step fails (retried by the definition), and once restored a retry of the instance goes on. */
export class SubjectRecordGoneError extends Error {
  constructor(readonly subject: ProcessSubject) {
    super(`the ${subject.type} ${subject.id} this process works on is in the trash or gone: restore it, then retry the process`);
    this.name = 'SubjectRecordGoneError';
  }
}

async function assertSubjectLive(tenant: string, subject: ProcessSubject): Promise<void> {
  const type = recordTypeNamed(subject.type);
  const record = type && (await readRecordUnscoped(tenant, type.key, subject.id));
  if (!record || record.deletedAt) throw new SubjectRecordGoneError(subject);
}

export async function handler(payload: unknown): Promise<{ written: boolean; task?: string }> {
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
    case 'escalate':
      await closeTasksOf(event.instance, 'escalated', event.reason);
      return { written: true };
    case 'close':
      // What the instance closes on must still be there (a sale's outcome is the record's): one in the trash fails the step until restored.
      await assertSubjectLive(event.instance.tenant, event.instance.subject);
      return { written: await writeInstance(event.instance, { status: 'completed', outcome: { result: event.outcome } }) };
  }
}
