/**
 * RedriveExecution (AWS API reference; developer guide "Redriving executions"): a FAILED, ABORTED
 * or TIMED_OUT execution continues from the state that did not finish, with the same input and
 * variables; the steps that succeeded are not run again; ExecutionRedriven in the history;
 * redriveCount and redriveStatus in DescribeExecution; ExecutionNotRedrivable where AWS refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, ExecutionNotRedrivable, RedriveExecutionCommand, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { history } from '../support/states-harness.ts';
import { startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

let e: LocalEngine;
const calls: Record<string, number> = {};
/** Fails until told to work. */
let supplierUp = false;
const tokens = new Map<string, string>();
/** Calls of `item` by item; item 3 fails until told to work. */
const itemCalls: Record<number, number> = {};
let itemThreeUp = false;
/** Calls of `refuse`, which always fails. */
let refusals = 0;

beforeAll(async () => {
  e = await startLocalEngine({
    lambdas: {
      reserve: async (event: { order: string }) => {
        calls.reserve = (calls.reserve ?? 0) + 1;
        return { reserved: event.order };
      },
      supplier: async (event: { order: string }) => {
        calls.supplier = (calls.supplier ?? 0) + 1;
        if (!supplierUp) throw Object.assign(new Error('supplier is down'), { name: 'SupplierDown' });
        return { shipped: event.order };
      },
      item: async (event: { item: number }) => {
        itemCalls[event.item] = (itemCalls[event.item] ?? 0) + 1;
        if (event.item === 3 && !itemThreeUp) throw Object.assign(new Error('item 3 is refused'), { name: 'ItemRefused' });
        return { done: event.item };
      },
      refuse: async () => {
        refusals++;
        throw Object.assign(new Error('refused'), { name: 'Refused' });
      },
      inbox: async (event: { key: string; token: string }) => {
        tokens.set(event.key, event.token);
        return {};
      },
    },
  });
});
afterAll(async () => e?.close());

const invoke = (fn: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Arguments: { FunctionName: fn, Payload: '{% $states.input %}' },
  Output: '{% $merge([$states.input, $states.result.Payload]) %}',
});

