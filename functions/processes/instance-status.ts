/**
 * An instance hears of its execution's status changes (Step Functions' "Execution Status Change"
 * event, at least once, in any order): RUNNING writes the instance if its start did not get to
 * (with the version it runs), and after a redrive runs it again; the ends a state machine cannot
 * write itself (failed, timed out, aborted) end it with Step Functions' error and cause (a Lambda
 * error's message), and close its open tasks with why;
 * SUCCEEDED ends one whose definition closed it without a step of its own.
 */
import type { InstanceStatus } from '../contracts/processes.ts';
import { describeExecution, versionOf } from '../workflows/executions.ts';
import { closeTasksOf } from '../tasks/tasks.ts';
import { writeInstance } from './instances.ts';
import { PROCESS_WORKFLOWS } from './process-registry.ts';
import type { ExecutionInput } from './start-process.ts';
import type { ExecutionStatusChange, ExecutionStatusDetail, StatusListener } from './status-listeners.ts';

const ENDS: Partial<Record<ExecutionStatusDetail['status'], InstanceStatus>> = { SUCCEEDED: 'completed', FAILED: 'failed', TIMED_OUT: 'timedOut', ABORTED: 'aborted' };

export async function instanceStatusChanged({ detail }: ExecutionStatusChange): Promise<void> {
  // EventBridge leaves out an input past 248 KB: the execution still has it.
  const { instance } = JSON.parse(detail.input ?? (await describeExecution(detail.executionArn)).input) as ExecutionInput;
  const basics = { ...instance, startedAt: new Date(detail.startDate).toISOString() };
  const at = new Date(detail.stopDate ?? Date.now()).toISOString();
  const status = ENDS[detail.status];
  const run = detail.redriveCount ?? 0;
  if (detail.status === 'RUNNING') {
    await writeInstance(basics, { version: versionOf(detail.stateMachineVersionArn) });
    // Redriven: running again (an end of the run before, heard late, is no longer taken).
    if (run > 0) await writeInstance(basics, { status: 'running', run });
  } else if (status === 'completed') await writeInstance(basics, { status, outcome: { result: 'succeeded' }, run }, at);
  else if (status) {
    const cause = readableCause(detail.cause);
    await writeInstance(basics, { status, outcome: { ...(detail.error ? { error: detail.error } : {}), ...(cause ? { cause } : {}) }, run }, at);
    // Its open tasks close with it, saying why (a cancel's reason too); a task being answered is left to its delivery.
    const why = detail.error ? ` (${detail.error}${status === 'aborted' && cause ? `: ${cause}` : ''})` : '';
    await closeTasksOf(instance, 'cancelled', `the process ${WHY[status]}${why}`);
  }
}

const WHY: Record<string, string> = { failed: 'failed', timedOut: 'timed out', aborted: 'was stopped' };

/** The most of a cause an instance keeps: what a person reads, not a dump. */
const MAX_CAUSE = 2_000;

/** A cause as a person reads it: a Lambda error's message (its cause is `{errorMessage, errorType, trace}`), else the text. */
function readableCause(cause: string | null): string | undefined {
  if (!cause) return undefined;
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // not JSON: the text itself
  }
  return text.length > MAX_CAUSE ? `${text.slice(0, MAX_CAUSE - 1)}…` : text;
}

export const instanceStatusListener: StatusListener = { workflows: PROCESS_WORKFLOWS, listen: instanceStatusChanged };
