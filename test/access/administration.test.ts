/**
 * Administration through the API and the identity provider, end to end: an invitation goes
 * out by e-mail (the local pool's outbox), the invited user chooses a password and signs in;
 * roles, teams, deactivation and password resets take effect at once; every administrative
 * action and sign-in is in the audit log; owners and `user` fields name users of the tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  PasswordResetRequiredException,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ApiClient, cognitoCall, startTestCloud, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let cognito: CognitoIdentityProviderClient;
let admin: ApiClient;
let adminSub: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  admin = await cloud.userOf('adminco', ['administrator']);
  adminSub = (await admin.get('/api/me')).json.sub;
});
afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

const passwordAuth = (email: string, password: string) =>
  cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));

/** Invites `email` as `role`, and signs the invited user in with a password of their own, as the e-mail tells them to. */
async function invite(email: string, role: string, password = `${email}-Chosen-1!`) {
  const invited = await admin.post('/api/users', { email, role });
  expect(invited.status, invited.text).toBe(201);
  const mail = cloud.identity.outbox.messages(email).at(-1);
  expect(mail?.text).toContain(mail!.data.temporaryPassword);
  const challenge = await passwordAuth(email, mail!.data.temporaryPassword);
  expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const answered = await cognito.send(
    new RespondToAuthChallengeCommand({ ClientId: cloud.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password } }),
  );
  // The first sign-in moved their directory entry on (invited no longer): the version to change it at.
  const version = (await admin.get('/api/users')).json.items.find((u: { sub: string }) => u.sub === invited.json.sub).version as number;
  return { user: invited.json, version, client: new ApiClient(cloud.url, answered.AuthenticationResult!.IdToken), password };
}