describe('RedriveExecution', () => {
  it('continues a FAILED execution from the failed state, keeping what succeeded and its variables', async () => {
    const sm = await e.machine({
      StartAt: 'Reserve',
      States: {
        Reserve: { ...invoke('reserve'), Assign: { reservedAt: '{% $states.context.State.Name %}' }, Next: 'Ship' },
        Ship: { ...invoke('supplier'), Output: "{% $merge([$states.input, $states.result.Payload, {'reservedAt': $reservedAt, 'redrives': $states.context.Execution.RedriveCount}]) %}", End: true },
      },
    });
    const arn = await e.start(sm, { order: 'o-1' });
    const failed = await e.ended(arn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'SupplierDown', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    const before = await history(e.sfn, arn);

    supplierUp = true;
    const { redriveDate } = await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriveDate).toBeInstanceOf(Date);
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ order: 'o-1', reserved: 'o-1', shipped: 'o-1', reservedAt: 'Reserve', redrives: 1 });
    expect(done).toMatchObject({ redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(calls.reserve).toBe(1);

    const events = await history(e.sfn, arn);
    expect(events.slice(0, before.length).map((x) => x.type)).toEqual(before.map((x) => x.type));
    const redriven = events[before.length];
    expect(redriven).toMatchObject({ type: 'ExecutionRedriven', id: before.length + 1, previousEventId: before.length, executionRedrivenEventDetails: { redriveCount: 1 } });
    expect(events[before.length + 1]).toMatchObject({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Ship' } });
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');

    // Succeeded: not redrivable.
    expect(await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn })).catch((err) => err)).toBeInstanceOf(ExecutionNotRedrivable);
  });

  it('continues an ABORTED execution at the task it was waiting on, and refuses a RUNNING one', async () => {
    const sm = await e.machine({
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'inbox', Payload: { key: '{% $states.input.key & "-" & $string($states.context.Execution.RedriveCount) %}', token: '{% $states.context.Task.Token %}' } },
          End: true,
        },
      },
    });
    const arn = await e.start(sm, { key: 'stopped' });
    await expect.poll(() => tokens.has('stopped-0')).toBe(true);
    const running = await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn })).catch((err) => err);
    expect(running).toBeInstanceOf(ExecutionNotRedrivable);
    expect((await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveStatusReason).toBe('Execution is RUNNING and cannot be redriven');

    await e.sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Cancelled' }));
    expect((await e.ended(arn)).status).toBe('ABORTED');
    await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    await expect.poll(() => tokens.has('stopped-1')).toBe(true);
    await e.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get('stopped-1')!, output: '{"approved":true}' }));
    expect(JSON.parse((await e.ended(arn)).output!)).toEqual({ approved: true });
  });

  it('continues a TIMED_OUT execution, with its timeout counted from the redrive', async () => {
    const sm = await e.machine({ TimeoutSeconds: 60, StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 3600, End: true } } });
    const arn = await e.start(sm, { slept: true });
    await expect.poll(async () => (await history(e.sfn, arn)).map((x) => x.type)).toContain('WaitStateEntered');
    e.clock.advance(61_000);
    expect((await e.ended(arn)).status).toBe('TIMED_OUT');
    await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect((await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    e.clock.advance(61_000);
    expect((await e.ended(arn)).status).toBe('TIMED_OUT');
    expect((await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveCount).toBe(1);
  });

  it('runs again only the Map iterations that had not succeeded, keeping the outputs of the others', async () => {
    const sm = await e.machine({
      StartAt: 'Items',
      States: {
        Items: {
          Type: 'Map',
          Items: '{% $states.input.items %}',
          // One at a time: items 1 and 2 succeed, 3 fails, 4 is never started.
          MaxConcurrency: 1,
          ItemSelector: { item: '{% $states.context.Map.Item.Value %}' },
          ItemProcessor: { StartAt: 'Do', States: { Do: { ...invoke('item'), Output: '{% $states.result.Payload %}', End: true } } },
          End: true,
        },
      },
    });
    const arn = await e.start(sm, { items: [1, 2, 3, 4] });
    expect(await e.ended(arn)).toMatchObject({ status: 'FAILED', error: 'ItemRefused' });
    expect(itemCalls).toEqual({ 1: 1, 2: 1, 3: 1 });

    itemThreeUp = true;
    await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ done: 1 }, { done: 2 }, { done: 3 }, { done: 4 }]);
    expect(itemCalls).toEqual({ 1: 1, 2: 1, 3: 2, 4: 1 });
    const events = await history(e.sfn, arn);
    const redriven = events.slice(events.findIndex((x) => x.type === 'ExecutionRedriven'));
    const started = redriven.filter((x) => x.type === 'MapIterationStarted').map((x) => x.mapIterationStartedEventDetails!.index);
    expect(started).toEqual([2, 3]);
  });

  it('refuses an execution closed more than 14 days ago', async () => {
    supplierUp = false;
    const sm = await e.machine({ StartAt: 'Ship', States: { Ship: { ...invoke('supplier'), End: true } } });
    const arn = await e.start(sm, { order: 'late' });
    expect((await e.ended(arn)).status).toBe('FAILED');
    e.clock.advance(14 * 86_400_000 + 60_000);
    expect(await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' });
    expect(await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn })).catch((err) => err)).toBeInstanceOf(ExecutionNotRedrivable);
  });

  it('answers a retried redrive with the same clientToken as the first, redriving once, for 15 minutes (AWS)', async () => {
    const sm = await e.machine({ StartAt: 'Refuse', States: { Refuse: { ...invoke('refuse'), End: true } } });
    const arn = await e.start(sm, { order: 'retried' });
    expect((await e.ended(arn)).status).toBe('FAILED');
    const redrive = async (clientToken: string) => (await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn, clientToken }))).redriveDate!.getTime();
    const count = async () => (await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveCount;

    // Three copies at once: one redrive, one answer.
    const first = await Promise.all([redrive('token-1'), redrive('token-1'), redrive('token-1')]);
    expect(new Set(first).size).toBe(1);
    expect((await e.ended(arn)).status).toBe('FAILED');
    expect(await count()).toBe(1);
    expect(refusals).toBe(2);

    // Redrivable again, yet the same token is the same request; another token is a new one.
    e.clock.advance(60_000);
    expect(await redrive('token-1')).toBe(first[0]);
    const second = await redrive('token-2');
    expect(second).toBeGreaterThan(first[0]);
    expect((await e.ended(arn)).status).toBe('FAILED');
    expect(await redrive('token-1')).toBe(first[0]);
    expect(await count()).toBe(2);
    expect(refusals).toBe(3);

    // 15 minutes after its first use a token is forgotten: it redrives again.
    e.clock.advance(15 * 60_000);
    expect(await redrive('token-1')).toBeGreaterThan(second);
    expect((await e.ended(arn)).status).toBe('FAILED');
    expect(await count()).toBe(3);
    expect(refusals).toBe(4);
  });
});
