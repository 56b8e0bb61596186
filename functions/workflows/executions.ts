/**
 * The Step Functions calls a process makes (through @aws-sdk/client-sfn, as start-workflow.ts):
 * start an execution on the workflow's `live` alias, describe, stop and redrive one, answer a human task's token,
 * and decide from an execution's history what became of an answer. Nothing here knows items or tenants.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { LIVE_ALIAS } from '../../infra/app-resources.ts';
import { sfn, stateMachineArn } from './start-workflow.ts';

/** An execution's ARN from its state machine's and its name (known before it starts). */
export const executionArnOf = (workflow: string, name: string) => `${stateMachineArn(workflow).replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts `name` on the workflow's live alias. Step Functions runs one execution per name: the
 * same name and input while it runs answers that execution; otherwise the name is refused
 * (`existed`: the caller reads the execution to tell a retry from a clash).
 */
export async function startOnLiveAlias(workflow: string, name: string, input: string): Promise<{ executionArn: string; existed: boolean }> {
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn(workflow)}:${LIVE_ALIAS}`, name, input }));
    return { executionArn: started.executionArn!, existed: false };
  } catch (err) {
    if (err instanceof ExecutionAlreadyExists) return { executionArn: executionArnOf(workflow, name), existed: true };
    throw err;
  }
}

export interface ExecutionFacts {
  input: string;
  startDate: Date;
  /** The version it runs (from its version ARN, `...:stateMachine:name:3`); undefined if started on the machine itself. */
  version: number | undefined;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  stopDate: Date | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** How often it was redriven: its run. */
  redriveCount: number;
}

export async function describeExecution(executionArn: string): Promise<ExecutionFacts> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  return {
    input: execution.input ?? '{}',
    startDate: execution.startDate!,
    version: versionOf(execution.stateMachineVersionArn),
    status: execution.status!,
    stopDate: execution.stopDate,
    error: execution.error,
    cause: execution.cause,
    redriveCount: execution.redriveCount ?? 0,
  };
}

/** Stops a running execution with the error and cause (StopExecution: one that has ended is left as it is); answers it as it is after. */
export async function stopExecution(executionArn: string, error: string, cause: string): Promise<ExecutionFacts> {
  await sfn.send(new StopExecutionCommand({ executionArn, error, cause }));
  return describeExecution(executionArn);
}

/**
 * Runs a failed (or timed out) execution again from where it stopped (RedriveExecution). The
 * same `clientToken` redrives once however often it is sent; answers the execution as it is
 * after, or the reason Step Functions gives for not redriving it.
 */
export async function redriveExecution(executionArn: string, clientToken: string): Promise<ExecutionFacts | { notRedrivable: string }> {
  try {
    await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken }));
  } catch (err) {
    if (err instanceof ExecutionNotRedrivable) return { notRedrivable: err.message };
    throw err;
  }
  return describeExecution(executionArn);
}

/** Whether the execution exists (started before, running or ended). */
export async function executionExists(executionArn: string): Promise<boolean> {
  try {
    await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return true;
  } catch (err) {
    if (err instanceof ExecutionDoesNotExist) return false;
    throw err;
  }
}

/** The number of a state machine version ARN; undefined for none. */
export function versionOf(versionArn: string | null | undefined): number | undefined {
  const number = versionArn ? Number(versionArn.slice(versionArn.lastIndexOf(':') + 1)) : NaN;
  return Number.isInteger(number) ? number : undefined;
}

/**
 * Answers a waiting task. `closed`: the token no longer waits (the task timed out, was answered
 * before, or its execution ended), which Step Functions says by TaskTimedOut or TaskDoesNotExist;
 * a token that is none (InvalidToken) is a bug and thrown.
 */
export async function answerTask(token: string, answer: { output: unknown } | { error: string; cause: string }): Promise<'delivered' | 'closed'> {
  try {
    if ('output' in answer) await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(answer.output) }));
    else await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: answer.error, cause: answer.cause }));
    return 'delivered';
  } catch (err) {
    if (err instanceof TaskTimedOut || err instanceof TaskDoesNotExist) return 'closed';
    if (err instanceof InvalidToken) throw new Error(`the task token is not one Step Functions issued`, { cause: err });
    throw err;
  }
}

/**
 * What an execution's history says of an answer sent to a task's token that Step Functions no
 * longer took (TaskTimedOut): `applied`, our answer (its `marker`) is the task's result; `closed`,
 * the task's step ended otherwise (`timedOut`, the execution `ended`, or the step `moved on`: an
 * answer not ours, a retry); `unknown`, neither is in the history yet (another copy's answer is
 * being taken and not yet written), so the caller asks again later.
 */
export type AnswerFate = { fate: 'applied' } | { fate: 'closed'; why: 'timedOut' | 'ended' | 'moved on'; detail: string } | { fate: 'unknown' };

/** Events of the task's own thread that say it still waits: scheduled (again, after a restart), started, its call submitted. */
const WAITING_EVENTS = new Set(['TaskScheduled', 'TaskStarted', 'TaskSubmitted']);
const EXECUTION_ENDS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/**
 * Decides from `events` (newest first, as read so far) what became of the answer marked `marker`
 * to the task that waits on `token`; undefined while the task's scheduling is not among them
 * (read older events). Whole history read (`complete`): a task never scheduled is `unknown`.
 */
export function answerFateOf(events: readonly HistoryEvent[], token: string, marker: string, complete = false): AnswerFate | undefined {
  const answered = (event: HistoryEvent) => (event.taskSucceededEventDetails?.output ?? event.taskFailedEventDetails?.cause)?.includes(marker);
  if (events.some(answered)) return { fate: 'applied' };
  // The newest scheduling with this token (a task run again after a restart keeps its token).
  const scheduled = events.find((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.parameters?.includes(token));
  if (!scheduled) return complete ? { fate: 'unknown' } : undefined;
  // Its thread's events after it (each names the one before it: previousEventId), and the execution's end.
  const thread = new Set([scheduled.id]);
  for (const event of [...events].reverse()) {
    if (event.id! <= scheduled.id!) continue;
    if (EXECUTION_ENDS.has(event.type!)) return { fate: 'closed', why: 'ended', detail: `the process ended (${event.type})` };
    if (!thread.has(event.previousEventId)) continue;
    thread.add(event.id);
    if (event.type === 'TaskTimedOut') return { fate: 'closed', why: 'timedOut', detail: 'the step timed out' };
    if (!WAITING_EVENTS.has(event.type!)) return { fate: 'closed', why: 'moved on', detail: `its step moved on (${event.type})` };
  }
  return { fate: 'unknown' };
}

/**
 * The fate of an answer whose token Step Functions refused (answerTask's `closed`), read from the
 * execution's history, newest events first, only as far back as the task's scheduling.
 */
export async function answerFateIn(executionArn: string, token: string, marker: string): Promise<AnswerFate> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1000, nextToken, includeExecutionData: true }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
    const fate = answerFateOf(events, token, marker, !nextToken);
    if (fate) return fate;
  } while (nextToken);
  return { fate: 'unknown' };
}