describe('users', () => {
  it('answers the caller with their role and permissions', async () => {
    const me = await admin.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.json.role).toMatchObject({ id: 'administrator', administer: true });
    expect(me.json.role.types.deal).toMatchObject({ scope: 'all', actions: expect.arrayContaining(['create', 'read', 'update', 'delete', 'export', 'import']) });
  });

  it('invites by e-mail; the invited user chooses a password, signs in and has the role given', async () => {
    const { user, client } = await invite('rep@adminco.example', 'sales-representative');
    expect(user).toMatchObject({ email: 'rep@adminco.example', role: 'sales-representative', teams: [], active: true, version: 1 });
    const me = await client.get('/api/me');
    expect(me.json).toMatchObject({ sub: user.sub, tenant: 'adminco', groups: ['sales-representative'], role: { id: 'sales-representative' } });
    // The directory lists them, and the administrator (registered at their first sign-in).
    const listed = (await admin.get('/api/users')).json.items;
    expect(listed.map((u: { sub: string }) => u.sub)).toEqual(expect.arrayContaining([user.sub, adminSub]));
    expect(listed.find((u: { sub: string }) => u.sub === adminSub).role).toBe('administrator');
  });

  it('refuses an invitation of an e-mail taken, to a role or team that does not exist, and from a non-administrator', async () => {
    const again = await admin.post('/api/users', { email: 'rep@adminco.example', role: 'marketing' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('AlreadyExists');
    const bad = await admin.post('/api/users', { email: 'x@adminco.example', role: 'pope', teams: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['role', 'teams.0']);
    const { client } = await invite('marketer@adminco.example', 'marketing');
    const refused = await client.post('/api/users', { email: 'y@adminco.example', role: 'administrator' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Marketing may not administer/);
  });

  it('deactivation locks the user out at once (API and sign-in); activation lets them back', async () => {
    const { user, version, client, password } = await invite('leaver@adminco.example', 'service-agent');
    expect((await client.get('/api/companies')).status).toBe(200);
    const off = await admin.patch(`/api/users/${user.sub}`, { version, fields: { active: false } });
    expect(off.status, off.text).toBe(200);
    const refused = await client.get('/api/companies');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('UserDeactivated');
    await expect(passwordAuth('leaver@adminco.example', password)).rejects.toThrow(NotAuthorizedException);
    // A stale version changes nothing.
    expect((await admin.patch(`/api/users/${user.sub}`, { version, fields: { active: true } })).status).toBe(409);
    expect((await admin.patch(`/api/users/${user.sub}`, { version: version + 1, fields: { active: true } })).status).toBe(200);
    expect((await passwordAuth('leaver@adminco.example', password)).AuthenticationResult).toBeDefined();
    expect((await client.get('/api/companies')).status).toBe(200);
  });

  it('an administrator cannot lock themself out', async () => {
    const version = (await admin.get('/api/users')).json.items.find((u: { sub: string }) => u.sub === adminSub).version;
    const self = await admin.patch(`/api/users/${adminSub}`, { version, fields: { active: false } });
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe('SelfLockout');
  });

  it('a password reset mails a code; the old password no longer signs in, the code sets a new one', async () => {
    const { user, password } = await invite('forgetful@adminco.example', 'marketing');
    expect((await admin.post(`/api/users/${user.sub}/reset-password`, {})).status).toBe(204);
    await expect(passwordAuth('forgetful@adminco.example', password)).rejects.toThrow(PasswordResetRequiredException);
    const code = cloud.identity.outbox.messages('forgetful@adminco.example').at(-1)!.data.code;
    await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: cloud.clientId, Username: 'forgetful@adminco.example', ConfirmationCode: code, Password: 'A-new-password-9!' }));
    expect((await passwordAuth('forgetful@adminco.example', 'A-new-password-9!')).AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('Cognito admin calls need IAM credentials: a browser with a token cannot make them', async () => {
    const reply = await cognitoCall(cloud.url, 'AdminCreateUser', { UserPoolId: cloud.identity.userPoolId, Username: 'me@evil.example' });
    expect(reply.status).toBe(403);
    expect(reply.body.__type).toBe('MissingAuthenticationTokenException');
  });
});

describe('teams and roles', () => {
  it('a team has a supervisor and members; membership is the user\'s, versioned', async () => {
    const { user, version } = await invite('member@adminco.example', 'sales-representative');
    const team = await admin.post('/api/teams', { name: 'North', supervisor: adminSub });
    expect(team.status, team.text).toBe(201);
    expect((await admin.post('/api/teams', { name: 'Ghost', supervisor: 'nobody' })).json.error.issues[0].path).toBe('supervisor');
    const joined = await admin.patch(`/api/users/${user.sub}`, { version, fields: { teams: [team.json.id] } });
    expect(joined.json).toMatchObject({ teams: [team.json.id], version: version + 1 });
    const teams = (await admin.get('/api/teams')).json.items;
    expect(teams.find((t: { id: string }) => t.id === team.json.id)).toMatchObject({ name: 'North', supervisor: adminSub, members: [user.sub] });
    const busy = await admin.delete(`/api/teams/${team.json.id}?version=1`);
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('InUse');
  });

  it('custom roles are defined by administrators and count at the holder\'s next request; built-in ones are read-only', async () => {
    const role = await admin.post('/api/roles', { name: 'Auditor', types: { company: { actions: ['read', 'export'], scope: 'all' } } });
    expect(role.status, role.text).toBe(201);
    const { user, version, client } = await invite('auditor@adminco.example', 'marketing');
    expect((await client.post('/api/leads', { name: 'A lead' })).status).toBe(201);
    expect((await admin.patch(`/api/users/${user.sub}`, { version, fields: { role: role.json.id } })).status).toBe(200);
    expect((await client.get('/api/me')).json.role).toMatchObject({ name: 'Auditor', builtIn: false });
    expect((await client.get('/api/companies')).status).toBe(200);
    const create = await client.post('/api/companies', { name: 'Not mine to make' });
    expect(create.status).toBe(403);
    expect(create.json.error.message).toMatch(/Auditor may not create company/);
    expect((await client.get('/api/leads')).status).toBe(403);
    // Its holder keeps it from being deleted; a built-in role cannot be changed at all.
    expect((await admin.delete(`/api/roles/${role.json.id}?version=1`)).json.error.code).toBe('InUse');
    expect((await admin.patch('/api/roles/marketing', { version: 1, fields: { name: 'Sales' } })).json.error.code).toBe('BuiltInRole');
    const changed = await admin.patch(`/api/roles/${role.json.id}`, { version: 1, fields: { types: { company: { actions: ['read', 'create'], scope: 'all' } } } });
    expect(changed.status, changed.text).toBe(200);
    expect((await client.post('/api/companies', { name: 'Now I may' })).status).toBe(201);
    const roles = (await admin.get('/api/roles')).json.items.map((r: { id: string }) => r.id);
    expect(roles).toEqual(['administrator', 'sales-manager', 'sales-representative', 'service-agent', 'marketing', role.json.id]);
  });

  it('refuses a role whose permissions name what does not exist', async () => {
    const bad = await admin.post('/api/roles', { name: 'Odd', types: { spaceship: { actions: ['fly'], scope: 'galaxy' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['types.spaceship']));
  });
});

describe('owners and user fields', () => {
  it('hands a record to another user of the tenant, with history; not to a stranger', async () => {
    const { user } = await invite('heir@adminco.example', 'sales-representative');
    const company = (await admin.post('/api/companies', { name: 'Inherited Ltd' })).json;
    const stranger = await admin.patch(`/api/companies/${company.id}/owner`, { version: 1, owner: 'not-a-user' });
    expect(stranger.status).toBe(400);
    expect(stranger.json.error.issues[0]).toMatchObject({ path: 'owner', value: 'not-a-user' });
    const handed = await admin.patch(`/api/companies/${company.id}/owner`, { version: 1, owner: user.sub });
    expect(handed.status, handed.text).toBe(200);
    expect(handed.json).toMatchObject({ owner: user.sub, version: 2 });
    const history = (await admin.get(`/api/companies/${company.id}/history`)).json.items;
    expect(history.at(-1).changes).toEqual([{ field: 'owner', old: adminSub, new: user.sub }]);
    expect((await admin.patch(`/api/companies/${company.id}/owner`, { version: 1, owner: adminSub })).status).toBe(409);
  });

  it('a user field takes active users of the tenant only', async () => {
    const field = await admin.post('/api/fields/company', { label: 'Account manager', type: 'user' });
    expect(field.status, field.text).toBe(201);
    const ok = await admin.post('/api/companies', { name: 'Managed', [field.json.key]: adminSub });
    expect(ok.status, ok.text).toBe(201);
    const other = await cloud.userOf('elsewhere');
    const foreign = await admin.post('/api/companies', { name: 'Managed by a stranger', [field.json.key]: (await other.get('/api/me')).json.sub });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.issues[0]).toMatchObject({ path: field.json.key, message: 'is no active user of this tenant' });
  });
});

describe('audit log', () => {
  it('holds administrative actions and sign-ins: who, what, when, from where; for administrators only', async () => {
    const entries = (await admin.get('/api/audit?limit=500')).json.items as Array<Record<string, any>>;
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['user.invite', 'user.change', 'user.deactivate', 'user.activate', 'user.reset-password', 'team.create', 'role.create', 'role.change', 'sign-in']) {
      expect(actions, action).toContain(action);
    }
    const invitation = entries.find((e) => e.action === 'user.invite' && e.details.email === 'rep@adminco.example')!;
    expect(invitation).toMatchObject({ actor: adminSub, target: expect.stringMatching(/^user:/), sourceIp: expect.stringMatching(/127\.0\.0\.1/) });
    expect(Date.parse(invitation.at)).toBeGreaterThan(Date.now() - 10 * 60_000);
    const signIn = entries.find((e) => e.action === 'sign-in' && e.actor === adminSub)!;
    expect(signIn.sourceIp).toMatch(/127\.0\.0\.1/);
    // Newest first, and paged.
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const page = (await admin.get('/api/audit?limit=2')).json;
    expect(page.items).toHaveLength(2);
    const next = (await admin.get(`/api/audit?limit=2&before=${encodeURIComponent(page.nextCursor)}`)).json;
    expect(next.items[0].cursor < page.items[1].cursor).toBe(true);
    const { client } = await invite('nosy@adminco.example', 'sales-manager');
    expect((await client.get('/api/audit')).status).toBe(403);
  });

  it('another tenant\'s administrator sees none of it', async () => {
    const other = await cloud.userOf('adminco-rival', ['administrator']);
    const entries = (await other.get('/api/audit')).json.items as Array<{ actor: string }>;
    expect(entries.every((e) => e.actor !== adminSub)).toBe(true);
    expect((await other.get('/api/users')).json.items.every((u: { email: string }) => !u.email.endsWith('@adminco.example'))).toBe(true);
  });
});

