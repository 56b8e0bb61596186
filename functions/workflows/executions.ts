/**
 * The Step Functions calls a process makes (through @aws-sdk/client-sfn, as start-workflow.ts):
 * start an execution on the workflow's `live` alias, describe, stop and redrive one, answer a human task's token,
 * and decide from an execution's history what became of an answer. Nothing here knows items or tenants.
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  ResourceNotFound,
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

/** A state machine's live version (its `live` alias's), and its definition. */
export interface LiveDefinition {
  version: number | undefined;
  definition: string;
}

/** What the alias routes to changes only at a deploy: read again after this long. */
const LIVE_KEPT_MS = 10_000;
const kept = new Map<string, { at: number; live: LiveDefinition }>();

/**
 * The live version of the workflow and its definition: the version from its alias; the definition
 * the machine's own, which every deploy publishes as the new version the alias then routes to.
 * Kept per container for a few seconds (a busy monitor page asks often; Step Functions' control
 * plane allows few calls a second).
 */
export async function liveDefinition(workflow: string, now = Date.now()): Promise<LiveDefinition> {
  const known = kept.get(workflow);
  if (known && now - known.at < LIVE_KEPT_MS) return known.live;
  const machine = stateMachineArn(workflow);
  const [alias, described] = await Promise.all([
    sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${machine}:${LIVE_ALIAS}` })).catch((err) => {
      if (err instanceof ResourceNotFound) return undefined;
      throw err;
    }),
    sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine })),
  ]);
  const live = { version: versionOf(alias?.routingConfiguration?.[0]?.stateMachineVersionArn), definition: described.definition ?? '{"StartAt":"","States":{}}' };
  kept.set(workflow, { at: now, live });
  return live;
}

/** The definition an execution runs (its version's). */
export async function definitionOfExecution(executionArn: string): Promise<string> {
  return (await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).definition ?? '{"StartAt":"","States":{}}';
}

/**
 * One page of an execution's history, oldest first, with its data (inputs, outputs, answers):
 * `none` when there is no such execution, `badToken` when Step Functions refuses the token.
 */
export async function executionHistoryPage(executionArn: string, page: { limit: number; nextToken?: string }): Promise<{ events: HistoryEvent[]; nextToken?: string } | 'none' | 'badToken'> {
  try {
    const answer = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: page.limit, nextToken: page.nextToken, includeExecutionData: true }));
    return { events: answer.events ?? [], ...(answer.nextToken ? { nextToken: answer.nextToken } : {}) };
  } catch (err) {
    if (err instanceof ExecutionDoesNotExist) return 'none';
    if (err instanceof InvalidToken) return 'badToken';
    throw err;
  }
}
