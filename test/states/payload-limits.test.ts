/**
 * State data up to AWS's limits (issue 15, defect 1): 256 KiB (262,144 bytes) per execution
 * input and per state's output. A 250 KiB payload runs through 100 states - Pass, Lambda and
 * DynamoDB tasks - and its whole history reads back; at the limit a start and a state output
 * are accepted, one byte over they are refused with AWS's errors. No item the engine writes comes
 * near DynamoDB's 400 KB, whatever the characters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationException } from '@aws-sdk/client-sfn';
import { history } from '../support/states-harness.ts';
import { itemBytes } from '../../functions/records/item-size.ts';
import { lambdaTask, startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

const LIMIT = 262_144;
let e: LocalEngine;
/** The largest item the engine has written to its table (bytes, over-estimated: attribute-value JSON). */
let largestItem = 0;
const written = (request: Record<string, any>): Array<Record<string, unknown>> => [
  ...(request.Item ? [request.Item] : []),
  ...Object.values((request.RequestItems ?? {}) as Record<string, any[]>).flatMap((writes) => writes.flatMap((w) => (w.PutRequest ? [w.PutRequest.Item] : []))),
];

beforeAll(async () => {
  e = await startLocalEngine({
    lambdas: { echo: async (event: unknown) => event },
    onTableRequest: (_operation, request) => {
      for (const item of written(request)) largestItem = Math.max(largestItem, itemBytes(item));
    },
  });
});
afterAll(async () => e?.close());

/** `{"p":"xxx…","n":0}` of exactly `bytes` bytes (n is 0 to 9). */
function payload(bytes: number): { p: string; n: number } {
  const empty = JSON.stringify({ p: '', n: 0 }).length;
  return { p: 'x'.repeat(bytes - empty), n: 0 };
}

/** `count` states, Pass, lambda:invoke and dynamodb:getItem in turn, each passing its input on (n counts the Pass states). */
function statesInTurn(count: number): Record<string, object> {
  const kinds = ['Pass', 'Lambda', 'Dynamo'] as const;
  const states: Record<string, object> = {};
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % 3];
    const next = i < count - 1 ? { Next: `S${i + 1}` } : { End: true };
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
  return states;
}

describe('state data up to 256 KiB', () => {
  it('carries 250 KiB through 100 states (Pass, lambda:invoke, dynamodb:getItem) and reads its history back; no item written reaches 350 KB', async () => {
    largestItem = 0;
    const sm = await e.machine({ StartAt: 'S0', States: statesInTurn(100) });
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
    // The payload's parts were among the items seen, and none came near DynamoDB's 400 KB.
    expect(largestItem).toBeGreaterThan(100_000);
    expect(largestItem).toBeLessThan(350_000);
  }, 300_000);

  it('keeps every item under 350 KB with 180 KB of three-byte characters (fields kept inline by bytes, not characters)', async () => {
    largestItem = 0;
    const sm = await e.machine({ StartAt: 'S0', States: statesInTurn(7) });
    // 60,000 characters of '€' (3 bytes each): 180 KB of UTF-8, under 64 K characters.
    const input = { p: '€'.repeat(60_000), n: 0 };
    const done = await e.ended(await e.start(sm, input), 60_000);
    expect(done.error ?? done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).p).toBe(input.p);
    expect(largestItem).toBeGreaterThan(100_000);
    expect(largestItem).toBeLessThan(350_000);
  });

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
