/**
 * The Step Functions calls a process makes (through @aws-sdk/client-sfn, as start-workflow.ts):
 * start an execution on the workflow's `live` alias, describe one, answer a human task's token,
 * and look in an execution's history for a task's answer. Nothing here knows items or tenants.
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type HistoryEvent,
  ResourceNotFound,
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
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
}

export async function describeExecution(executionArn: string): Promise<ExecutionFacts> {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  return { input: execution.input ?? '{}', startDate: execution.startDate!, version: versionOf(execution.stateMachineVersionArn) };
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

/** History events read at most, newest first, when looking for a task's answer. */
const HISTORY_EVENTS_READ = 5_000;

/**
 * Whether a task of the execution was answered with a result or error carrying `marker` (a
 * completion's id): after a crash, tells "our answer was applied" from "the task closed
 * otherwise". Reads the newest events only: a completion is looked for soon after it was sent.
 */
export async function taskAnsweredWith(executionArn: string, marker: string): Promise<boolean> {
  let nextToken: string | undefined;
  let read = 0;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1000, nextToken, includeExecutionData: true }));
    for (const event of page.events ?? []) {
      const answer = event.taskSucceededEventDetails?.output ?? event.taskFailedEventDetails?.cause;
      if (answer?.includes(marker)) return true;
    }
    read += page.events?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken && read < HISTORY_EVENTS_READ);
  return false;
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
