/**
 * Inviting people through the API and the identity provider (the real Cognito client against
 * local/identity): an invitation with name, role and teams; a refused invitation changes nothing
 * anywhere (the account's groups, the directory, the audit log), also when two administrators
 * invite the same e-mail at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, AdminListGroupsForUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ApiClient, startTestCloud, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
/** Signs admin calls with the embedded cloud's key pair, as the API function does. */
let cognito: CognitoIdentityProviderClient;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', maxAttempts: 1 });
  admin = await cloud.userOf('inviting', ['administrator']);
});
afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

const groupsOf = async (username: string) =>
  ((await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: username }))).Groups ?? []).map((g) => g.GroupName);
const directoryEntry = async (email: string) => (await admin.get('/api/users')).json.items.find((u: { email: string }) => u.email === email);
const invitesOf = async (email: string) =>
  ((await admin.get('/api/audit?limit=500')).json.items as Array<{ action: string; details: { email?: string } }>).filter((e) => e.action === 'user.invite' && e.details.email === email);

describe('an invitation', () => {
  it('gives the new user a name, a role and teams, in the directory and in the identity provider', async () => {
    const team = await admin.post('/api/teams', { name: 'West', supervisor: null });
    expect(team.status, team.text).toBe(201);
    const invited = await admin.post('/api/users', { email: 'Rita@Inviting.example', name: 'Rita Rep', role: 'sales-representative', teams: [team.json.id] });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.json).toMatchObject({ email: 'rita@inviting.example', name: 'Rita Rep', role: 'sales-representative', teams: [team.json.id], active: true, version: 1 });
    const account = await cognito.send(new AdminGetUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: invited.json.sub }));
    expect(account.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'name', Value: 'Rita Rep' }, { Name: 'custom:tenant', Value: 'inviting' }]));
    expect(await groupsOf(invited.json.sub)).toEqual(['sales-representative']);
    expect((await admin.get('/api/teams')).json.items.find((t: { id: string }) => t.id === team.json.id).members).toEqual([invited.json.sub]);
  });
});

describe('what an invitation takes', () => {
  it('a name of up to 200 characters; a longer one, over 50 teams, a team twice or no e-mail is refused by field, and changes nothing', async () => {
    const atLimit = await admin.post('/api/users', { email: 'long@inviting.example', role: 'marketing', name: 'N'.repeat(200) });
    expect(atLimit.status, atLimit.text).toBe(201);
    const team = (await admin.get('/api/teams')).json.items[0].id as string;
    const refusals = await Promise.all([
      admin.post('/api/users', { email: 'longer@inviting.example', role: 'marketing', name: 'N'.repeat(201) }),
      admin.post('/api/users', { email: 'teams@inviting.example', role: 'marketing', teams: Array.from({ length: 51 }, () => team) }),
      admin.post('/api/users', { email: 'twice-team@inviting.example', role: 'marketing', teams: [team, team] }),
      admin.post('/api/users', { email: 'not an e-mail', role: 'marketing' }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(refusals.map((r) => r.json.error.issues[0].path)).toEqual(['name', 'teams', 'teams', 'email']);
    for (const email of ['longer@inviting.example', 'teams@inviting.example', 'twice-team@inviting.example']) {
      expect(await directoryEntry(email)).toBeUndefined();
      expect(cloud.identity.outbox.messages(email)).toHaveLength(0);
    }
  });
});

describe('a refused invitation', () => {
  it('of an e-mail the directory has changes nothing, and its message names the e-mail', async () => {
    const first = await admin.post('/api/users', { email: 'sam@inviting.example', role: 'sales-representative' });
    expect(first.status, first.text).toBe(201);
    const before = await directoryEntry('sam@inviting.example');

    const refusals = [];
    for (const email of ['sam@inviting.example', ' SAM@Inviting.Example ']) refusals.push(await admin.post('/api/users', { email, role: 'marketing', name: 'Someone Else' }));
    // The account keeps its one group, the directory its entry, the audit log its one invitation.
    expect(await groupsOf(first.json.sub)).toEqual(['sales-representative']);
    expect(await directoryEntry('sam@inviting.example')).toEqual(before);
    expect(await invitesOf('sam@inviting.example')).toHaveLength(1);
    expect(cloud.identity.outbox.messages('sam@inviting.example')).toHaveLength(1);
    for (const again of refusals) {
      expect(again.status, again.text).toBe(409);
      expect(again.json.error).toMatchObject({ code: 'AlreadyExists', issues: [{ path: 'email', value: 'sam@inviting.example' }] });
      expect(again.json.error.message).toContain('sam@inviting.example');
      expect(again.json.error.message).not.toContain(first.json.sub);
    }
  });

  it('of one e-mail by two administrators at once: one invitation wins, the other changes nothing', async () => {
    const otherAdmin = await cloud.userOf('inviting', ['administrator']);
    const roles = ['sales-manager', 'service-agent'];
    const answers = await Promise.all(roles.map((role, i) => (i ? otherAdmin : admin).post('/api/users', { email: 'twice@inviting.example', role })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const won = answers.find((a) => a.status === 201)!.json;
    const lost = answers.find((a) => a.status === 409)!.json;
    expect(await groupsOf(won.sub)).toEqual([won.role]);
    expect(await directoryEntry('twice@inviting.example')).toMatchObject({ sub: won.sub, role: won.role, version: 1 });
    expect(await invitesOf('twice@inviting.example')).toHaveLength(1);
    expect(lost.error.message).toContain('twice@inviting.example');
  });

  it('of an e-mail that has an account in another tenant names the e-mail and changes nothing', async () => {
    const taken = (await (await cloud.userOf('elsewhere')).get('/api/me')).json.email as string;
    const before = await cognito.send(new AdminGetUserCommand({ UserPoolId: cloud.identity.userPoolId, Username: taken }));
    const refused = await admin.post('/api/users', { email: taken, role: 'sales-manager' });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.message).toContain(taken);
    const sub = before.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
    expect(await groupsOf(sub)).toEqual(['administrator']);
    expect(await directoryEntry(taken)).toBeUndefined();
  });
});
