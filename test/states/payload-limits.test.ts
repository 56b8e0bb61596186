/**
 * State data up to AWS's limits (issue 15, defect 1): 256 KiB (262,144 bytes) per execution
 * input and per state's output. A 250 KiB payload runs through 100 states - Pass, Lambda and
 * DynamoDB tasks - and its whole history reads back; at the limit a start and a state output
 * are accepted, one byte over they are refused with AWS's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationException } from '@aws-sdk/client-sfn';
import { history } from '../support/states-harness.ts';
import { lambdaTask, startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

const LIMIT = 262_144;
let e: LocalEngine;

beforeAll(async () => {
  e = await startLocalEngine({ lambdas: { echo: async (event: unknown) => event } });
});
afterAll(async () => e?.close());

/** `{"p":"xxx…","n":0}` of exactly `bytes` bytes (n is 0 to 9). */
function payload(bytes: number): { p: string; n: number } {
  const empty = JSON.stringify({ p: '', n: 0 }).length;
  return { p: 'x'.repeat(bytes - empty), n: 0 };
}

describe('state data up to 256 KiB', () => {
  it('carries 250 KiB through 100 states (Pass, lambda:invoke, dynamodb:getItem) and reads its history back', async () => {
    const kinds = ['Pass', 'Lambda', 'Dynamo'] as const;
    const states: Record<string, object> = {};
    for (let i = 0; i < 100; i++) {
      const kind = kinds[i % 3];
      const next = i < 99 ? { Next: `S${i + 1}` } : { End: true };
      states[`S${i}`] =
        kind === 'Pass'
          ? { Type: 'Pass', Output: '{% $merge([$states.input, {"n": ($states.input.n + 1) % 10}]) %}', ...next }
          : kind === 'Lambda'
            ? { ...lambdaTask('echo'), ...next }
            : {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:getItem',
                Arguments: { TableName: 'sheetflow-states', Key: { pk: { S: 'no-such-item' }, sk: { S: 'none' } } },
                Output: '{% $states.input %}',
                ...next,
              };
    }
    const sm = await e.machine({ StartAt: 'S0', States: states });
    const input = payload(250 * 1024);
    const arn = await e.start(sm, input);
    const done = await e.ended(arn, 280_000);
    expect(done.error ?? done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.p).toBe(input.p);
    expect(output.n).toBe(34 % 10);
    const events = await history(e.sfn, arn);
    const entered = events.filter((ev) => ev.stateEnteredEventDetails);
    expect(entered).toHaveLength(100);
    for (const ev of entered) expect(ev.stateEnteredEventDetails!.input!.length).toBeGreaterThanOrEqual(250 * 1024);
    expect(events.map((ev) => ev.id)).toEqual(events.map((_, i) => i + 1));
  }, 300_000);

  it('starts an execution whose input is exactly 256 KiB, the same request twice at once giving one execution; one byte more is refused', async () => {
    const sm = await e.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const input = payload(LIMIT);
    const [a, b] = await Promise.all([e.start(sm, input, 'at-the-limit'), e.start(sm, input, 'at-the-limit')]);
    expect(a).toBe(b);
    expect(JSON.parse((await e.ended(a)).output!)).toEqual(input);
    const over = await e.start(sm, payload(LIMIT + 1)).catch((err) => err);
    expect(over).toBeInstanceOf(ValidationException);
  });

  it('accepts a state output of exactly 256 KiB and fails one a byte over with States.DataLimitExceeded', async () => {
    const sm = await e.machine({
      StartAt: 'Grow',
      States: { Grow: { Type: 'Pass', Output: "{% {'p': $pad('', $states.input.size - 14, 'x'), 'n': 0} %}", End: true } },
    });
    const at = await e.ended(await e.start(sm, { size: LIMIT }));
    expect(at.status).toBe('SUCCEEDED');
    expect(Buffer.byteLength(at.output!)).toBe(LIMIT);
    const over = await e.ended(await e.start(sm, { size: LIMIT + 1 }));
    expect(over.status).toBe('FAILED');
    expect(over.error).toBe('States.DataLimitExceeded');
  });
});
