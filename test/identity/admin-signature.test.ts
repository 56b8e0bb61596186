/**
 * Cognito's admin calls (local/identity/admin-api.ts) take IAM credentials: the real
 * CognitoIdentityProviderClient signing with the key pair the embedded cloud gives the functions
 * is answered; the same calls signed with another secret, an unknown key id, a clock 20 minutes
 * off, or with a body changed after signing are refused as Cognito refuses them (400
 * InvalidSignatureException / UnrecognizedClientException), and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDisableUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, type CognitoIdentityProviderClientConfig } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoCall, startTestCloud, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let victim: { sub: string; email: string };
let other: { sub: string };
const clients: CognitoIdentityProviderClient[] = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  const created = await cloud.identity.createUser({ email: 'victim@signed.example', password: 'victim password 1', tenant: 'signed', groups: ['marketing'] });
  victim = { sub: created.sub, email: created.email };
  other = await cloud.identity.createUser({ email: 'other@signed.example', password: 'other password 1', tenant: 'signed', groups: ['marketing'] });
});
afterAll(async () => {
  clients.forEach((client) => client.destroy());
  await cloud?.stop();
});

/** The Cognito client as the functions make it, with `credentials` (default: the embedded cloud's own, from the environment). */
function cognito(config: Partial<CognitoIdentityProviderClientConfig> = {}): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', maxAttempts: 1, ...config });
  clients.push(client);
  return client;
}

const getUser = (client: CognitoIdentityProviderClient, Username: string) => client.send(new AdminGetUserCommand({ UserPoolId: cloud.identity.userPoolId, Username }));
const disable = (client: CognitoIdentityProviderClient, Username: string) => client.send(new AdminDisableUserCommand({ UserPoolId: cloud.identity.userPoolId, Username }));

describe('admin calls signed with Signature V4', () => {
  it('answers the calls signed with the pool\'s key pair', async () => {
    expect(process.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    const user = await getUser(cognito(), victim.sub);
    expect(user).toMatchObject({ Username: victim.sub, Enabled: true });
  });

  it('refuses another secret with InvalidSignatureException, an unknown key id with UnrecognizedClientException, both 400', async () => {
    const wrongSecret = cognito({ credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: 'not-the-secret' } });
    await expect(disable(wrongSecret, victim.sub)).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    const unknownKey = cognito({ credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! } });
    await expect(disable(unknownKey, victim.sub)).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } });
    expect((await getUser(cognito(), victim.sub)).Enabled).toBe(true);
  });

  it('refuses a request signed 20 minutes off the clock', async () => {
    const late = cognito({ systemClockOffset: -20 * 60 * 1000 });
    await expect(getUser(late, victim.sub)).rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(/Signature expired/) });
  });

  it('refuses a body changed after signing (another user named, same length)', async () => {
    expect(other.sub.length).toBe(victim.sub.length);
    const tampering = cognito();
    // After the signature: the request that leaves names another user than the one signed for.
    tampering.middlewareStack.addRelativeTo(
      (next: (args: any) => Promise<any>) => async (args: any) => {
        const body = args.request.body;
        args.request.body = (typeof body === 'string' ? body : new TextDecoder().decode(body)).replace(victim.sub, other.sub);
        return next(args);
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamperAfterSigning' },
    );
    await expect(disable(tampering, victim.sub)).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    expect((await getUser(cognito(), other.sub)).Enabled).toBe(true);
    // The same middleware on a request whose body it leaves alone: the signature holds.
    expect((await getUser(tampering, other.sub)).Username).toBe(other.sub);
  });

  it('refuses an unsigned call (a browser with a user\'s token) with MissingAuthenticationTokenException', async () => {
    const reply = await cognitoCall(cloud.url, 'AdminDisableUser', { UserPoolId: cloud.identity.userPoolId, Username: victim.sub });
    expect(reply.status).toBe(403);
    expect(reply.body.__type).toBe('MissingAuthenticationTokenException');
    expect((await getUser(cognito(), victim.sub)).Enabled).toBe(true);
  });
});
