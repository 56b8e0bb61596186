/**
 * The Step Functions API as its reference gives it, where the engine's first version differed:
 * names and request fields bounded as AWS bounds them (at the limit accepted, past it refused),
 * updates that name nothing to change refused, ListExecutions' redriveFilter, ListStateMachineAliases
 * newest first and of a version,
 * DescribeStateMachineForExecution's revisionId, the maximum execution time of a year; and that a
 * definition is stored once, however many machines, versions and executions run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  CreateStateMachineAliasCommand,
  InvalidName,
  ListStateMachineAliasesCommand,
  ListExecutionsCommand,
  MissingRequiredParameter,
  PublishStateMachineVersionCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
  TaskTimedOut,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { REGION, ROLE } from '../support/states-harness.ts';
import { humanStep, startLocalEngine, taskInbox, type LocalEngine } from '../support/states-engine.ts';

let e: LocalEngine;
const { tokens, inbox } = taskInbox();

beforeAll(async () => {
  e = await startLocalEngine({ lambdas: { inbox } });
});
afterAll(async () => e?.close());

const waitsForHuman = { StartAt: 'Approve', States: { Approve: { ...humanStep(), Output: '{% $states.result %}', End: true } } };

/** Starts an execution parked on its human step; answers its ARN and token. */
async function parked(sm: string, key: string): Promise<{ arn: string; token: string }> {
  const arn = await e.start(sm, { key });
  await expect.poll(() => tokens.has(key)).toBe(true);
  return { arn, token: tokens.get(key)! };
}

const DAY = 86_400_000;
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (err) => err);

describe('names (developer guide, "Step Functions service quotas": names)', () => {
  it('takes any name of 1-80 characters without whitespace, brackets, wildcards, the special characters or control characters', async () => {
    const sm = await e.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'order.flow@v2+eu');
    expect(sm).toMatch(/:stateMachine:order\.flow@v2\+eu$/);
    const atLimit = `bestellung-${'ä'.repeat(69)}`;
    expect([...atLimit]).toHaveLength(80);
    for (const name of ['order.42', "o'brien=1!", atLimit]) {
      const arn = await e.start(sm, {}, name);
      expect((await e.ended(arn)).name).toBe(name);
    }
    for (const name of [`${atLimit}x`, 'a b', 'a:b', 'a/b', 'x[1]', 'a{b}', 'what?', 'tab\there', 'semi;colon', '']) {
      expect(await refusal(e.start(sm, {}, name)), JSON.stringify(name)).toBeInstanceOf(InvalidName);
    }
    expect(await refusal(e.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, 'has space'))).toBeInstanceOf(InvalidName);
  });
});

