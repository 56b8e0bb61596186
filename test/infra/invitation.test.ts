/**
 * The user pool's invitation e-mail, as CloudFormation will render it: a link to the app's
 * sign-in page from the AppUrl parameter (none when it is left empty), the user name and the
 * temporary password Cognito fills in.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { synthStack } from '../support/synth-stack.ts';

const template = Template.fromStack(synthStack()).toJSON();
const pool = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Cognito::UserPool').Properties;

/** The little of CloudFormation's intrinsic functions the template uses, for one parameter value. */
function resolve(value: any, parameters: Record<string, string>): any {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, parameters));
  if ('Ref' in value) {
    if (!(value.Ref in parameters)) throw new Error(`unresolved Ref ${value.Ref}`);
    return parameters[value.Ref];
  }
  if ('Fn::Join' in value) return resolve(value['Fn::Join'][1], parameters).join(value['Fn::Join'][0]);
  if ('Fn::Equals' in value) {
    const [a, b] = resolve(value['Fn::Equals'], parameters);
    return a === b;
  }
  if ('Fn::Not' in value) return !resolve(value['Fn::Not'][0], parameters);
  if ('Fn::If' in value) {
    const [condition, yes, no] = value['Fn::If'];
    return resolve(resolve(template.Conditions[condition], parameters) ? yes : no, parameters);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, parameters)]));
}

const invitation = (appUrl: string) => resolve(pool.AdminCreateUserConfig.InviteMessageTemplate, { AppUrl: appUrl });

describe('the invitation e-mail', () => {
  it('links to the sign-in page of the address the AppUrl parameter gives', () => {
    const mail = invitation('https://crm.example.com');
    expect(mail.EmailMessage).toContain('<a href="https://crm.example.com/signin">https://crm.example.com/signin</a>');
    expect(mail.EmailMessage).toContain('{username}');
    expect(mail.EmailMessage).toContain('{####}');
    expect(mail.EmailSubject).toBe('You are invited to Sheetflow');
  });

  it('has no link while AppUrl is left empty, and still the user name and temporary password', () => {
    expect(template.Parameters.AppUrl.Default).toBe('');
    const mail = invitation('');
    expect(mail.EmailMessage).not.toContain('href');
    expect(mail.EmailMessage).not.toContain('/signin');
    expect(mail.EmailMessage).toMatch(/\{username\}.*\{####\}/);
  });

  it('takes an https address without a path as AppUrl, or nothing', () => {
    const pattern = new RegExp(template.Parameters.AppUrl.AllowedPattern);
    for (const ok of ['', 'https://crm.example.com', 'https://d111111abcdef8.cloudfront.net']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['http://crm.example.com', 'https://crm.example.com/', 'https://crm.example.com/app', 'crm.example.com', 'https://a b']) expect(pattern.test(bad), bad).toBe(false);
  });
});
