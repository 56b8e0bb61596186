/**
 * Notifications in the stack: the stream function (which e-mails new notifications) may send
 * through SES from the one identity the deployment names, and nothing else may send; the
 * functions are told the sender; the reminders function runs every minute by an EventBridge rule
 * and reads and writes the table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, FUNCTIONS, SCHEDULES, type FunctionKey } from '../../infra/app-resources.ts';
import type { SheetflowStack } from '../../infra/sheetflow-stack.ts';
import { synthStack } from '../support/synth-stack.ts';

let stack: SheetflowStack;
let template: Template;

beforeAll(() => {
  stack = synthStack();
  template = Template.fromStack(stack);
});

const fnId = (key: FunctionKey) => stack.getLogicalId(stack.functions.get(key).node.defaultChild as Parameters<SheetflowStack['getLogicalId']>[0]);
const roleOf = (key: FunctionKey) => (template.toJSON().Resources[fnId(key)].Properties.Role['Fn::GetAtt'] as string[])[0];
/** Every statement of the policies attached to the function's role. */
function statementsOf(key: FunctionKey): any[] {
  const role = roleOf(key);
  return Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
const actions = (statement: any): string[] => [statement.Action].flat();

describe('notification e-mail', () => {
  it('is sent by the stream function only, through SES from the MailIdentity parameter\'s identity', () => {
    const sending = statementsOf('stream').filter((s) => actions(s).some((a) => a.startsWith('ses:')));
    expect(sending).toHaveLength(1);
    expect(actions(sending[0])).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(sending[0].Resource)).toContain(':identity/');
    expect(JSON.stringify(sending[0].Resource)).toContain('{"Ref":"MailIdentity"}');
    for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
      if (key !== 'stream') expect(statementsOf(key).flatMap(actions).filter((a) => a.startsWith('ses:')), key).toEqual([]);
    }
    const parameters = template.toJSON().Parameters;
    expect(parameters.MailIdentity).toMatchObject({ Type: 'String', Default: '' });
    expect(parameters.MailFrom).toMatchObject({ Type: 'String', Default: '' });
    expect(template.toJSON().Resources[fnId('stream')].Properties.Environment.Variables[ENV.mailFrom]).toEqual({ Ref: 'MailFrom' });
  });
});

describe('schedules', () => {
  it.each(SCHEDULES.map((s) => [s.function, s] as const))('runs %s by an EventBridge rule at its rate', (key, schedule) => {
    const rules = Object.values<any>(template.findResources('AWS::Events::Rule')).filter((rule) => rule.Properties.ScheduleExpression);
    const rule = rules.find((r) => r.Properties.Targets.some((t: any) => t.Arn['Fn::GetAtt']?.[0] === fnId(key)));
    expect(rule?.Properties.ScheduleExpression).toBe(schedule.everyMinutes === 1 ? 'rate(1 minute)' : `rate(${schedule.everyMinutes} minutes)`);
    const permission = Object.values<any>(template.findResources('AWS::Lambda::Permission')).find((p) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === fnId(key) && p.Properties.Principal === 'events.amazonaws.com');
    expect(permission).toBeDefined();
  });

  it('lets the reminders function read and write the table, and do nothing with Step Functions or SES', () => {
    const statements = statementsOf('reminders').flatMap(actions);
    expect(statements).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem']));
    expect(statements.filter((a) => a.startsWith('states:') || a.startsWith('ses:'))).toEqual([]);
  });
});