describe('request fields bounded as the API reference bounds them', () => {
  it('SendTaskSuccess: an output of 262,144 bytes is the task result, one byte more is refused; two copies at once complete it once', async () => {
    const sm = await e.machine(waitsForHuman);
    const { arn, token } = await parked(sm, 'output-limit');
    // A JSON string whose text is 262,144 bytes, with a two-byte character in it.
    const atLimit = JSON.stringify(`é${'x'.repeat(262_144 - 4)}`);
    expect(Buffer.byteLength(atLimit)).toBe(262_144);
    const over = JSON.stringify(`é${'x'.repeat(262_144 - 3)}`);
    expect(await refusal(e.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: over })))).toBeInstanceOf(ValidationException);
    const answers = await Promise.allSettled([1, 2].map(() => e.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: atLimit }))));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.find((a) => a.status === 'rejected')!.reason).toBeInstanceOf(TaskTimedOut);
    const done = await e.ended(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe(atLimit);
  });

  it('task tokens up to 2,048 characters; SendTaskFailure and StopExecution errors up to 256 characters, causes up to 32,768', async () => {
    const sm = await e.machine(waitsForHuman);
    const tooLong = 'x'.repeat(2049);
    for (const send of [
      new SendTaskSuccessCommand({ taskToken: tooLong, output: '{}' }),
      new SendTaskFailureCommand({ taskToken: tooLong }),
      new SendTaskHeartbeatCommand({ taskToken: tooLong }),
    ]) {
      expect(await refusal(e.sfn.send(send as SendTaskSuccessCommand))).toBeInstanceOf(ValidationException);
    }

    const failed = await parked(sm, 'failure-limit');
    const [error, cause] = ['E'.repeat(256), 'c'.repeat(32_768)];
    expect(await refusal(e.sfn.send(new SendTaskFailureCommand({ taskToken: failed.token, error: `${error}E`, cause })))).toBeInstanceOf(ValidationException);
    expect(await refusal(e.sfn.send(new SendTaskFailureCommand({ taskToken: failed.token, error, cause: `${cause}c` })))).toBeInstanceOf(ValidationException);
    await e.sfn.send(new SendTaskFailureCommand({ taskToken: failed.token, error, cause }));
    expect(await e.ended(failed.arn)).toMatchObject({ status: 'FAILED', error, cause });

    const stopped = await parked(sm, 'stop-limit');
    expect(await refusal(e.sfn.send(new StopExecutionCommand({ executionArn: stopped.arn, error: `${error}E` })))).toBeInstanceOf(ValidationException);
    expect(await refusal(e.sfn.send(new StopExecutionCommand({ executionArn: stopped.arn, cause: `${cause}c` })))).toBeInstanceOf(ValidationException);
    expect((await e.sfn.send(new DescribeExecutionCommand({ executionArn: stopped.arn }))).status).toBe('RUNNING');
    await e.sfn.send(new StopExecutionCommand({ executionArn: stopped.arn, error, cause }));
    expect(await e.ended(stopped.arn)).toMatchObject({ status: 'ABORTED', error, cause });
  });

  it('refuses a definition over 1,048,576 characters and a roleArn over 256', async () => {
    const definition = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const padded = (length: number) => definition.padEnd(length, ' ');
    await e.sfn.send(new CreateStateMachineCommand({ name: 'definition-at-limit', definition: padded(1_048_576), roleArn: ROLE }));
    expect(await refusal(e.sfn.send(new CreateStateMachineCommand({ name: 'definition-over', definition: padded(1_048_577), roleArn: ROLE })))).toBeInstanceOf(ValidationException);
    const role = `${ROLE}-${'r'.repeat(256)}`.slice(0, 257);
    expect(await refusal(e.sfn.send(new CreateStateMachineCommand({ name: 'role-over', definition, roleArn: role })))).toBeInstanceOf(ValidationException);
  });
});

describe('updates that change nothing are refused', () => {
  it('UpdateStateMachine without definition or roleArn is MissingRequiredParameter; UpdateStateMachineAlias without description or routing, and a versionDescription without publish, ValidationException', async () => {
    const definition = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const created = await e.sfn.send(new CreateStateMachineCommand({ name: 'update-nothing', definition, roleArn: ROLE, publish: true }));
    expect(await refusal(e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, publish: true })))).toBeInstanceOf(MissingRequiredParameter);
    const routing = [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 100 }];
    const alias = await e.sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: routing }));
    expect(await refusal(e.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn })))).toBeInstanceOf(ValidationException);
    // A version description without a version to describe is refused, at creation as at update.
    expect(await refusal(e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, roleArn: ROLE, versionDescription: 'no version' })))).toBeInstanceOf(ValidationException);
    expect(await refusal(e.sfn.send(new CreateStateMachineCommand({ name: 'described-unpublished', definition, roleArn: ROLE, versionDescription: 'no version' })))).toBeInstanceOf(ValidationException);
    // Either field alone is an update.
    await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, roleArn: `${ROLE}-2` }));
    await e.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, description: 'the live one' }));
  });
});

describe('StartExecution on a version ARN', () => {
  it("runs that version's definition, not the machine's latest, and DescribeExecution names the version", async () => {
    const pass = (says: string) => JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: { says }, End: true } } });
    const created = await e.sfn.send(new CreateStateMachineCommand({ name: 'started-on-version', definition: pass('v1'), roleArn: ROLE, publish: true }));
    await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: pass('latest') }));
    const onVersion = await e.ended(await e.start(created.stateMachineVersionArn!));
    expect(JSON.parse(onVersion.output!)).toEqual({ says: 'v1' });
    expect(onVersion).toMatchObject({ stateMachineArn: created.stateMachineArn, stateMachineVersionArn: created.stateMachineVersionArn });
    expect(onVersion.stateMachineAliasArn).toBeUndefined();
    expect(JSON.parse((await e.ended(await e.start(created.stateMachineArn!))).output!)).toEqual({ says: 'latest' });
  });
});

