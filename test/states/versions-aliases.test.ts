/**
 * Versions and aliases (AWS API reference: PublishStateMachineVersion, ListStateMachineVersions,
 * DeleteStateMachineVersion, Create/Update/Describe/List/DeleteStateMachineAlias; developer guide:
 * "State machine versions and aliases"): a running execution keeps the version it started on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictException,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  ResourceNotFound,
  SendTaskSuccessCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { ROLE } from '../support/states-harness.ts';
import { humanStep, startLocalEngine, taskInbox, type LocalEngine } from '../support/states-engine.ts';

let e: LocalEngine;
const { tokens, inbox } = taskInbox();

beforeAll(async () => {
  e = await startLocalEngine({ lambdas: { inbox } });
});
afterAll(async () => e?.close());

/** A human step, then a Pass that says which path it took. */
const process = (path: string) =>
  JSON.stringify({
    QueryLanguage: 'JSONata',
    StartAt: 'Approve',
    States: {
      Approve: { ...humanStep(), Next: 'Path' },
      Path: { Type: 'Pass', Output: { path }, End: true },
    },
  });

describe('versions and aliases', () => {
  it('publishes versions, routes an alias, and keeps running executions on the version they started on', async () => {
    const created = await e.sfn.send(new CreateStateMachineCommand({ name: 'quick-sale', definition: process('v1'), roleArn: ROLE, publish: true, versionDescription: 'first' }));
    const sm = created.stateMachineArn!;
    expect(created.stateMachineVersionArn).toBe(`${sm}:1`);
    const v1 = created.stateMachineVersionArn!;
    expect((await e.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: v1 }))).description).toBe('first');
    const live = await e.sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    expect(live.stateMachineAliasArn).toBe(`${sm}:live`);

    // Started through the alias on v1, waiting on a human step.
    const onV1 = await e.start(live.stateMachineAliasArn!, { key: 'on-v1' });
    await expect.poll(() => tokens.has('on-v1')).toBe(true);
    const described = await e.sfn.send(new DescribeExecutionCommand({ executionArn: onV1 }));
    expect(described).toMatchObject({ stateMachineArn: sm, stateMachineVersionArn: v1, stateMachineAliasArn: `${sm}:live` });
    expect(onV1).toBe(`${sm.replace(':stateMachine:', ':execution:')}:${onV1.split(':').pop()}`);

    // Deploy v2 and move the alias: new starts take v2; the waiting one finishes on v1's path.
    const updated = await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition: process('v2'), publish: true, versionDescription: 'second' }));
    const v2 = updated.stateMachineVersionArn!;
    expect(v2).toBe(`${sm}:2`);
    await e.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    const onV2 = await e.start(live.stateMachineAliasArn!, { key: 'on-v2' });
    await expect.poll(() => tokens.has('on-v2')).toBe(true);
    for (const key of ['on-v1', 'on-v2']) await e.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.get(key)!, output: '{}' }));
    expect(JSON.parse((await e.ended(onV1)).output!)).toEqual({ path: 'v1' });
    expect(JSON.parse((await e.ended(onV2)).output!)).toEqual({ path: 'v2' });

    // The monitor's diagram: the definition each execution runs.
    expect(JSON.parse((await e.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: onV1 }))).definition!).States.Path.Output).toEqual({ path: 'v1' });
    expect(JSON.parse((await e.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: onV2 }))).definition!).States.Path.Output).toEqual({ path: 'v2' });

    // Lists: versions newest first; executions of a version or an alias.
    const versions = await e.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: sm }));
    expect(versions.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([v2, v1]);
    expect((await e.sfn.send(new ListExecutionsCommand({ stateMachineArn: v1 }))).executions!.map((x) => x.executionArn)).toEqual([onV1]);
    expect((await e.sfn.send(new ListExecutionsCommand({ stateMachineArn: live.stateMachineAliasArn }))).executions!.map((x) => x.executionArn).sort()).toEqual([onV1, onV2].sort());
    expect((await e.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: sm }))).stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([live.stateMachineAliasArn]);

    // Publishing an unchanged revision answers the same version; a stale revisionId conflicts.
    expect((await e.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: sm }))).stateMachineVersionArn).toBe(v2);
    const stale = await e.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: sm, revisionId: 'not-the-current-one' })).catch((err) => err);
    expect(stale).toBeInstanceOf(ConflictException);

    // A version an alias routes to cannot be deleted; once the alias moves away it can.
    expect(await e.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 })).catch((err) => err)).toBeInstanceOf(ConflictException);
    await e.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v2, weight: 50 }] }));
    expect((await e.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn }))).routingConfiguration).toHaveLength(2);
    await e.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    await e.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    expect((await e.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: sm }))).stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([v2]);
    // Version numbers are not reused.
    await e.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition: process('v3') }));
    expect((await e.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: sm }))).stateMachineVersionArn).toBe(`${sm}:3`);
    // The deleted version's execution still describes its definition.
    expect(JSON.parse((await e.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: onV1 }))).definition!).States.Path.Output).toEqual({ path: 'v1' });

    await e.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn }));
    expect(await e.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: live.stateMachineAliasArn })).catch((err) => err)).toBeInstanceOf(ResourceNotFound);
  });

  it('refuses routing that is not one or two versions of the machine weighing 100 in all', async () => {
    const created = await e.sfn.send(new CreateStateMachineCommand({ name: 'routing', definition: process('r'), roleArn: ROLE, publish: true }));
    const v1 = created.stateMachineVersionArn!;
    const bad = [
      [{ stateMachineVersionArn: v1, weight: 90 }],
      [{ stateMachineVersionArn: v1, weight: 50 }, { stateMachineVersionArn: v1, weight: 50 }],
      [{ stateMachineVersionArn: `${created.stateMachineArn}:9`, weight: 100 }],
    ];
    for (const routingConfiguration of bad) {
      const err = await e.sfn.send(new CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration })).catch((x) => x);
      expect([ValidationException, ResourceNotFound].some((cls) => err instanceof cls), `${err?.name}`).toBe(true);
    }
    // The same alias twice is one alias; another routing under its name conflicts.
    const request = { name: 'stable', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] };
    const first = await e.sfn.send(new CreateStateMachineAliasCommand(request));
    expect((await e.sfn.send(new CreateStateMachineAliasCommand(request))).stateMachineAliasArn).toBe(first.stateMachineAliasArn);
    expect(await e.sfn.send(new CreateStateMachineAliasCommand({ ...request, description: 'other' })).catch((x) => x)).toBeInstanceOf(ConflictException);
  });
});
