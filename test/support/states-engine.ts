/**
 * The engine as the embedded cloud runs it, for the engine's newer tests: local/dynamo (the
 * product's local DynamoDB) in a temp folder, the engine on its own table behind its HTTP API,
 * an AdjustableClock the test moves, and a real @aws-sdk/client-sfn client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { expect } from 'vitest';
import { startDynamo, type DynamoServer } from '../../local/dynamo/index.ts';
import { AdjustableClock } from '../../local/states/clock.ts';
import { startStates, type States, type StatesOptions } from '../../local/states/index.ts';
import { ACCOUNT, REGION, ROLE } from './states-harness.ts';

export interface LocalEngine {
  states: States;
  sfn: SFNClient;
  clock: AdjustableClock;
  dynamo: DynamoServer;
  /** Creates a JSONata state machine under a fresh name; returns its ARN. */
  machine(definition: object, name?: string): Promise<string>;
  /** Starts an execution; returns its ARN. */
  start(stateMachineArn: string, input?: unknown, name?: string): Promise<string>;
  /** Waits (expect.poll) until the execution has left RUNNING, and describes it. */
  ended(executionArn: string, timeout?: number): Promise<DescribeExecutionCommandOutput>;
  /** Stops the engine and starts it again on the same data, as after a restart. */
  restart(options?: Partial<StatesOptions>): Promise<void>;
  close(): Promise<void>;
}

let machines = 0;

export interface LocalEngineOptions extends Partial<StatesOptions> {
  clock?: AdjustableClock;
  /** Sees each request the engine sends its table (in DynamoDB's attribute-value form), before it is served. */
  onTableRequest?: (operation: string, request: Record<string, unknown>) => void;
}

export async function startLocalEngine({ onTableRequest, ...options }: LocalEngineOptions = {}): Promise<LocalEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'states-engine-'));
  const dynamo = await startDynamo({ dataDir, port: 0 });
  const clock = options.clock ?? new AdjustableClock();
  const open = (extra: Partial<StatesOptions> = {}) =>
    startStates({
      port: 0,
      dynamo: {
        endpoint: dynamo.endpoint,
        tableName: 'sheetflow-states',
        inProcess: (operation, request) => {
          onTableRequest?.(operation, request);
          return dynamo.dispatch(operation, request);
        },
      },
      region: REGION,
      accountId: ACCOUNT,
      lambdas: {},
      workflows: {},
      ...options,
      ...extra,
      clock,
      now: () => clock.now(),
    });
  const client = (states: States) =>
    new SFNClient({ endpoint: states.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  const engine: LocalEngine = {
    states: await open(),
    sfn: undefined as unknown as SFNClient,
    clock,
    dynamo,
    async machine(definition, name = `m-${process.pid}-${++machines}`) {
      const out = await engine.sfn.send(
        new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify({ QueryLanguage: 'JSONata', ...definition }) }),
      );
      return out.stateMachineArn!;
    },
    async start(stateMachineArn, input = {}, name) {
      const out = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }));
      return out.executionArn!;
    },
    async ended(executionArn, timeout = 20_000) {
      let out: DescribeExecutionCommandOutput | undefined;
      await expect
        .poll(async () => (out = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout, interval: 20 })
        .not.toBe('RUNNING');
      return out!;
    },
    async restart(extra) {
      engine.sfn.destroy();
      await engine.states.close();
      engine.states = await open(extra);
      engine.sfn = client(engine.states);
    },
    async close() {
      engine.sfn.destroy();
      await engine.states.close();
      await dynamo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  engine.sfn = client(engine.states);
  return engine;
}

/** A lambda:invoke task that hands the function its input and takes the function's answer as output. */
export const lambdaTask = (functionName: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Arguments: { FunctionName: functionName, Payload: '{% $states.input %}' },
  Output: '{% $states.result.Payload %}',
});

/** The function a humanStep calls by default: it keeps each task's token under the input's `key`. */
export function taskInbox() {
  const tokens = new Map<string, string>();
  const inbox = async (event: { key: string; token: string }) => {
    tokens.set(event.key, event.token);
    return {};
  };
  return { tokens, inbox };
}

/** A human step: lambda:invoke.waitForTaskToken handing the function the input's `key` and the token. */
export const humanStep = (functionName = 'inbox') => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Arguments: { FunctionName: functionName, Payload: { key: '{% $states.input.key %}', token: '{% $states.context.Task.Token %}' } },
});
