/**
 * The callback pattern (AWS docs: "Wait for a Callback with Task Token"): lambda:invoke and
 * states:startExecution with `.waitForTaskToken`, HeartbeatSeconds and TimeoutSeconds (literal or
 * JSONata), SendTaskHeartbeat, States.HeartbeatTimeout and States.Timeout; and a token that
 * reached someone before a crash stays valid while its task is run again (issue 15, defect 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { history } from './helpers.ts';
import { startLocalEngine, type LocalEngine } from './local-engine.ts';

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
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'inbox', Payload: { key: '{% $states.input.key %}', token: '{% $states.context.Task.Token %}' } },
      ...extra,
      End: true,
    },
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
