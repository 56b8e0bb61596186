/**
 * An invited user's first day, through the API and the real Cognito client against
 * local/identity: the invitation mail says where to sign in and for which tenant; the user is
 * "invited" until their first sign-in; an administrator can send the invitation again (a new
 * temporary password); the password rules the sign-in page states are the ones the pool enforces;
 * a user who forgot their password gets a code by mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ClientConfig } from '../../functions/contracts/auth.ts';
import { ApiClient, startTestCloud, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
/** The browser's calls (no IAM credentials needed: InitiateAuth, ForgotPassword, ...). */
let cognito: CognitoIdentityProviderClient;
/** Admin calls, signed with the embedded cloud's key pair as the API function signs them. */
let adminCognito: CognitoIdentityProviderClient;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  adminCognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', maxAttempts: 1 });
  admin = await cloud.userOf('firstday', ['administrator']);
});
afterAll(async () => {
  cognito?.destroy();
  adminCognito?.destroy();
  await cloud?.stop();
});

const passwordAuth = (email: string, password: string) =>
  cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
const choosePassword = (email: string, session: string | undefined, password: string) =>
  cognito.send(new RespondToAuthChallengeCommand({ ClientId: cloud.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password } }));
const statusOf = async (username: string) => (await adminCognito.send(new AdminGetUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: username }))).UserStatus;
const entryOf = async (sub: string) => (await admin.get('/api/users')).json.items.find((u: { sub: string }) => u.sub === sub);
const auditOf = async (action: string, sub: string) => ((await admin.get('/api/audit?limit=500')).json.items as Array<{ action: string; target: string }>).filter((e) => e.action === action && e.target === `user:${sub}`);
const mails = (email: string) => cloud.identity.outbox.messages(email);

async function invite(email: string, role = 'sales-representative') {
  const invited = await admin.post('/api/users', { email, role, name: 'New Person' });
  expect(invited.status, invited.text).toBe(201);
  return invited.json as { sub: string; email: string; invited?: boolean; version: number };
}

/** Signs in with the temporary password of the latest invitation and chooses `password`. */
async function acceptInvitation(email: string, password: string) {
  const challenge = await passwordAuth(email, mails(email).at(-1)!.data.temporaryPassword);
  expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  return choosePassword(email, challenge.Session, password);
}

describe('an invitation', () => {
  it('is mailed with a link to the sign-in page, the tenant and the temporary password', async () => {
    await invite('mia@firstday.example');
    const [mail] = mails('mia@firstday.example');
    expect(mail.subject).toContain('firstday');
    expect(mail.data).toMatchObject({ signInUrl: `${cloud.url}/signin`, tenant: 'firstday' });
    for (const part of [`${cloud.url}/signin`, 'firstday', 'mia@firstday.example', mail.data.temporaryPassword]) expect(mail.text).toContain(part);
  });

  it('leaves the user invited (the account FORCE_CHANGE_PASSWORD) until their first sign-in, then not', async () => {
    const user = await invite('ivo@firstday.example');
    expect(user.invited).toBe(true);
    expect(await entryOf(user.sub)).toMatchObject({ invited: true, active: true, version: 1 });
    expect(await statusOf(user.sub)).toBe('FORCE_CHANGE_PASSWORD');

    const signedIn = await acceptInvitation('ivo@firstday.example', 'Ivo-chose-this-1!');
    expect(signedIn.AuthenticationResult?.IdToken).toBeTruthy();
    expect(await statusOf(user.sub)).toBe('CONFIRMED');
    const entry = await entryOf(user.sub);
    expect(entry).toMatchObject({ active: true, version: 2, role: 'sales-representative', name: 'New Person' });
    expect(entry.invited).toBeUndefined();
    expect(await auditOf('user.accept-invitation', user.sub)).toHaveLength(1);
    // Later sign-ins leave the directory as it is.
    await passwordAuth('ivo@firstday.example', 'Ivo-chose-this-1!');
    expect((await entryOf(user.sub)).version).toBe(2);
  });
});

