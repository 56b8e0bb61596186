/**
 * The callback pattern (AWS docs: "Wait for a Callback with Task Token"): lambda:invoke and
 * states:startExecution with `.waitForTaskToken`, HeartbeatSeconds and TimeoutSeconds (literal or
 * JSONata), SendTaskHeartbeat, States.HeartbeatTimeout and States.Timeout; and a token that
 * reached someone before a crash stays valid while its task is run again (issue 15, defect 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { REGION } from '../support/states-harness.ts';
import { history } from '../support/states-harness.ts';
import { humanStep, startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

let e: LocalEngine;
/** Tokens handed to the inbox, by key; a call whose key starts with 'hang' never returns. */
const tokens = new Map<string, string>();
const calls: string[] = [];
const lambdas = {
  inbox: async (event: { key: string; token: string }) => {
    calls.push(event.key);
    tokens.set(event.key, event.token);
    if (event.key.startsWith('hang')) await new Promise(() => undefined);
    return { queued: true };
  },
  // A child's step that answers its parent's token through the Step Functions API, as AWS's would.
  answerParent: async (event: { token: string; answer: unknown }) => {
    const sfn = new SFNClient({ endpoint: e.states.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: event.token, output: JSON.stringify(event.answer) }));
    } finally {
      sfn.destroy();
    }
    return {};
  },
};

beforeAll(async () => {
  e = await startLocalEngine({ lambdas });
});
afterAll(async () => e?.close());

const tokenOf = async (key: string) => {
  await expect.poll(() => tokens.has(key)).toBe(true);
  return tokens.get(key)!;
};

const humanTask = (extra: object = {}) => ({
  StartAt: 'Approve',
  States: {
    Approve: { ...humanStep(), ...extra, End: true },
  },
});

describe('a token that reached someone before a crash', () => {
  it('is accepted while its task is being run again after the restart, and the task ends with it', async () => {
    const sm = await e.machine(humanTask());
    const arn = await e.start(sm, { key: 'hang-restart' });
    const token = await tokenOf('hang-restart');
    // The engine stops while the handler has not returned: the saved checkpoint is the one taken
    // before the call, so after the restart the task is run again. Until resume() is called the
    // API already answers (the embedded cloud loads the functions meanwhile).
    await e.restart({ autoResume: false });
    await e.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: 'before the re-run' }) }));
    await e.states.resume();
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ approved: 'before the re-run' });
    // Answered, so not run again; and a second answer finds no task.
    expect(calls.filter((k) => k === 'hang-restart')).toHaveLength(1);
    const again = await e.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })).catch((err) => err);
    expect(again).toBeInstanceOf(TaskTimedOut);
  });
});

/** Lets due timers fire and settle, so that what has not happened by then will not. */
async function timersSettled() {
  await e.states.engine.pollTimers();
  await expect.poll(() => e.states.engine.timerStats).toMatchObject({ queued: 0, waking: 0 });
}

const caught = { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] };
const withCatch = (definition: ReturnType<typeof humanTask>) => ({
  ...definition,
  States: { ...definition.States, Approve: { ...definition.States.Approve, ...caught }, Caught: { Type: 'Pass', End: true } },
});

