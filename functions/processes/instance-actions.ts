/**
 * What a person does to a running or failed instance: cancel it with a reason (StopExecution, the
 * reason its cause: the instance ends `aborted` with it, and the status-change event closes its
 * open tasks with it), or retry a failed one from the step that failed (RedriveExecution). Who
 * may: whoever sees the instance (its subject record) and may change that record and start the
 * process, as a start.
 */
import type { Principal } from '../access/permissions.ts';
import { assertCan, ForbiddenError } from '../access/permissions.ts';
import type { ProcessInstance } from '../contracts/processes.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { describeExecution, executionArnOf, redriveExecution, stopExecution } from '../workflows/executions.ts';
import { basicsOf, hasEnded, readInstanceUnscoped, visibleInstance, writeInstance } from './instances.ts';
import { PROCESSES } from './process-registry.ts';

/** The error a cancel stops the execution with (its cause: the reason). */
export const CANCELLED = 'Cancelled';

/** The instance has ended (not by a cancel, which a second cancel answers): 409 with it. */
export class InstanceEndedError extends DomainError {
  readonly code = 'InstanceEnded';

  constructor(readonly instance: ProcessInstance) {
    super(`process instance ${instance.id} has ended (${instance.status})`);
    this.name = 'InstanceEndedError';
  }

  details(): ErrorDetails {
    return { current: this.instance };
  }
}

/** Only a failed (or timed out) instance is retried: 409 with it as it is. */
export class InstanceNotFailedError extends DomainError {
  readonly code = 'InstanceNotFailed';

  constructor(
    readonly instance: ProcessInstance,
    why = `it is ${instance.status}`,
  ) {
    super(`process instance ${instance.id} cannot be retried: ${why}`);
    this.name = 'InstanceNotFailedError';
  }

  details(): ErrorDetails {
    return { current: this.instance };
  }
}

const wasCancelled = (instance: ProcessInstance) => instance.status === 'aborted' && instance.outcome?.error === CANCELLED;
const RETRIED: ReadonlySet<ProcessInstance['status']> = new Set(['failed', 'timedOut']);

/**
 * The instance to act on: seen by the principal, whose role may change its subject record and
 * start its process (a role that only follows a process's instances does not stop or rerun them).
 */
async function actedOn(principal: Principal, id: string): Promise<ProcessInstance> {
  const instance = await visibleInstance(principal, id);
  assertCan(principal, 'update', instance.subject.type);
  if (!principal.processes.mayStart(instance.process)) throw new ForbiddenError(`your role follows ${instance.process} instances but does not start them, so it neither cancels nor retries one`);
  return instance;
}

const executionOf = (instance: ProcessInstance) => executionArnOf(PROCESSES[instance.process].workflow, instance.id);
/**
 * Cancels a running instance with `reason`: answers it `aborted`. Again (or copies at once) it is
 * answered as it is; one that ended otherwise is 409.
 */
export async function cancelInstance(principal: Principal, id: string, reason: string): Promise<ProcessInstance> {
  const instance = await actedOn(principal, id);
  if (hasEnded(instance.status)) {
    if (wasCancelled(instance)) return instance;
    throw new InstanceEndedError(instance);
  }
  const execution = await stopExecution(executionOf(instance), CANCELLED, reason);
  // Stopped by this cancel or a copy of it: written now, not only when the status event comes.
  if (execution.status === 'ABORTED' && execution.error === CANCELLED) {
    const outcome = { error: CANCELLED, ...(execution.cause ? { cause: execution.cause } : {}) };
    await writeInstance(basicsOf(principal.tenant, instance), { status: 'aborted', outcome, run: execution.redriveCount }, (execution.stopDate ?? new Date()).toISOString());
  }
  const now = (await readInstanceUnscoped(principal.tenant, id))!;
  if (wasCancelled(now)) return now;
  // It ended otherwise before the stop reached it (its last step, a failure).
  throw new InstanceEndedError(now);
}

/**
 * Runs a failed (or timed out) instance again from the step that failed: answers it running. The
 * instance is reopened first (so that the step run again finds it running), then the execution
 * redriven, once per retry however many copies are sent (its client token names the run); a
 * redrive refused puts the instance back as it was. A running instance is answered as it is (a
 * repeat of the retry); a completed or cancelled one is 409.
 */
export async function retryInstance(principal: Principal, id: string): Promise<ProcessInstance> {
  const instance = await actedOn(principal, id);
  if (instance.status === 'running') return instance;
  if (!RETRIED.has(instance.status)) throw new InstanceNotFailedError(instance);
  const basics = basicsOf(principal.tenant, instance);
  const run = instance.retries + 1;
  await writeInstance(basics, { status: 'running', run });
  const execution = executionOf(instance);
  const redriven = await redriveExecution(execution, `retry-${instance.id}-${instance.retries}`);
  if ('notRedrivable' in redriven && (await describeExecution(execution)).redriveCount < run) {
    await writeInstance(basics, { status: instance.status, outcome: instance.outcome ?? {}, run }, instance.endedAt ?? undefined);
    throw new InstanceNotFailedError(instance, redriven.notRedrivable);
  }
  return (await readInstanceUnscoped(principal.tenant, id))!;
}