describe('ListStateMachineAliases', () => {
  it('lists the newest alias first, and given a version ARN the aliases that route to it', async () => {
    const definition = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const created = await e.sfn.send(new CreateStateMachineCommand({ name: 'aliases-listed', definition, roleArn: ROLE, publish: true }));
    const v1 = created.stateMachineVersionArn!;
    const v2 = (await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: `${definition} `, publish: true }))).stateMachineVersionArn!;
    const alias = async (name: string, routingConfiguration: Array<{ stateMachineVersionArn: string; weight: number }>) => {
      e.clock.advance(1000);
      return (await e.sfn.send(new CreateStateMachineAliasCommand({ name, routingConfiguration }))).stateMachineAliasArn!;
    };
    const alpha = await alias('alpha', [{ stateMachineVersionArn: v1, weight: 100 }]);
    const beta = await alias('beta', [{ stateMachineVersionArn: v2, weight: 100 }]);
    const gamma = await alias('gamma', [{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v2, weight: 50 }]);
    const listed = async (stateMachineArn: string) =>
      ((await e.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn }))).stateMachineAliases ?? []).map((a) => a.stateMachineAliasArn);
    expect(await listed(created.stateMachineArn!)).toEqual([gamma, beta, alpha]);
    expect(await listed(v1)).toEqual([gamma, alpha]);
    expect(await listed(v2)).toEqual([gamma, beta]);
  });
});

describe('ListExecutions', () => {
  it('keeps the redriven executions with redriveFilter REDRIVEN, the others with NOT_REDRIVEN', async () => {
    const sm = await e.machine({ StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Refused', Cause: 'always' } } });
    const [once, never] = [await e.start(sm, {}, 'redriven-once'), await e.start(sm, {}, 'never-redriven')];
    for (const arn of [once, never]) expect((await e.ended(arn)).status).toBe('FAILED');
    await e.sfn.send(new RedriveExecutionCommand({ executionArn: once }));
    expect((await e.ended(once)).redriveCount).toBe(1);
    const listed = async (redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      ((await e.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, redriveFilter }))).executions ?? []).map((x) => x.executionArn).sort();
    expect(await listed()).toEqual([once, never].sort());
    expect(await listed('REDRIVEN')).toEqual([once]);
    expect(await listed('NOT_REDRIVEN')).toEqual([never]);
  });
});

describe('DescribeStateMachineForExecution', () => {
  it('answers the revisionId of the revision the execution runs, not the latest one', async () => {
    const sm = await e.machine(waitsForHuman);
    const first = (await e.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm }))).revisionId;
    const before = await parked(sm, 'revision-before');
    const definition = JSON.stringify({ QueryLanguage: 'JSONata', ...waitsForHuman, Comment: 'second revision' });
    const second = (await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition }))).revisionId;
    expect(second).not.toBe(first);
    const after = await parked(sm, 'revision-after');
    const revisionOf = async (executionArn: string) => (await e.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).revisionId;
    expect(await revisionOf(before.arn)).toBe(first);
    expect(await revisionOf(after.arn)).toBe(second);
  });
});

describe('storage', () => {
  it('stores a definition once, by hash, for its machine, its versions and its executions', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Output: { stored: 'once' }, End: true } } };
    const sm = await e.machine(definition);
    await e.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: sm }));
    for (const name of ['first', 'second', 'third']) expect((await e.ended(await e.start(sm, {}, name))).status).toBe('SUCCEEDED');
    const ddb = new DynamoDBClient({ endpoint: e.dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const definitions = new Set<string>();
    for await (const page of paginateScan({ client: ddb }, { TableName: 'sheetflow-states', FilterExpression: 'begins_with(pk, :def)', ExpressionAttributeValues: { ':def': { S: 'SFN#DEF#' } } })) {
      // Only this test's definition says "stored".
      for (const item of page.Items ?? []) if (JSON.stringify(item).includes('stored')) definitions.add(item.pk.S!);
    }
    ddb.destroy();
    expect(definitions.size).toBe(1);
  });
});

describe('maximum execution time (developer guide, "Step Functions service quotas")', () => {
  it('times an execution out a year after its start, with no TimeoutSeconds; it cannot be redriven', async () => {
    const sm = await e.machine({ StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 99_999_999, End: true } } });
    const arn = await e.start(sm);
    await expect
      .poll(async () => (await e.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 1 }))).events![0].type)
      .toBe('WaitStateEntered');
    // A day short of the year the timer index holds nothing due for it.
    e.clock.advance(364 * DAY);
    await e.states.engine.pollTimers();
    expect((await e.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    e.clock.advance(DAY);
    const done = await e.ended(arn);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution has exceeded the max execution time' });
    expect(done.stopDate!.getTime() - done.startDate!.getTime()).toBeGreaterThanOrEqual(365 * DAY);
    expect(await refusal(e.sfn.send(new RedriveExecutionCommand({ executionArn: arn })))).toBeInstanceOf(ExecutionNotRedrivable);
  });
});