describe('lambda:invoke.waitForTaskToken', () => {
  it('keeps a task alive while heartbeats come within HeartbeatSeconds (a JSONata value), and completes it', async () => {
    const sm = await e.machine(humanTask({ HeartbeatSeconds: '{% $states.input.heartbeat %}', TimeoutSeconds: 3600 }));
    const arn = await e.start(sm, { key: 'beating', heartbeat: 60 });
    const token = await tokenOf('beating');
    e.clock.advance(50_000);
    await e.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    e.clock.advance(50_000);
    await timersSettled();
    expect((await history(e.sfn, arn)).map((ev) => ev.type)).not.toContain('TaskTimedOut');
    await e.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"done":1}' }));
    expect(JSON.parse((await e.ended(arn)).output!)).toEqual({ done: 1 });
  });

  it('fails a task with States.HeartbeatTimeout when no heartbeat comes, and its token is then refused', async () => {
    const sm = await e.machine(withCatch(humanTask({ HeartbeatSeconds: 60 })));
    const arn = await e.start(sm, { key: 'silent' });
    const token = await tokenOf('silent');
    e.clock.advance(61_000);
    const done = await e.ended(arn);
    expect(JSON.parse(done.output!)).toMatchObject({ Error: 'States.HeartbeatTimeout' });
    expect((await history(e.sfn, arn)).map((ev) => ev.type)).toContain('TaskTimedOut');
    expect(await e.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch((err) => err)).toBeInstanceOf(TaskTimedOut);
  });

  it('fails a task with States.Timeout at TimeoutSeconds whatever the heartbeats', async () => {
    const sm = await e.machine(withCatch(humanTask({ HeartbeatSeconds: 30, TimeoutSeconds: '{% 90 %}' })));
    const arn = await e.start(sm, { key: 'slow' });
    const token = await tokenOf('slow');
    for (let i = 0; i < 3; i++) {
      e.clock.advance(25_000);
      await e.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    e.clock.advance(20_000);
    expect(JSON.parse((await e.ended(arn)).output!)).toMatchObject({ Error: 'States.Timeout' });
  });

  it('routes SendTaskFailure to the Catch with its error and cause', async () => {
    const sm = await e.machine(withCatch(humanTask()));
    const arn = await e.start(sm, { key: 'rejected' });
    await e.sfn.send(new SendTaskFailureCommand({ taskToken: await tokenOf('rejected'), error: 'Rejected', cause: 'not in stock' }));
    expect(JSON.parse((await e.ended(arn)).output!)).toEqual({ Error: 'Rejected', Cause: 'not in stock' });
  });
});

describe('states:startExecution.waitForTaskToken', () => {
  const parent = (extra: object = {}) => ({
    StartAt: 'AskChild',
    States: {
      AskChild: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
        Arguments: { StateMachineArn: '{% $child %}', Input: { token: '{% $states.context.Task.Token %}', answer: '{% $states.input.answer %}' } },
        ...extra,
        ...caught,
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  });
  const withChild = (definition: ReturnType<typeof parent>, child: string) => ({
    ...definition,
    StartAt: 'Child',
    States: { Child: { Type: 'Pass', Assign: { child }, Next: 'AskChild' }, ...definition.States },
  });

  it("resumes the parent with what the child sends back on the parent's token", async () => {
    const child = await e.machine({
      StartAt: 'Answer',
      States: { Answer: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'answerParent', Payload: '{% $states.input %}' }, End: true } },
    });
    const arn = await e.start(await e.machine(withChild(parent(), child)), { answer: { picked: 'ok' } });
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ picked: 'ok' });
    const submitted = (await history(e.sfn, arn)).find((ev) => ev.type === 'TaskSubmitted')!;
    expect(submitted.taskSubmittedEventDetails).toMatchObject({ resourceType: 'states', resource: 'startExecution.waitForTaskToken' });
    expect(JSON.parse(submitted.taskSubmittedEventDetails!.output!).ExecutionArn).toContain(':execution:');
  });

  it('times out at TimeoutSeconds (JSONata) when the child never answers', async () => {
    const silent = await e.machine({ StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 86_400, End: true } } });
    const arn = await e.start(await e.machine(withChild(parent({ TimeoutSeconds: '{% $states.input.wait %}' }), silent)), { answer: null, wait: 120 });
    await expect.poll(async () => (await history(e.sfn, arn)).map((ev) => ev.type)).toContain('TaskSubmitted');
    e.clock.advance(121_000);
    expect(JSON.parse((await e.ended(arn)).output!)).toMatchObject({ Error: 'States.Timeout' });
  });
});
