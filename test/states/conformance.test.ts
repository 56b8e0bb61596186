/**
 * The 111 cases recorded against AWS (test/conformance/sfn/cases.json, see its README), run
 * through @aws-sdk/client-sfn against the local engine. Cases with JSONPath states must be
 * refused at CreateStateMachine, naming a JSONPath state; masked values ("date", ARN parts)
 * are compared with their mask in mind.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  StartExecutionCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { history, ROLE, startLocalDynamo, startHarness, waitForEnd, type Harness } from '../support/states-harness.ts';

interface Case {
  id: string;
  kind: 'execution' | 'validation';
  definition: any;
  input: unknown;
  expect: any;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../conformance/sfn/cases.json', import.meta.url), 'utf8'));

/** Names of the states that run in JSONPath (the default when no QueryLanguage says otherwise). */
function jsonPathStates(container: any, inherited = 'JSONPath'): string[] {
  const language = container.QueryLanguage ?? inherited;
  return Object.entries<any>(container.States ?? {}).flatMap(([name, state]) => {
    const own = state.QueryLanguage ?? language;
    const nested = [...(state.Branches ?? []), ...(state.ItemProcessor ? [state.ItemProcessor] : [])].flatMap((c) => jsonPathStates(c, own));
    return [...(own === 'JSONPath' ? [name] : []), ...nested];
  });
}

/** Equality where the expected side may hold LocalStack's masks. */
function matchesMasked(actual: unknown, expected: unknown): boolean {
  if (expected === 'date') return typeof actual === 'string';
  if (typeof expected === 'string' && /<[A-Za-z_]+>|111111111111|snf_role_arn/.test(expected)) return typeof actual === 'string';
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesMasked(actual[i], e));
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => matchesMasked((actual as any)[k], (expected as any)[k]));
  }
  return Object.is(actual, expected) || actual === expected;
}

let db: Awaited<ReturnType<typeof startLocalDynamo>>;
let h: Harness;
const counts = { ran: 0, refusedJsonPath: 0, validation: 0 };

beforeAll(async () => {
  db = await startLocalDynamo();
  h = await startHarness(db);
});
afterAll(async () => {
  await h?.close();
  await db?.close();
  console.log(`conformance: ${counts.ran} executions run, ${counts.refusedJsonPath} JSONPath definitions refused, ${counts.validation} validation cases`);
});

describe('Step Functions conformance cases recorded against AWS', () => {
  it('has all 111 cases', () => expect(cases).toHaveLength(111));

  // A concurrent test must use its own `expect`: the global one finds no current test once
  // another case has ended in between (expect.poll then throws "must be called inside a test").
  it.concurrent.for(cases.map((c, i) => [c.id, c, i] as const))('%s', async ([_id, c, i], { expect }) => {
    const definition = JSON.stringify(c.definition);
    const name = `case-${i}`;

    if (c.kind === 'validation') {
      counts.validation += 1;
      if (c.expect.api === 'ValidateStateMachineDefinition') {
        const out = await h.sfn.send(new ValidateStateMachineDefinitionCommand({ definition, type: c.expect.type }));
        expect(out.result).toBe(c.expect.result);
        expect(out.diagnostics).toEqual(c.expect.diagnostics);
      } else {
        const err = await h.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE })).catch((e) => e);
        expect(err?.name).toBe(c.expect.exception);
        expect(err.message).toBe(c.expect.message.split('operation: ')[1]);
      }
      return;
    }

    const jsonPath = jsonPathStates(c.definition);
    if (jsonPath.length) {
      counts.refusedJsonPath += 1;
      const err = await h.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE })).catch((e) => e);
      expect(err?.name).toBe('InvalidDefinition');
      expect(jsonPath.some((state) => err.message.includes(`'${state}'`))).toBe(true);
      return;
    }

    counts.ran += 1;
    const sm = await h.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    const started = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: JSON.stringify(c.input) }));
    const result = await waitForEnd(h.sfn, started.executionArn!, 20_000, expect);
    const events = await history(h.sfn, started.executionArn!);

    expect(result.status).toBe(c.expect.status);
    if (c.expect.status === 'SUCCEEDED') {
      const output = JSON.parse(result.output!);
      const expected = c.expect.output;
      // The Timestamp cases record {"TimestampValue": "date"} for the unchanged input.
      if (expected && typeof expected === 'object' && expected.TimestampValue === 'date') expect(output).toEqual(c.input);
      else expect(matchesMasked(output, expected), `output ${JSON.stringify(output)}`).toBe(true);
    } else {
      expect(result.error ?? null).toBe(c.expect.error);
      expect(result.cause ?? null).toBe(c.expect.cause);
    }
    expect(events.map((e) => e.type)).toEqual(c.expect.historyTypes);
  });
});
