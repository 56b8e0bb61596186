/**
 * The local identity provider answers Cognito's InitiateAuth as a user pool does, so the real
 * Cognito client signs in against it, and its ID tokens carry what the API relies on.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  InvalidParameterException,
} from '@aws-sdk/client-cognito-identity-provider';
import { TokenClaims } from '../../functions/contracts/auth.ts';
import { createIdentityProvider, readDemoAdmin, UserPoolError } from '../../local/identity/index.ts';
import { startTestCloud, cognitoCall, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await cloud.identity.createUser({ email: 'Sales@Tenant-One.example', password: 'correct horse battery', tenant: 'tenant-one', groups: ['sales-representative'] });
});
afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

const passwordAuth = (USERNAME: string, PASSWORD: string, ClientId = cloud.clientId) =>
  cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId, AuthParameters: { USERNAME, PASSWORD } }));

describe('InitiateAuth', () => {
  it('signs a user in with USER_PASSWORD_AUTH and issues Cognito-shaped tokens', async () => {
    const { AuthenticationResult: result } = await passwordAuth('sales@tenant-one.example', 'correct horse battery');
    expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    const issuer = `${cloud.url}/auth`;
    const { payload, protectedHeader } = await jwtVerify(result!.IdToken!, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), {
      issuer,
      audience: cloud.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ token_use: 'id', email: 'sales@tenant-one.example', 'custom:tenant': 'tenant-one', 'cognito:groups': ['sales-representative'] });
    expect(TokenClaims.parse(payload)).toBeTruthy();
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(decodeJwt(result!.AccessToken!)).toMatchObject({ token_use: 'access', client_id: cloud.clientId, sub: payload.sub });
    expect(result!.RefreshToken).toBeTruthy();
  });

  it('refreshes with REFRESH_TOKEN_AUTH, for the same user and without a new refresh token', async () => {
    const first = (await passwordAuth('sales@tenant-one.example', 'correct horse battery')).AuthenticationResult!;
    const refreshed = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: cloud.clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }),
    );
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    const before = decodeJwt(first.IdToken!);
    const after = decodeJwt(refreshed.AuthenticationResult!.IdToken!);
    expect(after.sub).toBe(before.sub);
    expect(after['custom:tenant']).toBe('tenant-one');
    expect(after.origin_jti).toBe(before.origin_jti);
  });

  it('answers wrong credentials as Cognito does, without telling whether the user exists', async () => {
    for (const [user, password] of [
      ['sales@tenant-one.example', 'wrong password'],
      ['nobody@tenant-one.example', 'correct horse battery'],
    ]) {
      const error = await passwordAuth(user, password).catch((err) => err);
      expect(error).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toBe('Incorrect username or password.');
    }
    const badRefresh = await cognito
      .send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: cloud.clientId, AuthParameters: { REFRESH_TOKEN: 'forged' } }))
      .catch((err) => err);
    expect(badRefresh).toBeInstanceOf(NotAuthorizedException);
  });

  it('refuses even the right password for a while after five wrong ones, as Cognito does', async () => {
    await cloud.identity.createUser({ email: 'guessed@tenant-one.example', password: 'the real password', tenant: 'tenant-one' });
    for (let i = 0; i < 5; i++) {
      expect(await passwordAuth('guessed@tenant-one.example', `guess ${i}`).catch((err) => err.message)).toBe('Incorrect username or password.');
    }
    const locked = await passwordAuth('guessed@tenant-one.example', 'the real password').catch((err) => err);
    expect(locked).toBeInstanceOf(NotAuthorizedException);
    expect(locked.message).toBe('Password attempts exceeded');
  });

  it('names bad requests with Cognito\'s exception types', async () => {
    expect(await passwordAuth('a', 'b', 'no-such-client').catch((err) => err)).toBeInstanceOf(ResourceNotFoundException);
    const missing = await cognito
      .send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: 'x' } }))
      .catch((err) => err);
    expect(missing).toBeInstanceOf(InvalidParameterException);
    expect(missing.message).toMatch(/PASSWORD/);
    const srp = await cognito
      .send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: 'x', SRP_A: '1' } }))
      .catch((err) => err);
    expect(srp).toBeInstanceOf(InvalidParameterException);

    const notJson = await cognitoCall(cloud.url, 'InitiateAuth', '{');
    expect(notJson).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    const otherOperation = await cognitoCall(cloud.url, 'SignUp', {});
    expect(otherOperation).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    expect(otherOperation.headers.get('x-amzn-errortype')).toBe('UnknownOperationException:');
  });

  it('publishes only public keys', async () => {
    const jwks = await (await fetch(`${cloud.url}/auth/.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.keys[0]).not.toHaveProperty(secret);
  });
});

describe('the user pool on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sheetflow-identity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the demo administrator once, with the password in a file only its owner reads', async () => {
    const first = await createIdentityProvider({ dataDir: dir });
    const admin = await first.ensureDemoAdmin();
    expect(admin).toMatchObject({ email: 'admin@demo.sheetflow.local', tenant: 'demo' });
    expect(admin.password).toMatch(/^\S{16,}$/);
    expect(statSync(join(dir, 'demo-admin.txt')).mode & 0o777).toBe(0o600);
    expect(readDemoAdmin(dir)).toEqual({ email: admin.email, password: admin.password });
    expect(readFileSync(join(dir, 'users.json'), 'utf8')).not.toContain(admin.password!);

    // A restart: same pool, same keys, same users; no new password.
    const second = await createIdentityProvider({ dataDir: dir });
    expect(await second.ensureDemoAdmin()).toEqual({ email: admin.email, tenant: 'demo' });
    expect(second.clientId).toBe(first.clientId);
    const reply = await second.answer(
      'AWSCognitoIdentityProviderService.InitiateAuth',
      JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: second.clientId, AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password } }),
      'http://issuer.test/auth',
    );
    expect(reply.status).toBe(200);
    const idToken = (reply.body.AuthenticationResult as { IdToken: string }).IdToken;
    await expect(jwtVerify(idToken, createLocalJWKSet(first.jwks()), { issuer: 'http://issuer.test/auth' })).resolves.toBeTruthy();
  });

  it('refuses a second user with the same e-mail and a short password', async () => {
    const pool = await createIdentityProvider({ dataDir: dir });
    await pool.createUser({ email: 'twice@example.com', password: 'long enough', tenant: 't' });
    await expect(pool.createUser({ email: 'TWICE@example.com', password: 'long enough', tenant: 't' })).rejects.toMatchObject({ type: 'UsernameExistsException' });
    await expect(pool.createUser({ email: 'short@example.com', password: 'short', tenant: 't' })).rejects.toBeInstanceOf(UserPoolError);
  });
});
