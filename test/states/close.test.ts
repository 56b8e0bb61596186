/**
 * The engine closed with a step under way (`npm start` stopped, a test cloud's stop): nothing the
 * execution does after the close is kept. The step's late answer (here a failure, as the functions
 * give when the gateway before them is already gone) must not take the definition's Catch and end
 * the execution on it; the next start runs the step again, as after a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { history, ROLE, startHarness, startLocalDynamo, waitForEnd } from '../support/states-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'states-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Ship',
  States: {
    Ship: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'ship', Payload: '{% $states.input %}' },
      Output: '{% $states.result.Payload %}',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'GaveUp' }],
      End: true,
    },
    GaveUp: { Type: 'Pass', Output: { gaveUp: true }, End: true },
  },
};

it('keeps nothing an execution does after the engine closed: a step under way runs again at the next start', async () => {
  const db = await startLocalDynamo(dir);
  let entered!: () => void;
  const inShip = new Promise<void>((resolve) => (entered = resolve));
  let fail!: (err: Error) => void;
  let failed!: () => void;
  const answered = new Promise<void>((resolve) => (failed = resolve));
  const first = await startHarness(db, {
    lambdas: {
      ship: () => {
        entered();
        return new Promise((_, reject) => (fail = (err) => (reject(err), setImmediate(failed))));
      },
    },
  });
  const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'ship-once', roleArn: ROLE, definition: JSON.stringify(definition) }));
  const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ order: 7 }) }));
  await inShip;
  await first.close();
  // The step answers after the close, with the error a function gives once the gateway is gone.
  fail(new Error('connect ECONNREFUSED: the gateway stopped'));
  await answered;

  const second = await startHarness(db, { lambdas: { ship: async (event: { order: number }) => ({ shipped: event.order }) } });
  try {
    const ended = await waitForEnd(second.sfn, executionArn!);
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(ended.output!)).toEqual({ shipped: 7 });
    const entered = (await history(second.sfn, executionArn!)).filter((e) => e.type === 'TaskStateEntered' || e.type === 'PassStateEntered').map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).not.toContain('GaveUp');
    expect((await second.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  } finally {
    await second.close();
    await db.close();
  }
});
