/**
 * An instance hears of its execution's status changes (Step Functions' "Execution Status Change"
 * event, at least once, in any order): RUNNING writes the instance if its start did not get to
 * (with the version it runs); the ends a state machine cannot write itself (failed, timed out,
 * aborted) end it with Step Functions' error and cause, and close its open tasks with why;
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
  if (detail.status === 'RUNNING') await writeInstance(basics, { version: versionOf(detail.stateMachineVersionArn) });
  else if (status === 'completed') await writeInstance(basics, { status, outcome: { result: 'succeeded' } }, at);
  else if (status) {
    await writeInstance(basics, { status, outcome: { ...(detail.error ? { error: detail.error } : {}), ...(detail.cause ? { cause: detail.cause } : {}) } }, at);
    // Its open tasks close with it, saying why; a task being answered is left to its delivery.
    await closeTasksOf(instance, 'cancelled', `the process ${WHY[status]}${detail.error ? ` (${detail.error})` : ''}`);
  }
}

const WHY: Record<string, string> = { failed: 'failed', timedOut: 'timed out', aborted: 'was stopped' };

export const instanceStatusListener: StatusListener = { workflows: PROCESS_WORKFLOWS, listen: instanceStatusChanged };