describe('Resend invitation', () => {
  it('mails a new temporary password; the old one no longer signs in, the new one does', async () => {
    const user = await invite('lost@firstday.example');
    const first = mails('lost@firstday.example')[0].data.temporaryPassword;
    const resent = await admin.post(`/api/users/${user.sub}/resend-invitation`, {});
    expect(resent.status, resent.text).toBe(204);
    const all = mails('lost@firstday.example');
    expect(all).toHaveLength(2);
    const second = all[1].data.temporaryPassword;
    expect(second).not.toBe(first);
    expect(all[1].text).toContain(`${cloud.url}/signin`);
    await expect(passwordAuth('lost@firstday.example', first)).rejects.toThrow(NotAuthorizedException);
    expect((await passwordAuth('lost@firstday.example', second)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(await auditOf('user.resend-invitation', user.sub)).toHaveLength(1);
    // Still invited: nothing changed but the password to start with.
    expect(await entryOf(user.sub)).toMatchObject({ invited: true, version: 1 });
  });

  it('is refused for a user who has signed in (409 InvitationAccepted), and mails nothing', async () => {
    const user = await invite('done@firstday.example');
    await acceptInvitation('done@firstday.example', 'Done-chose-this-1!');
    const refused = await admin.post(`/api/users/${user.sub}/resend-invitation`, {});
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe('InvitationAccepted');
    expect(refused.json.error.message).toContain('done@firstday.example');
    expect(mails('done@firstday.example')).toHaveLength(1);
    expect((await passwordAuth('done@firstday.example', 'Done-chose-this-1!')).AuthenticationResult).toBeDefined();
  });

  it('is the identity provider\'s refusal too: RESEND to an account that chose its password', async () => {
    const { sub } = await cloud.identity.createUser({ email: 'confirmed@firstday.example', password: 'a password 1', tenant: 'firstday' });
    await expect(
      adminCognito.send(new AdminCreateUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: 'confirmed@firstday.example', MessageAction: 'RESEND' })),
    ).rejects.toMatchObject({ name: 'UnsupportedUserStateException' });
    await expect(adminCognito.send(new AdminCreateUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: 'nobody@firstday.example', MessageAction: 'RESEND' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
    });
    expect(mails('confirmed@firstday.example')).toHaveLength(0);
    expect(await statusOf(sub)).toBe('CONFIRMED');
  });

  it('is for administrators, of users of their tenant', async () => {
    const rep = await cloud.userOf('firstday', ['sales-representative']);
    const user = await invite('wait@firstday.example');
    expect((await rep.post(`/api/users/${user.sub}/resend-invitation`, {})).status).toBe(403);
    const stranger = await cloud.userOf('otherday', ['administrator']);
    expect((await stranger.post(`/api/users/${user.sub}/resend-invitation`, {})).status).toBe(404);
    expect(mails('wait@firstday.example')).toHaveLength(1);
  });
});

describe('the password rules', () => {
  it('/config.json states the rules the pool enforces: one character short is refused, and the user can try again', async () => {
    const config = ClientConfig.parse(await (await fetch(`${cloud.url}/config.json`)).json());
    const { minLength } = config.auth.passwordPolicy;
    await invite('rules@firstday.example');
    const challenge = await passwordAuth('rules@firstday.example', mails('rules@firstday.example')[0].data.temporaryPassword);
    await expect(choosePassword('rules@firstday.example', challenge.Session, 'x'.repeat(minLength - 1))).rejects.toThrow(InvalidPasswordException);
    // Still invited: the temporary password starts another try, and a long enough one is taken.
    const again = await passwordAuth('rules@firstday.example', mails('rules@firstday.example')[0].data.temporaryPassword);
    expect((await choosePassword('rules@firstday.example', again.Session, 'x'.repeat(minLength))).AuthenticationResult).toBeDefined();
  });
});

describe('Forgot password', () => {
  it('mails a code; the old password signs in until the code sets a new one', async () => {
    await invite('forgot@firstday.example');
    await acceptInvitation('forgot@firstday.example', 'Forgot-first-1!');
    const asked = await cognito.send(new ForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'Forgot@FirstDay.example' }));
    expect(asked.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'f***@f***' });
    const code = mails('forgot@firstday.example').at(-1)!.data.code;
    expect(code).toMatch(/^\d{6}$/);
    expect((await passwordAuth('forgot@firstday.example', 'Forgot-first-1!')).AuthenticationResult).toBeDefined();
    const wrong = code === '000000' ? '000001' : '000000';
    await expect(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'forgot@firstday.example', ConfirmationCode: wrong, Password: 'Forgot-second-2!' }))).rejects.toThrow(
      CodeMismatchException,
    );
    await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'forgot@firstday.example', ConfirmationCode: code, Password: 'Forgot-second-2!' }));
    await expect(passwordAuth('forgot@firstday.example', 'Forgot-first-1!')).rejects.toThrow(NotAuthorizedException);
    expect((await passwordAuth('forgot@firstday.example', 'Forgot-second-2!')).AuthenticationResult).toBeDefined();
  });

  it('answers an unknown e-mail as a known one, and mails nothing', async () => {
    const asked = await cognito.send(new ForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'ghost@firstday.example' }));
    expect(asked.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(mails('ghost@firstday.example')).toHaveLength(0);
  });

  it('cannot reset an invited user\'s password before they chose one (as Cognito): the invitation is what they need', async () => {
    await invite('fresh@firstday.example');
    await expect(cognito.send(new ForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'fresh@firstday.example' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User password cannot be reset in the current state.',
    });
    expect(mails('fresh@firstday.example')).toHaveLength(1);
  });
});
