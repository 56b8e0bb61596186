/**
 * A states:startExecution task whose start the service refuses (issue 15, defect 3): AWS reports
 * the service's exception as a task failure the state's Catch can match
 * (`StepFunctions.ExecutionAlreadyExistsException`, ...), never an uncatchable States.Runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

let e: LocalEngine;
let child: string;

beforeAll(async () => {
  e = await startLocalEngine();
  child = await e.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'start-errors-child');
});
afterAll(async () => e?.close());

const starter = (resource: string, args: object) => ({
  StartAt: 'Start',
  States: {
    Start: { Type: 'Task', Resource: resource, Arguments: args, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Started' },
    Started: { Type: 'Succeed' },
    Caught: { Type: 'Pass', End: true },
  },
});

describe('states:startExecution refused by the service', () => {
  it.each([
    ['fire-and-forget', 'arn:aws:states:::states:startExecution'],
    ['.sync:2', 'arn:aws:states:::states:startExecution.sync:2'],
  ])('%s: a Name already taken with another input is caught as StepFunctions.ExecutionAlreadyExistsException', async (_kind, resource) => {
    const name = `taken-${resource.length}`;
    const parent = await e.machine(starter(resource, { StateMachineArn: child, Name: name, Input: '{% $states.input %}' }));
    expect((await e.ended(await e.start(parent, { n: 1 }))).status).toBe('SUCCEEDED');
    const second = await e.ended(await e.start(parent, { n: 2 }));
    expect(second.status).toBe('SUCCEEDED');
    const caught = JSON.parse(second.output!);
    expect(caught.Error).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(caught.Cause).toContain(`:execution:start-errors-child:${name}`);
    expect(caught.Cause).toContain('Error Code: ExecutionAlreadyExists');
  });

  it('a state machine that does not exist is caught as StepFunctions.StateMachineDoesNotExistException', async () => {
    const parent = await e.machine(
      starter('arn:aws:states:::states:startExecution', { StateMachineArn: child.replace('start-errors-child', 'no-such-machine'), Input: {} }),
    );
    const done = await e.ended(await e.start(parent));
    expect(JSON.parse(done.output!).Error).toBe('StepFunctions.StateMachineDoesNotExistException');
  });

  it('a fire-and-forget start without a Name gets a random one each time', async () => {
    const parent = await e.machine(starter('arn:aws:states:::states:startExecution', { StateMachineArn: child, Input: {} }));
    const before = (await e.sfn.send(new ListExecutionsCommand({ stateMachineArn: child }))).executions!.length;
    for (const n of [1, 2]) expect((await e.ended(await e.start(parent, { n }))).status).toBe('SUCCEEDED');
    const names = (await e.sfn.send(new ListExecutionsCommand({ stateMachineArn: child }))).executions!.map((x) => x.name!);
    expect(names).toHaveLength(before + 2);
    expect(names.slice(0, 2).every((n) => /^[0-9a-f-]{36}$/.test(n))).toBe(true);
  });
});
