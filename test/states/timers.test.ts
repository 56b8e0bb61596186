/**
 * The engine's clock and its timers (issue 15, defects 5 and 6): `$now()` and `$millis()` read
 * the engine's clock, Wait.Timestamp fires when a test moves that clock, seconds are integers
 * as AWS wants them, history stops at AWS's 25,000 events, timers that come due together
 * wake a bounded number of executions at a time, each once, and a task's timeout armed a moment
 * before the clock moves still fires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { AdjustableClock } from '../../local/states/clock.ts';
import { history, ROLE } from '../support/states-harness.ts';
import { startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

const DAY = 86_400_000;
const clock = new AdjustableClock('2020-01-01T08:00:00Z');
let e: LocalEngine;

// The gate holds each call until the test lets it go, so the test sees how many run at once.
const gate = { inFlight: 0, max: 0, waiting: [] as Array<() => void> };
const TIMER_SLOTS = 4;

beforeAll(async () => {
  e = await startLocalEngine({
    clock,
    timerConcurrency: TIMER_SLOTS,
    lambdas: {
      // Offered a task, someone moves the clock two days on at once (a test, as soon as it sees the task).
      jump: async () => {
        clock.advance(2 * DAY);
        return {};
      },
      gate: async () => {
        gate.inFlight += 1;
        gate.max = Math.max(gate.max, gate.inFlight);
        await new Promise<void>((resolve) => gate.waiting.push(resolve));
        gate.inFlight -= 1;
        return { passed: true };
      },
    },
  });
});
afterAll(async () => {
  for (const release of gate.waiting.splice(0)) release();
  await e?.close();
});

async function waitEntered(executionArn: string) {
  await expect.poll(async () => (await history(e.sfn, executionArn)).map((ev) => ev.type)).toContain('WaitStateEntered');
}

describe('the engine clock', () => {
  it('answers $now() and $millis() from the engine clock, one instant per evaluation', async () => {
    const before = clock.now();
    const sm = await e.machine({ StartAt: 'P', States: { P: { Type: 'Pass', Output: { now: '{% $now() %}', millis: '{% $millis() %}', day: "{% $now('[Y0001]-[M01]-[D01]') %}" }, End: true } } });
    const out = JSON.parse((await e.ended(await e.start(sm))).output!);
    expect(out.millis).toBeGreaterThanOrEqual(before);
    expect(out.millis).toBeLessThan(before + 60_000);
    expect(out.now).toBe(new Date(out.millis).toISOString());
    expect(out.day).toBe('2020-01-01');
  });

  it('fires a Wait.Timestamp computed from $millis() when the clock reaches it', async () => {
    const sm = await e.machine({
      StartAt: 'Until',
      States: { Until: { Type: 'Wait', Timestamp: '{% $fromMillis($millis() + 86400000) %}', Next: 'Done' }, Done: { Type: 'Pass', Output: '{% $now() %}', End: true } },
    });
    const arn = await e.start(sm);
    await waitEntered(arn);
    clock.advance(DAY + 1000);
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(Date.parse(JSON.parse(done.output!))).toBeGreaterThanOrEqual(Date.parse('2020-01-02T08:00:00Z'));
  });

  it('fires a literal Wait.Timestamp a week ahead when the clock is moved past it, and not before', async () => {
    const at = new Date(clock.now() + 7 * DAY).toISOString();
    const sm = await e.machine({ StartAt: 'Until', States: { Until: { Type: 'Wait', Timestamp: at, End: true } } });
    const arn = await e.start(sm, { waited: true });
    await waitEntered(arn);
    clock.advance(6 * DAY);
    await e.states.engine.pollTimers();
    expect((await e.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 1 }))).events![0].type).toBe('WaitStateEntered');
    clock.advance(DAY);
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ waited: true });
  });
});

describe('a clock moved while a task is offered', () => {
  it('times the task out: the move came before the engine had saved the timeout it armed', async () => {
    const sm = await e.machine({
      StartAt: 'Offer',
      States: {
        Offer: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'jump', Payload: {} },
          TimeoutSeconds: 86400,
          Catch: [{ ErrorEquals: ['States.Timeout'], Output: { late: true }, Next: 'Late' }],
          End: true,
        },
        Late: { Type: 'Pass', End: true },
      },
    });
    const arn = await e.start(sm);
    // Within the poll's 10 s: the timer index is read again only every 30 s by itself.
    await expect.poll(async () => (await e.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 1 }))).events![0].type).toBe('ExecutionSucceeded');
    expect(JSON.parse((await e.ended(arn)).output!)).toEqual({ late: true });
  });
});

describe('seconds are integers, as AWS wants them', () => {
  it('refuses a literal fractional Wait.Seconds and a HeartbeatSeconds not below TimeoutSeconds at creation', async () => {
    const create = (definition: object) =>
      e.sfn.send(new CreateStateMachineCommand({ name: `bad-${Math.random().toString(36).slice(2)}`, roleArn: ROLE, definition: JSON.stringify({ QueryLanguage: 'JSONata', ...definition }) })).catch((err) => err);
    const fraction = await create({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1.5, End: true } } });
    expect(fraction.name).toBe('InvalidDefinition');
    expect(fraction.message).toContain('/States/W/Seconds');
    const heartbeat = await create({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Arguments: { FunctionName: 'gate' }, TimeoutSeconds: 10, HeartbeatSeconds: 10, End: true } },
    });
    expect(heartbeat.name).toBe('InvalidDefinition');
    expect(heartbeat.message).toContain('/States/T/HeartbeatSeconds');
  });

  it.each([
    ['Wait.Seconds of 1.5', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '{% 1.5 %}', End: true } } }, 'Seconds'],
    [
      'TimeoutSeconds of 0',
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'gate' }, TimeoutSeconds: '{% 0 %}', End: true } } },
      'TimeoutSeconds',
    ],
    [
      'HeartbeatSeconds of 2.5',
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Arguments: { FunctionName: 'gate' }, HeartbeatSeconds: '{% 2.5 %}', End: true } } },
      'HeartbeatSeconds',
    ],
  ])('fails an execution whose JSONata gives %s with States.QueryEvaluationError', async (_name, definition, field) => {
    const done = await e.ended(await e.start(await e.machine(definition)));
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.QueryEvaluationError');
    expect(done.cause).toContain(`'${field}' must be an integer`);
  });
});

describe('history', () => {
  it("fails an execution at AWS's 25,000 history events, the last one its ExecutionFailed", async () => {
    const sm = await e.machine({
      StartAt: 'Loop',
      States: { Loop: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.done = true %}', Next: 'Done' }], Default: 'Loop' }, Done: { Type: 'Succeed' } },
    });
    const arn = await e.start(sm);
    const done = await e.ended(arn, 120_000);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
    const events = await history(e.sfn, arn);
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)!.type).toBe('ExecutionFailed');
    expect(events.at(-1)!.id).toBe(25_000);
  }, 180_000);
});

describe('timers that come due together', () => {
  it('load a bounded number of executions at a time, each once, and all of them go on', async () => {
    const at = new Date(clock.now() + DAY).toISOString();
    const sm = await e.machine({
      StartAt: 'NineOClock',
      States: {
        NineOClock: { Type: 'Wait', Timestamp: at, Next: 'Remind' },
        Remind: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'gate', Payload: {} }, End: true },
      },
    });
    const arns = await Promise.all(Array.from({ length: 12 }, (_, i) => e.start(sm, { i })));
    for (const arn of arns) await waitEntered(arn);
    const woken = e.states.engine.timerStats.woken;
    expect(e.states.engine.liveCount).toBe(0);

    clock.advance(DAY);
    await expect.poll(() => gate.inFlight).toBe(TIMER_SLOTS);
    // Every one is due; the rest wait for a slot. Reading the timer index again queues none twice.
    await expect.poll(() => e.states.engine.timerStats).toMatchObject({ queued: 12 - TIMER_SLOTS, waking: TIMER_SLOTS });
    await e.states.engine.pollTimers();
    await e.states.engine.pollTimers();
    expect(e.states.engine.timerStats).toMatchObject({ queued: 12 - TIMER_SLOTS, waking: TIMER_SLOTS, woken: woken + TIMER_SLOTS });
    expect(gate.inFlight).toBe(TIMER_SLOTS);

    let released = 0;
    while (released < 12) {
      await expect.poll(() => gate.waiting.length).toBeGreaterThan(0);
      gate.waiting.shift()!();
      released += 1;
    }
    for (const arn of arns) expect((await e.ended(arn)).status).toBe('SUCCEEDED');
    expect(gate.max).toBe(TIMER_SLOTS);
    expect(e.states.engine.timerStats.woken).toBe(woken + 12);
  });
});
