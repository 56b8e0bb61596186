/**
 * The invitation names the company the user is invited to (the tenant's name, which an
 * administrator sets with PATCH /api/tenant) and links to the sign-in page: written by the
 * user pool's custom message trigger (functions/users/invitation-message.ts), which the local
 * pool runs as Cognito runs the Lambda. Through the API, the real Cognito client and the outbox;
 * the trigger itself on events shaped as Cognito sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitiateAuthCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { handler } from '../../functions/users/invitation-message.ts';
import { ApiClient, startTestCloud, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let cognito: CognitoIdentityProviderClient;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  admin = await cloud.userOf('acme', ['administrator']);
});
afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

const mails = (email: string) => cloud.identity.outbox.messages(email);

async function nameTenant(client: ApiClient, name: string) {
  const { version } = (await client.get('/api/tenant')).json;
  const renamed = await client.patch('/api/tenant', { version, name });
  expect(renamed.status, renamed.text).toBe(200);
  return renamed.json;
}

describe('the invitation', () => {
  it('names the company the administrator named the tenant, links to sign-in, and signs in with what it says', async () => {
    await nameTenant(admin, 'Acme & Sons GmbH');
    const invited = await admin.post('/api/users', { email: 'nina@acme.example', role: 'sales-representative' });
    expect(invited.status, invited.text).toBe(201);

    const [mail] = mails('nina@acme.example');
    expect(mail.subject).toBe('You are invited to Acme & Sons GmbH on Sheetflow');
    expect(mail.text).toContain('You have been invited to Acme &amp; Sons GmbH on Sheetflow.');
    expect(mail.text).toContain(`<a href="${cloud.url}/signin">${cloud.url}/signin</a>`);
    // Cognito's placeholders, filled in: the user's name and the temporary password.
    expect(mail.text).toContain('with your e-mail nina@acme.example and the temporary password');
    expect(mail.text).toContain(`<b>${mail.data.temporaryPassword}</b>`);
    expect(mail.text).not.toMatch(/\{username\}|\{####\}/);
    const challenge = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: 'nina@acme.example', PASSWORD: mail.data.temporaryPassword } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('sent again names the company by its name now', async () => {
    const invited = await admin.post('/api/users', { email: 'otto@acme.example', role: 'marketing' });
    expect(invited.status, invited.text).toBe(201);
    await nameTenant(admin, 'Acme Holding');
    const resent = await admin.post(`/api/users/${invited.json.sub}/resend-invitation`, {});
    expect(resent.status, resent.text).toBe(204);
    const [first, second] = mails('otto@acme.example');
    expect(first.subject).toBe('You are invited to Acme & Sons GmbH on Sheetflow');
    expect(second.subject).toBe('You are invited to Acme Holding on Sheetflow');
    expect(second.text).toContain(`${cloud.url}/signin`);
    expect(second.text).toContain(second.data.temporaryPassword);
  });

  it('of a tenant never named names its id; one tenant\'s name is not another\'s', async () => {
    const other = await cloud.userOf('globex', ['administrator']);
    expect((await other.get('/api/tenant')).json).toEqual({ name: 'globex', version: 0 });
    expect((await other.post('/api/users', { email: 'hank@globex.example', role: 'marketing' })).status).toBe(201);
    expect(mails('hank@globex.example')[0].subject).toBe('You are invited to globex on Sheetflow');
  });
});

describe('PATCH /api/tenant', () => {
  it('is conditional on the version the administrator saw, and audited', async () => {
    const named = await nameTenant(admin, 'Acme Renamed');
    const stale = await admin.patch('/api/tenant', { version: named.version - 1, name: 'Lost update' });
    expect(stale.status, stale.text).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'VersionConflict', current: { name: 'Acme Renamed', version: named.version } });
    const unsaved = await cloud.userOf('initech', ['administrator']);
    const ahead = await unsaved.patch('/api/tenant', { version: 3, name: 'Never saw this' });
    expect(ahead.status, ahead.text).toBe(409);
    expect((await unsaved.get('/api/tenant')).json).toEqual({ name: 'initech', version: 0 });
    const audit = (await admin.get('/api/audit?limit=50')).json.items.filter((entry: { action: string }) => entry.action === 'tenant.rename');
    expect(audit[0]).toMatchObject({ target: 'tenant', details: { name: 'Acme Renamed' } });
  });

  it('of two administrators naming the tenant at once keeps one name and refuses the other', async () => {
    const first = await cloud.userOf('hooli', ['administrator']);
    const second = await cloud.userOf('hooli', ['administrator']);
    const answers = await Promise.all([first.patch('/api/tenant', { version: 0, name: 'Hooli' }), second.patch('/api/tenant', { version: 0, name: 'Hooli XYZ' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const kept = answers.find((answer) => answer.status === 200)!.json;
    expect((await first.get('/api/tenant')).json).toMatchObject({ name: kept.name, version: 1 });
  });
});

describe('the custom message trigger', () => {
  const event = (triggerSource: CustomMessageTriggerEvent['triggerSource'], tenant: string): CustomMessageTriggerEvent => ({
    version: '1',
    triggerSource,
    region: 'eu-central-1',
    userPoolId: 'eu-central-1_AbCdEfGhI',
    userName: '3f1c2a9e-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    request: {
      userAttributes: { sub: '3f1c2a9e-0000-4000-8000-000000000001', email: 'new@acme.example', email_verified: 'true', 'cognito:user_status': 'FORCE_CHANGE_PASSWORD', 'custom:tenant': tenant },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: triggerSource === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });

  it('writes the invitation of a tenant with its name, the link and Cognito\'s placeholders', async () => {
    const answer = await handler(event('CustomMessage_AdminCreateUser', 'acme'));
    expect(answer.response.emailSubject).toBe('You are invited to Acme Renamed on Sheetflow');
    expect(answer.response.emailMessage).toContain('Acme Renamed');
    expect(answer.response.emailMessage).toContain(`<a href="${cloud.url}/signin">`);
    expect(answer.response.emailMessage).toMatch(/\{username\}.*<b>\{####\}<\/b>/);
  });

  it('leaves every other message, and a user of no tenant, as the pool has them', async () => {
    for (const source of ['CustomMessage_ForgotPassword', 'CustomMessage_ResendCode', 'CustomMessage_SignUp'] as const) {
      expect((await handler(event(source, 'acme'))).response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
    }
    expect((await handler(event('CustomMessage_AdminCreateUser', ''))).response.emailMessage).toBeNull();
  });
});
