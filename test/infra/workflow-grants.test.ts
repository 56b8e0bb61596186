/**
 * What the workflows may do in AWS, no more (issue 15): a `.sync:2` child needs its executions
 * described and stopped and Step Functions' managed rule; the callback pattern needs whoever holds
 * the token (the function a `.waitForTaskToken` task invokes, the child a task starts) allowed to
 * send it back; status changes go to the function WORKFLOW_EVENT_RULES names. cdk-nag stays clean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from '../../infra/nag.ts';
import { WORKFLOW_EVENT_RULES } from '../../infra/app-resources.ts';
import type { SheetflowStack } from '../../infra/sheetflow-stack.ts';
import { FIXTURE_WORKFLOWS, synthStack } from '../support/synth-stack.ts';

const WORKFLOWS = {
  ...FIXTURE_WORKFLOWS,
  'parent-flow': { file: 'parent-flow.asl.json', description: 'Fixture: sync and callback children' },
  'child-flow': { file: 'child-flow.asl.json', description: 'Fixture: a child' },
};

let stack: SheetflowStack;
let template: Template;
beforeAll(() => {
  stack = synthStack({ workflows: WORKFLOWS });
  template = Template.fromStack(stack);
});

const actions = (s: any): string[] => [s.Action].flat();
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);

/** The statements of the policies attached to a role. */
function statementsOfRole(roleId: string): any[] {
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const machineRole = (key: string) => Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith(`Workflows${key.replace(/-/g, '')}Role`))!;
const functionRole = (key: 'api' | 'imports' | 'stream' | 'statusEvents') => logicalId(stack.functions.get(key).role!);

describe('workflow grants', () => {
  it('lets a .sync:2 parent start, describe and stop its child executions and use the managed rule; a fire-and-forget parent only starts', () => {
    const parent = statementsOfRole(machineRole('parent-flow'));
    const describe = parent.find((s) => actions(s).includes('states:DescribeExecution'));
    expect(actions(describe)).toEqual(expect.arrayContaining(['states:DescribeExecution', 'states:StopExecution']));
    expect(JSON.stringify(describe.Resource)).toContain(':execution:Test-child-flow:*');
    const rule = parent.find((s) => actions(s).includes('events:PutRule'));
    expect(actions(rule)).toEqual(expect.arrayContaining(['events:PutTargets', 'events:PutRule', 'events:DescribeRule']));
    expect(JSON.stringify(rule.Resource)).toContain(':rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');
    expect(JSON.stringify(parent.find((s) => actions(s).includes('states:StartExecution')).Resource)).toContain(':stateMachine:Test-child-flow');

    const fireAndForget = statementsOfRole(machineRole('fixture-flow'));
    expect(fireAndForget.flatMap(actions)).toContain('states:StartExecution');
    expect(fireAndForget.flatMap(actions)).not.toContain('states:DescribeExecution');
    expect(fireAndForget.flatMap(actions).some((a) => a.startsWith('events:'))).toBe(false);
  });

  it('lets the holders of a token send it back: the function a callback task invokes, the child a callback task starts', () => {
    const imports = statementsOfRole(functionRole('imports'));
    const answer = imports.find((s) => actions(s).includes('states:SendTaskSuccess'));
    expect(actions(answer).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    expect(JSON.stringify(answer.Resource)).toContain(':stateMachine:Test-parent-flow');
    expect(JSON.stringify(answer.Resource)).not.toContain('fixture-flow');

    const child = statementsOfRole(machineRole('child-flow'));
    expect(JSON.stringify(child.find((s) => actions(s).includes('states:SendTaskSuccess')).Resource)).toContain(':stateMachine:Test-parent-flow');
    // The stream function answers a token only to deliver a human task's recorded answer again (functions/tasks/), and starts
    // a stage's process on the live alias (functions/pipelines/stage-entry.ts): it stops nothing.
    const stream = statementsOfRole(functionRole('stream'));
    expect(stream.flatMap(actions).filter((a) => a.startsWith('states:')).sort()).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:SendTaskFailure', 'states:SendTaskSuccess', 'states:StartExecution']);
    for (const start of stream.filter((s) => actions(s).includes('states:StartExecution'))) for (const arn of [start.Resource].flat()) expect(JSON.stringify(arn)).toContain(':live');
  });

  it('publishes each state machine as a version with a live alias on it, on which the API starts processes', () => {
    const machines = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
    const versions = template.findResources('AWS::StepFunctions::StateMachineVersion');
    expect(Object.keys(versions)).toHaveLength(machines.length);
    for (const version of Object.values<any>(versions)) {
      expect(machines).toContain(version.Properties.StateMachineArn.Ref);
      expect(version.Properties.StateMachineRevisionId['Fn::GetAtt']).toEqual([version.Properties.StateMachineArn.Ref, 'StateMachineRevisionId']);
      // Kept when a new one replaces it: instances still run on it.
      expect(version.DeletionPolicy).toBe('Retain');
    }
    const aliases = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachineAlias'));
    expect(aliases.map((alias) => alias.Properties.Name)).toEqual(machines.map(() => 'live'));
    for (const alias of aliases) expect(Object.keys(versions)).toContain(alias.Properties.RoutingConfiguration[0].StateMachineVersionArn['Fn::GetAtt'][0]);
    const start = statementsOfRole(functionRole('api')).filter((s) => actions(s).includes('states:StartExecution'));
    expect(JSON.stringify(start.map((s) => s.Resource))).toContain(':stateMachine:Test-fixture-flow:live');
    // The status-change target reads an execution whose event left its input out.
    expect(statementsOfRole(functionRole('statusEvents')).flatMap(actions)).toContain('states:DescribeExecution');
  });

  it("sends the stack's executions' status changes to the statusEvents function, with a dead-letter queue", () => {
    // The rules on events (a schedule's rule, the reminders', has no EventPattern).
    const rules = Object.values<any>(template.findResources('AWS::Events::Rule')).filter((rule) => rule.Properties.EventPattern);
    expect(rules).toHaveLength(WORKFLOW_EVENT_RULES.length);
    const [rule] = rules;
    expect(rule.Properties.EventPattern).toMatchObject({ source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'] });
    const arns = JSON.stringify(rule.Properties.EventPattern.detail.stateMachineArn);
    for (const key of Object.keys(WORKFLOWS)) expect(arns).toContain(`:stateMachine:Test-${key}`);
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalId(stack.functions.get('statusEvents')), 'Arn'] });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][1]).toBe('Arn');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalId(stack.functions.get('statusEvents')), 'Arn'] },
    });
  });

  it('leaves cdk-nag nothing unacknowledged', () => {
    const violations = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => ({ rule: v.ruleName, at: v.violatingResources.map((r) => r.constructPath) }));
    expect(violations).toEqual([]);
  });
});
