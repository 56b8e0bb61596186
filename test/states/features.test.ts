/**
 * Small state machines written from the AWS documentation of each feature, run through
 * @aws-sdk/client-sfn against the local engine. Each test names the documentation section it
 * follows. Durations run 20x faster (timeScale 0.05).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { history, ROLE, startLocalDynamo, startHarness, waitForEnd, waitForEvent, type Harness } from '../support/states-harness.ts';

class CustomError extends Error {
  override name = 'CustomError';
}

let db: Awaited<ReturnType<typeof startLocalDynamo>>;
let h: Harness;
const calls: Record<string, number> = {};
const tokens = new Map<string, string>();

beforeAll(async () => {
  db = await startLocalDynamo();
  h = await startHarness(db, {
    timeScale: 0.05,
    lambdas: {
      alwaysFails: async (event: { key: string }) => {
        calls[event.key] = (calls[event.key] ?? 0) + 1;
        throw new CustomError(`attempt ${calls[event.key]}`);
      },
      // Answers its own token before it returns, as a fast human-task handler might.
      selfComplete: async (event: { token: string }) => {
        await h.sfn.send(new SendTaskSuccessCommand({ taskToken: event.token, output: JSON.stringify({ early: true }) }));
        return {};
      },
      // Keeps the task token where the test can find it, as a human-task inbox would.
      park: async (event: { key: string; token: string }) => {
        tokens.set(event.key, event.token);
        return { parked: true };
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await db?.close();
});

let machines = 0;
async function run(definition: object, input: unknown = {}) {
  const sm = await h.sfn.send(
    new CreateStateMachineCommand({ name: `feature-${++machines}`, definition: JSON.stringify({ QueryLanguage: 'JSONata', ...definition }), roleArn: ROLE }),
  );
  const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: JSON.stringify(input) }));
  return { stateMachineArn: sm.stateMachineArn!, executionArn: executionArn! };
}

async function runToEnd(definition: object, input: unknown = {}) {
  const { executionArn } = await run(definition, input);
  const result = await waitForEnd(h.sfn, executionArn);
  return { result, events: await history(h.sfn, executionArn), output: result.output ? JSON.parse(result.output) : undefined };
}

const invoke = (fn: string, payload: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Arguments: { FunctionName: `arn:aws:lambda:us-east-1:000000000000:function:${fn}`, Payload: payload },
});

async function tokenFor(key: string): Promise<string> {
  await expect.poll(() => tokens.get(key), { interval: 10, message: `the task token of ${key}` }).toBeDefined();
  return tokens.get(key)!;
}

describe('errors (AWS docs: "Handling errors in Step Functions workflows")', () => {
  it('retries before it catches ("Retrying after an error", "Fallback states")', async () => {
    const { result, events, output } = await runToEnd({
      StartAt: 'Call',
      States: {
        Call: {
          ...invoke('alwaysFails', '{% {"key": "retry-then-catch"} %}'),
          Retry: [{ ErrorEquals: ['CustomError'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled', Output: '{% $states.errorOutput %}' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls['retry-then-catch']).toBe(3);
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error)).toEqual(['CustomError', 'CustomError', 'CustomError']);
    expect(output.Error).toBe('CustomError');
    expect(JSON.parse(output.Cause)).toMatchObject({ errorType: 'CustomError', errorMessage: 'attempt 3' });
  });

  it('gives the catcher $states.errorOutput for Assign and Output ("Fallback states")', async () => {
    const { output, events } = await runToEnd({
      StartAt: 'Boom',
      States: {
        Boom: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Fail', States: { Fail: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no lines' } } }],
          Catch: [
            {
              ErrorEquals: ['Order.Invalid'],
              Assign: { reason: '{% $states.errorOutput.Cause %}' },
              Output: '{% {"caught": $states.errorOutput.Error} %}',
              Next: 'Report',
            },
          ],
          End: true,
        },
        Report: { Type: 'Pass', Output: '{% $merge([$states.input, {"reason": $reason}]) %}', End: true },
      },
    });
    expect(output).toEqual({ caught: 'Order.Invalid', reason: 'no lines' });
    const exited = events.find((e) => e.type === 'ParallelStateExited');
    expect(JSON.parse(exited!.stateExitedEventDetails!.assignedVariables!.reason)).toBe('no lines');
  });

  it('carries an error out of nested Parallel states to the outer Catch ("Parallel workflow state", "Fallback states")', async () => {
    const inner = { StartAt: 'Deep', States: { Deep: { Type: 'Fail', Error: 'Inner.Boom', Cause: 'deep down' } } };
    const { result, events, output } = await runToEnd({
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Inner', States: { Inner: { Type: 'Parallel', Branches: [inner], End: true } } },
            { StartAt: 'Fine', States: { Fine: { Type: 'Pass', End: true } } },
          ],
          Catch: [{ ErrorEquals: ['Inner.Boom'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(output).toEqual({ Error: 'Inner.Boom', Cause: 'deep down' });
    expect(events.filter((e) => e.type === 'ParallelStateFailed')).toHaveLength(2);
  });

  it('fails the execution with the branch error when nothing catches it', async () => {
    const { result } = await runToEnd({
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } }], End: true } },
    });
    expect([result.status, result.error, result.cause]).toEqual(['FAILED', 'E', 'C']);
  });
});

describe('Map (AWS docs: "Map workflow state", "Setting failure thresholds for Map states")', () => {
  const mapWith = (threshold: object) => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Items: '{% [1,2,3,4,5,6,7,8,9,10] %}',
        MaxConcurrency: 3,
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input % 3 = 0 %}', Next: 'Bad' }], Default: 'Good' },
            Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'divisible by 3' },
            Good: { Type: 'Pass', Output: '{% $states.input * 10 %}', End: true },
          },
        },
        ...threshold,
        End: true,
      },
    },
  });

  it('succeeds while failures stay within ToleratedFailureCount', async () => {
    const { result, output, events } = await runToEnd(mapWith({ ToleratedFailureCount: 3 }));
    expect(result.status).toBe('SUCCEEDED');
    expect(output.filter((x: unknown) => typeof x === 'number')).toEqual([10, 20, 40, 50, 70, 80, 100]);
    expect(events.filter((e) => e.type === 'MapIterationFailed')).toHaveLength(3);
  });

  it('fails with States.ExceedToleratedFailureThreshold over the threshold', async () => {
    const { result } = await runToEnd(mapWith({ ToleratedFailurePercentage: 20 }));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('fails with the iteration error when no threshold is set', async () => {
    const { result, events } = await runToEnd(mapWith({}));
    expect([result.status, result.error]).toEqual(['FAILED', 'Item.Bad']);
    expect(events.map((e) => e.type)).toContain('MapStateFailed');
  });

  it('runs ItemSelector with $states.context.Map.Item', async () => {
    const { output } = await runToEnd({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.names %}',
          ItemSelector: { index: '{% $states.context.Map.Item.Index %}', name: '{% $states.context.Map.Item.Value %}' },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    }, { names: ['a', 'b'] });
    expect(output).toEqual([{ index: 0, name: 'a' }, { index: 1, name: 'b' }]);
  });
});

describe('variables (AWS docs: "Passing data between states with variables", section "Variable scope")', () => {
  it('lets iterations read outer variables, keeps their own inside, and drops them after the Map', async () => {
    const { output, events } = await runToEnd({
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { factor: 10 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Scale',
            States: {
              Scale: { Type: 'Pass', Assign: { scaled: '{% $states.input * $factor %}' }, Next: 'Emit' },
              Emit: { Type: 'Pass', Output: '{% $scaled %}', End: true },
            },
          },
          Assign: { total: '{% $sum($states.result) %}' },
          Next: 'After',
        },
        After: { Type: 'Pass', Output: '{% {"total": $total, "factor": $factor, "innerVisible": $exists($scaled)} %}', End: true },
      },
    });
    expect(output).toEqual({ total: 30, factor: 10, innerVisible: false });
    const assigned = events.filter((e) => e.type === 'PassStateExited' && e.stateExitedEventDetails?.name === 'Scale');
    expect(assigned.map((e) => e.stateExitedEventDetails!.assignedVariables!.scaled).sort()).toEqual(['10', '20']);
  });

  it('evaluates every expression of a state with the values from before the state', async () => {
    const { output } = await runToEnd({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { n: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { n: 2, previous: '{% $n %}' }, Output: '{% $n %}', Next: 'C' },
        C: { Type: 'Pass', Output: '{% {"n": $n, "previous": $previous, "input": $states.input} %}', End: true },
      },
    });
    expect(output).toEqual({ n: 2, previous: 1, input: 1 });
  });
});

describe('task timeouts (AWS docs: "Task workflow state", section "Task state timeouts and heartbeat intervals")', () => {
  const parked = (key: string, limits: object) => ({
    StartAt: 'Human',
    States: {
      Human: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Arguments: { FunctionName: 'park', Payload: { key, token: '{% $states.context.Task.Token %}' } },
        ...limits,
        End: true,
      },
    },
  });

  it('fails with States.HeartbeatTimeout when no heartbeat comes within HeartbeatSeconds', async () => {
    const { executionArn } = await run(parked('hb-missing', { TimeoutSeconds: 600, HeartbeatSeconds: 2 }));
    const result = await waitForEnd(h.sfn, executionArn);
    expect([result.status, result.error]).toEqual(['FAILED', 'States.HeartbeatTimeout']);
    expect((await history(h.sfn, executionArn)).map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('fails with States.Timeout at TimeoutSeconds even while heartbeats keep coming', async () => {
    const { executionArn } = await run(parked('hb-sent', { TimeoutSeconds: 20, HeartbeatSeconds: 6 }));
    const token = await tokenFor('hb-sent');
    // A heartbeat every poll (well within HeartbeatSeconds) until the execution ends.
    let result: DescribeExecutionCommandOutput | undefined;
    await expect
      .poll(async () => {
        await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch(() => undefined);
        return (result = await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
      }, { interval: 10 })
      .not.toBe('RUNNING');
    expect([result!.status, result!.error]).toEqual(['FAILED', 'States.Timeout']);
  });

  it('completes with the output sent by SendTaskSuccess', async () => {
    const { executionArn } = await run(parked('done', { HeartbeatSeconds: 600 }));
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('done'), output: JSON.stringify({ approved: true }) }));
    const result = await waitForEnd(h.sfn, executionArn);
    expect(JSON.parse(result.output!)).toEqual({ approved: true });
    const types = (await history(h.sfn, executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('answers TaskTimedOut to SendTaskSuccess once the execution was stopped ("StopExecution", "SendTaskSuccess" errors)', async () => {
    const { executionArn } = await run(parked('stopped', {}));
    const token = await tokenFor('stopped');
    await waitForEvent(h.sfn, executionArn, (e) => e.type === 'TaskSubmitted');
    await h.sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'cancelled' }));
    const result = await waitForEnd(h.sfn, executionArn);
    expect([result.status, result.error, result.cause]).toEqual(['ABORTED', 'Operator', 'cancelled']);
    expect((await history(h.sfn, executionArn)).at(-1)!.type).toBe('ExecutionAborted');
    await expect(h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });
});

describe('child executions (AWS docs: "Start workflow executions from a task state")', () => {
  it('fails the parent with States.TaskFailed when the child fails', async () => {
    const child = await h.sfn.send(
      new CreateStateMachineCommand({
        name: 'child-fails',
        roleArn: ROLE,
        definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Child.Refused', Cause: 'nope' } } }),
      }),
    );
    const { result, events } = await runToEnd({
      StartAt: 'Child',
      States: {
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Arguments: { StateMachineArn: child.stateMachineArn, Input: { from: 'parent' } },
          End: true,
        },
      },
    });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.TaskFailed');
    expect(JSON.parse(result.cause!)).toMatchObject({ Status: 'FAILED', Error: 'Child.Refused', Input: { from: 'parent' } });
    expect(events.map((e) => e.type)).toContain('TaskSubmitted');
  });

  it('stops the child when the parent is stopped', async () => {
    const child = await h.sfn.send(
      new CreateStateMachineCommand({
        name: 'child-waits',
        roleArn: ROLE,
        definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 86_400, End: true } } }),
      }),
    );
    const { executionArn } = await run({
      StartAt: 'Child',
      States: {
        Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Arguments: { StateMachineArn: child.stateMachineArn }, End: true },
      },
    });
    const submitted = await waitForEvent(h.sfn, executionArn, (e) => e.type === 'TaskSubmitted');
    const childArn = JSON.parse(submitted.taskSubmittedEventDetails!.output!).ExecutionArn;
    await h.sfn.send(new StopExecutionCommand({ executionArn }));
    expect((await waitForEnd(h.sfn, executionArn)).status).toBe('ABORTED');
    expect((await waitForEnd(h.sfn, childArn)).status).toBe('ABORTED');
  });

  it('returns the child output to the parent as JSON', async () => {
    const child = await h.sfn.send(
      new CreateStateMachineCommand({
        name: 'child-doubles',
        roleArn: ROLE,
        definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'D', States: { D: { Type: 'Pass', Output: '{% $states.input.n * 2 %}', End: true } } }),
      }),
    );
    const { output } = await runToEnd({
      StartAt: 'Child',
      States: {
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Arguments: { StateMachineArn: child.stateMachineArn, Input: { n: 21 } },
          Output: '{% $states.result.Output %}',
          End: true,
        },
      },
    });
    expect(output).toBe(42);
  });
});

describe('Wait and execution timeout (AWS docs: "Wait workflow state", "TimeoutSeconds" in "State machine structure")', () => {
  it('waits Seconds, then continues', async () => {
    const { result, events } = await runToEnd({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }, { x: 1 });
    expect(result.status).toBe('SUCCEEDED');
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  });

  it('times the execution out at its TimeoutSeconds', async () => {
    const { result, events } = await runToEnd({ TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    expect([result.status, result.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
    expect(events.at(-1)!.type).toBe('ExecutionTimedOut');
  });
});

describe('JSONata in Step Functions (AWS docs: "Transforming data with JSONata in Step Functions")', () => {
  it('provides $states.context ("Context object")', async () => {
    const { executionArn, stateMachineArn } = await run(
      { StartAt: 'Look', States: { Look: { Type: 'Pass', Output: '{% $states.context %}', End: true } } },
      { asked: 1 },
    );
    const result = await waitForEnd(h.sfn, executionArn);
    const context = JSON.parse(result.output!);
    expect(context.Execution).toMatchObject({ Id: executionArn, Input: { asked: 1 }, Name: executionArn.split(':').at(-1), RedriveCount: 0 });
    expect(context.StateMachine).toEqual({ Id: stateMachineArn, Name: stateMachineArn.split(':').at(-1) });
    expect(context.State).toMatchObject({ Name: 'Look', RetryCount: 0 });
    expect(Date.parse(context.State.EnteredTime)).not.toBeNaN();
  });

  it('provides the functions AWS adds: $hash, $random with a seed, $uuid, $partition, $range, $parse', async () => {
    const { output } = await runToEnd({
      StartAt: 'F',
      States: {
        F: {
          Type: 'Pass',
          Output: {
            hash: "{% $hash('hello', 'SHA-256') %}",
            seeded: '{% $random(7) = $random(7) %}',
            random: '{% $random() >= 0 and $random() < 1 %}',
            uuid: '{% $uuid() %}',
            parts: '{% $partition([1,2,3], 2) %}',
            range: '{% $range(0, 4, 2) %}',
            parsed: '{% $parse(\'{"a":[1]}\') %}',
          },
          End: true,
        },
      },
    });
    expect(output).toMatchObject({
      hash: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      seeded: true,
      random: true,
      parts: [[1, 2], [3]],
      range: [0, 2, 4],
      parsed: { a: [1] },
    });
    expect(output.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('callbacks (AWS docs: "Wait for a Callback with Task Token")', () => {
  it('accepts the token from a handler that sends it back before returning', async () => {
    const { output, events } = await runToEnd({
      StartAt: 'Fast',
      States: {
        Fast: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'selfComplete', Payload: { token: '{% $states.context.Task.Token %}' } },
          End: true,
        },
      },
    });
    expect(output).toEqual({ early: true });
    expect(events.map((e) => e.type)).toContain('TaskSucceeded');
  });
});
