/**
 * The gateway checks tokens as API Gateway's Cognito JWT authorizer does, before any function
 * runs: each way a token can be wrong is a 401 JSON that says which.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, generateKeyPair, base64url } from 'jose';
import { loadPoolKeys, type PoolKeys } from '../../local/identity/pool-keys.ts';
import { startTestCloud, signIn, ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let keys: PoolKeys;
let issuer: string;
let tokens: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  cloud = await startTestCloud();
  keys = await loadPoolKeys(join(cloud.dataDir, 'identity'));
  issuer = `${cloud.url}/auth`;
  tokens = await signIn(cloud.url, cloud.clientId, cloud.demoAdmin.email, cloud.demoAdmin.password!);
});
afterAll(() => cloud?.stop());

const claims = () => ({ sub: 'forger', 'custom:tenant': 'demo', token_use: 'id', 'cognito:groups': ['administrator'] });

interface Forged {
  key?: CryptoKey | Uint8Array;
  /** null: the header names no key. */
  kid?: string | null;
  alg?: string;
  iss?: string;
  /** null: no `aud` claim. */
  aud?: string | null;
  /** null: no `exp` claim. */
  exp?: number | null;
  iat?: number;
  nbf?: number;
  extra?: Record<string, unknown>;
}

function forge(options: Forged = {}) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...claims(), ...options.extra })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', ...(options.kid === null ? {} : { kid: options.kid ?? keys.kid }) })
    .setIssuer(options.iss ?? issuer)
    .setIssuedAt(options.iat ?? now - 60);
  if (options.aud !== null) jwt.setAudience(options.aud ?? keys.clientId);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now + 600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.key ?? keys.signingKey);
}
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

async function call(token: string | undefined, header = token === undefined ? undefined : `Bearer ${token}`) {
  const response = await fetch(`${cloud.url}/api/me`, { headers: header === undefined ? {} : { authorization: header } });
  return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') };
}

describe('the JWT authorizer', () => {
  it('lets a token of its own issuer and audience through', async () => {
    const forged = await forge();
    expect((await call(forged)).status).toBe(200);
    expect((await call(tokens.IdToken)).status).toBe(200);
    // As API Gateway does, it takes the token with or without the Bearer scheme.
    expect((await call(undefined, tokens.IdToken)).status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string | undefined>, RegExp]> = [
    ['missing', async () => undefined, /no bearer token/],
    ['garbage', async () => 'not.a.jwt', /malformed/],
    ['expired', () => forge({ exp: Math.floor(Date.now() / 1000) - 5 }), /expired/],
    // API Gateway's documented checks: exp after now (so required), nbf and iat before now, a kid.
    ['without exp (it would never expire)', () => forge({ exp: null }), /no exp/],
    ['not valid before a minute from now (nbf)', () => forge({ nbf: inAMinute() }), /nbf/],
    ['issued a minute from now (iat)', () => forge({ iat: inAMinute() }), /iat/],
    ['without a kid in its header', () => forge({ kid: null }), /no kid/],
    // API Gateway reads client_id only when there is no aud.
    ['for another audience with the right client_id', () => forge({ aud: 'some-other-client', extra: { client_id: keys.clientId } }), /another audience/],
    ['without aud or client_id', () => forge({ aud: null }), /another audience/],
    ['signed with another key', async () => forge({ key: (await generateKeyPair('RS256')).privateKey }), /not signed by the issuer/],
    ['signed with an unknown kid', async () => forge({ key: (await generateKeyPair('RS256')).privateKey, kid: 'other' }), /not signed by the issuer/],
    ['from another issuer', () => forge({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil' }), /another issuer/],
    ['for another audience', () => forge({ aud: 'some-other-client' }), /another audience/],
    ['unsigned (alg none)', async () => new UnsecuredJWT(claims()).setIssuer(issuer).setAudience(keys.clientId).setExpirationTime('10m').encode(), /RS256/],
    ['HMAC-signed with the public key', () => forge({ alg: 'HS256', key: new TextEncoder().encode(JSON.stringify(keys.publicJwk)) }), /RS256/],
    ['a refresh token', async () => tokens.RefreshToken, /malformed/],
    ['a tampered payload', async () => tamper(tokens.IdToken), /not signed by the issuer/],
  ];

  it.each(cases)('refuses a token that is %s with 401 JSON naming the problem', async (_, makeToken, reason) => {
    const response = await call(await makeToken());
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('Unauthorized');
    expect(response.body.reason).toMatch(reason);
    expect(response.challenge).toMatch(/^Bearer error="invalid_token"/);
  });

  it('takes client_id when the token has no aud, as an access token', async () => {
    const response = await call(await forge({ aud: null, extra: { client_id: keys.clientId, token_use: 'access' } }));
    expect(response.status).toBe(200);
  });

  it('accepts an access token for the client, which the API refuses for lack of a tenant', async () => {
    const response = await call(tokens.AccessToken);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('NoTenant');
  });

  it('does not guard the sign-in itself or the client configuration', async () => {
    expect((await fetch(`${cloud.url}/config.json`)).status).toBe(200);
    expect((await fetch(`${cloud.url}/auth/.well-known/jwks.json`)).status).toBe(200);
    expect((await new ApiClient(cloud.url, undefined).get('/api/companies')).status).toBe(401);
  });
});

/** Changes the tenant in a real token's payload and keeps its signature. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
  return [header, base64url.encode(JSON.stringify({ ...claims, 'custom:tenant': 'someone-else' })), signature].join('.');
}
